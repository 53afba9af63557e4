// rc extension on longruns (files s6-rc ignores): the health check (health-tcp/-http/-cmd) and its settings.
import { join } from 'node:path';
import { closestName, quoteText } from '../core/names.js';
import { readCmd, readHttp, readMs, readTcp } from './read-extensions.js';
import { readValue, type DefinitionContext } from './read-values.js';
import type { SourceHealth, SourceProbeTarget } from './types.js';

export const HEALTH_PROBES = ['health-tcp', 'health-http', 'health-cmd'] as const;
export const HEALTH_SETTINGS = ['health-interval', 'health-timeout', 'health-retries', 'health-start-period', 'health-action'] as const;
export const HEALTH_DEFAULTS = { intervalMs: 10_000, timeoutMs: 5_000, retries: 3, startPeriodMs: 0, action: 'restart' } as const;
const ACTIONS = ['restart', 'none'] as const;
/** More retries than this is surely a mistake (and keeps the counter small). */
const MAX_RETRIES = 1_000_000;

function readTarget(ctx: DefinitionContext): SourceProbeTarget | undefined {
  const present = HEALTH_PROBES.filter((f) => ctx.entries.has(f));
  if (present.length > 1) {
    ctx.sink.error(join(ctx.dir, present[1]!), `longrun ${ctx.name} has more than one health check: ${present.join(', ')}`, {
      hint: `keep one of ${HEALTH_PROBES.join(', ')}`,
    });
    return undefined;
  }
  const file = present[0];
  if (file === undefined) return undefined;
  const path = join(ctx.dir, file);
  return file === 'health-tcp' ? readTcp(ctx, path) : file === 'health-http' ? readHttp(ctx, path) : readCmd(ctx, path);
}

function readRetries(ctx: DefinitionContext): number | undefined {
  if (!ctx.entries.has('health-retries')) return undefined;
  const path = join(ctx.dir, 'health-retries');
  const text = readValue(path, ctx.sink);
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_RETRIES) return Number(text);
  ctx.sink.error(path, `invalid ${path}`, { line: 1, hint: `expected the number of consecutive failures (1 to ${MAX_RETRIES}) before the service is unhealthy, found ${quoteText(text)}` });
  return undefined;
}

function readAction(ctx: DefinitionContext): 'restart' | 'none' | undefined {
  if (!ctx.entries.has('health-action')) return undefined;
  const path = join(ctx.dir, 'health-action');
  const text = readValue(path, ctx.sink);
  if (text === undefined) return undefined;
  if ((ACTIONS as readonly string[]).includes(text)) return text as 'restart' | 'none';
  const guess = closestName(text, ACTIONS);
  ctx.sink.error(path, `invalid ${path}: ${quoteText(text)} is not a health action`, {
    line: 1,
    hint: `${guess !== undefined ? `did you mean ${guess}? ` : ''}accepted values: restart (the default: restart the service when unhealthy), none (only report)`,
  });
  return undefined;
}

/** The health check of a longrun, or null. Invalid values are located errors; settings without a check are warnings. */
export function readHealth(ctx: DefinitionContext): SourceHealth | null {
  const target = readTarget(ctx);
  const intervalMs = readMs(ctx, 'health-interval', true) ?? HEALTH_DEFAULTS.intervalMs;
  const timeoutMs = readMs(ctx, 'health-timeout', true) ?? HEALTH_DEFAULTS.timeoutMs;
  const startPeriodMs = readMs(ctx, 'health-start-period') ?? HEALTH_DEFAULTS.startPeriodMs;
  const retries = readRetries(ctx) ?? HEALTH_DEFAULTS.retries;
  const action = readAction(ctx) ?? HEALTH_DEFAULTS.action;
  if (target !== undefined) return { ...target, intervalMs, timeoutMs, retries, startPeriodMs, action };
  if (!HEALTH_PROBES.some((p) => ctx.entries.has(p))) {
    for (const f of HEALTH_SETTINGS) {
      if (ctx.entries.has(f)) ctx.sink.warn(join(ctx.dir, f), `${f} without health-tcp, health-http or health-cmd: ignored`);
    }
  }
  return null;
}
