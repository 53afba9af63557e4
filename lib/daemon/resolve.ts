// Names in requests → atomic indices, with "did you mean" for unknown names (exit 3).
import { ExitCode } from '../core/exit-codes.js';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';

export interface RequestError {
  exitCode: number;
  message: string;
  hint?: string;
}

/** Every name resolved (bundles expanded), in first-seen order without duplicates. */
export function resolveNames(db: Db, names: readonly string[]): Result<number[], RequestError> {
  const out = new Set<number>();
  const unknown: string[] = [];
  for (const name of names) {
    const atoms = db.resolveAtomic(name);
    if (atoms === undefined) unknown.push(name);
    else for (const i of atoms) out.add(i);
  }
  if (unknown.length > 0) {
    const first = unknown[0]!;
    const guess = db.closest(first);
    const list = unknown.map((n) => `'${n}'`).join(', ');
    return err({
      exitCode: ExitCode.unknownName,
      message: `unknown service name${unknown.length > 1 ? 's' : ''} ${list}`,
      ...(guess !== undefined ? { hint: `did you mean '${guess}'?` } : {}),
    });
  }
  return ok([...out]);
}
