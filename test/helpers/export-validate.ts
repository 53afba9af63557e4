// Validators for rc export's output: the compose specification's JSON schema (ajv, 2020-12 dialect) and kubernetes-models.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Deployment } from 'kubernetes-models/apps/v1';
import { fixturesDir } from './paths.js';

/**
 * The compose specification's schema, vendored (test/fixtures/export/compose-spec.json: source, licence
 * and changes in compose-spec.SOURCE.md). Compiled by Ajv's 2020-12 validator without its draft-07
 * marker: it uses no keyword whose meaning changed between the drafts.
 */
function composeSchema(): object {
  const raw = JSON.parse(readFileSync(join(fixturesDir, 'export', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;
  delete raw.$schema;
  return raw;
}

let validate: ReturnType<Ajv2020['compile']> | null = null;

/** The schema's errors for a compose document ([] = valid). */
export function composeErrors(doc: unknown): string[] {
  if (validate === null) {
    // strict: false: the schema's `deprecated` annotations and `definitions` are not 2020-12 vocabulary.
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    validate = ajv.compile(composeSchema());
  }
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Go durations as compose reads them (10s, 1m30s, 1500ms); the schema leaves them as plain strings. */
export const COMPOSE_DURATION = /^(\d+(\.\d+)?(h|m|s|ms|us|ns))+$/;

/** Every duration field of a compose document, each a valid Go duration ([] = all valid). */
export function badDurations(doc: unknown): string[] {
  const bad: string[] = [];
  const services = (doc as { services?: Record<string, Record<string, unknown>> }).services ?? {};
  for (const [name, s] of Object.entries(services)) {
    const health = (s.healthcheck ?? {}) as Record<string, unknown>;
    const fields: [string, unknown][] = [['stop_grace_period', s.stop_grace_period], ...['interval', 'timeout', 'start_period'].map((k): [string, unknown] => [`healthcheck.${k}`, health[k]])];
    for (const [k, v] of fields) if (v !== undefined && !(typeof v === 'string' && COMPOSE_DURATION.test(v))) bad.push(`${name}.${k}: ${JSON.stringify(v)}`);
  }
  return bad;
}

/** kubernetes-models' validation of a Deployment; throws with every problem. */
export function validateDeployment(doc: unknown): void {
  new Deployment(doc as ConstructorParameters<typeof Deployment>[0]).validate();
}
