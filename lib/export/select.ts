// Which services an export holds: the closure of --target (default: the bundle `default`, else everything).
import { err, ok, type Result } from '../core/result.js';
import { ExitCode } from '../core/exit-codes.js';
import type { Db } from '../db/db.js';

export interface Selection {
  /** Every exported atomic service (log consumers included; the graph drops them). */
  indices: Set<number>;
  /** Target bundles other than `default` whose closure adds services: their own additions. */
  optional: Map<string, Set<number>>;
}

export interface SelectError {
  code: number;
  message: string;
  hint?: string;
}

/** The names asked for, or `default`, or every service. */
export function defaultTargets(db: Db, targets: readonly string[]): string[] {
  if (targets.length > 0) return [...targets];
  if (db.bundle('default')) return ['default'];
  return db.index.services.map((s) => s.name);
}

/**
 * Resolve the targets. The first target, atomic targets and the bundle `default` are always on;
 * any further target bundle is optional (a compose profile): its services nothing always-on needs.
 */
export function selectServices(db: Db, targets: readonly string[]): Result<Selection, SelectError> {
  const names = defaultTargets(db, targets);
  const base: number[] = [];
  const bundles: [string, number[]][] = [];
  for (const [k, n] of names.entries()) {
    const r = db.resolve(n);
    if (r === undefined) {
      const close = db.closest(n);
      return err({ code: ExitCode.unknownName, message: `unknown service name ${n}`, ...(close ? { hint: `did you mean \`${close}\`?` } : {}) });
    }
    if (r.kind === 'atomic') base.push(r.index);
    else if (k === 0 || n === 'default' || targets.length === 0 || r.bundle.pipeline) base.push(...r.bundle.members);
    else bundles.push([n, r.bundle.members]);
  }
  const always = db.closure(base, 'forward');
  const indices = new Set(always);
  const optional = new Map<string, Set<number>>();
  for (const [name, members] of bundles) {
    const extra = new Set([...db.closure(members, 'forward')].filter((i) => !always.has(i)));
    for (const i of db.closure(members, 'forward')) indices.add(i);
    if (extra.size > 0) optional.set(name, extra);
  }
  return ok({ indices, optional });
}
