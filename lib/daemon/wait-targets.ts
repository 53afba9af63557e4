// What `rc wait` waits for, service by service: the asked condition, and for --healthy the rule for services without a check.
import { ExitCode } from '../core/exit-codes.js';
import { err, ok } from '../core/result.js';
import type { Db } from '../db/db.js';
import { resolveNames } from './resolve.js';
import type { Answer, WaitCondition } from './types.js';

export interface WaitTarget {
  index: number;
  until: WaitCondition;
}

const HEALTH_HINT = 'add health-cmd, health-http or health-tcp to the longrun\'s source directory (then recompile), or wait with --ready';

/**
 * Every name resolved (bundles expanded). For `healthy`: a service named directly must be a
 * longrun with a health check (exit 100 otherwise, naming each one); a bundle's members without a
 * check are waited for as `--ready` would (a oneshot: up), so `rc wait --healthy app` waits for
 * the whole bundle; a request in which no service has a check is an error too.
 */
export function waitTargets(db: Db, names: readonly string[], until: WaitCondition): Answer<WaitTarget[]> {
  const all = resolveNames(db, names);
  if (!all.ok) return all;
  if (until !== 'healthy') return ok({ exitCode: 0, data: all.value.map((index) => ({ index, until })) });
  const direct = new Set(names.filter((n) => db.bundle(n) === undefined));
  const problems: string[] = [];
  const targets = all.value.map((index): WaitTarget => {
    const s = db.service(index);
    const checked = s.type === 'longrun' && s.health !== undefined;
    if (!checked && direct.has(s.name)) problems.push(s.type === 'oneshot' ? `${s.name} is a oneshot (oneshots have no health check; wait for it with --up)` : `${s.name} has no health check`);
    return { index, until: checked ? 'healthy' : s.type === 'oneshot' ? 'up' : 'ready' };
  });
  if (problems.length > 0) return err({ exitCode: ExitCode.usage, message: `cannot wait for health: ${problems.join('; ')}`, hint: HEALTH_HINT });
  if (!targets.some((t) => t.until === 'healthy')) {
    return err({ exitCode: ExitCode.usage, message: `cannot wait for health: no service in ${names.join(', ')} has a health check`, hint: HEALTH_HINT });
  }
  return ok({ exitCode: 0, data: targets });
}
