// rc export through the CLI: golden outputs for source-db/demo and the s6-overlay example (UPDATE_GOLDEN=1
// rewrites them), each validated (compose schema, kubernetes-models); --strict, usage and name errors.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { badDurations, composeErrors, validateDeployment } from '../helpers/export-validate.js';
import { fixturesDir, rcBin, sourceDbDir, tempDir } from '../helpers/paths.js';

const GOLDEN = join(fixturesDir, 'export');
const TREES: Record<string, string[]> = {
  demo: [join(sourceDbDir, 'demo')],
  's6-overlay': ['s6-rc.d', 'user-bundles.d', 'overlay'].map((s) => join(sourceDbDir, 's6-overlay-example', s)),
};

function rc(...args: string[]) {
  const r = spawnSync(process.execPath, [rcBin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Compare with the golden file, or write it under UPDATE_GOLDEN=1. */
function golden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual, `${path} (UPDATE_GOLDEN=1 rewrites it)`).to.equal(readFileSync(path, 'utf8'));
}

describe('e2e: rc export', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  const db: Record<string, string> = {};

  before(() => {
    tmp = tempDir();
    for (const [name, sources] of Object.entries(TREES)) {
      db[name] = join(tmp.path, name);
      const r = rc('compile', db[name], ...sources);
      expect(r.code, r.err).to.equal(0);
    }
  });
  after(() => tmp.cleanup());

  /** stderr with the machine's paths replaced, for the golden files. */
  const portable = (text: string): string => text.split(tmp.path).join('COMPILED').split(sourceDbDir).join('SOURCE');

  for (const tree of Object.keys(TREES)) {
    it(`${tree}: compose golden, valid against the compose specification`, () => {
      const r = rc('export', '--format', 'compose', '-c', db[tree]!, '--image', 'registry.example/app:1', '--name', tree);
      expect(r.code, r.err).to.equal(0);
      golden(`${tree}.compose.yaml`, r.out);
      golden(`${tree}.compose.stderr`, portable(r.err));
      const doc = parse(r.out) as { services: Record<string, Record<string, unknown>> };
      expect(composeErrors(doc)).to.deep.equal([]);
      expect(badDurations(doc)).to.deep.equal([]);
    });

    it(`${tree}: Kubernetes golden, a valid Deployment`, () => {
      const r = rc('export', '--format', 'kubernetes', '-c', db[tree]!, '--image', 'registry.example/app:1', '--name', tree);
      expect(r.code, r.err).to.equal(0);
      golden(`${tree}.kubernetes.yaml`, r.out);
      golden(`${tree}.kubernetes.stderr`, portable(r.err));
      validateDeployment(parse(r.out));
    });
  }

  it('the demo: api waits for migrate to complete, migrate for store to be healthy; api-log is dropped with a warning', () => {
    const r = rc('export', '--format', 'compose', '-c', db.demo!, '--image', 'x');
    const services = (parse(r.out) as { services: Record<string, Record<string, unknown>> }).services;
    expect(Object.keys(services)).to.deep.equal(['store', 'migrate', 'api']);
    expect(services.api!.depends_on).to.deep.equal({ migrate: { condition: 'service_completed_successfully' } });
    expect(services.migrate!.depends_on).to.deep.equal({ store: { condition: 'service_healthy' } });
    expect(r.err).to.include(`${join(sourceDbDir, 'demo', 'api-log')}: warning: log consumer api-log is dropped`);
  });

  it('--strict: what cannot be exported is an error: exit 1, nothing on stdout', () => {
    const r = rc('export', '--format', 'kubernetes', '-c', db.demo!, '--image', 'x', '--strict');
    expect(r.code).to.equal(1);
    expect(r.out).to.equal('');
    expect(r.err).to.match(/migrate: error: oneshot migrate: its down script is not exported/);
    expect(r.err).to.match(/rc: export refused \(--strict\): \d+ item\(s\) cannot be exported/);
  });

  it('--image-compiled: rc run and rc probe get -c', () => {
    const r = rc('export', '--format', 'compose', '-c', db.demo!, '--image', 'x', '--image-compiled', '/app/db');
    const services = (parse(r.out) as { services: Record<string, Record<string, unknown>> }).services;
    expect(services.store!.entrypoint).to.deep.equal(['rc', 'run', '-c', '/app/db', 'store']);
    expect((services.store!.healthcheck as { test: string[] }).test).to.deep.equal(['CMD', 'rc', 'probe', '-c', '/app/db', 'store']);
  });

  it('errors: unknown target 3 (did you mean), bad --name 100, no --image 100, not a db 4', () => {
    const unknown = rc('export', '--format', 'compose', '-c', db.demo!, '--image', 'x', '--target', 'stor');
    expect(unknown.code).to.equal(3);
    expect(unknown.err).to.equal('rc: unknown service name stor\n  hint: did you mean `store`?\n');
    const name = rc('export', '--format', 'compose', '-c', db.demo!, '--image', 'x', '--name', 'My App');
    expect(name.code).to.equal(100);
    expect(name.err).to.match(/--name "My App": use lowercase letters, digits and '-'/);
    const image = rc('export', '--format', 'compose', '-c', db.demo!);
    expect(image.code).to.equal(100);
    expect(image.err).to.match(/--image/);
    const notDb = rc('export', '--format', 'compose', '-c', tmp.path, '--image', 'x');
    expect(notDb.code).to.equal(4);
    expect(notDb.err).to.match(/is not a compiled database/);
  });
});
