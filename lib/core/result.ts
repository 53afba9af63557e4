// Result<T, E>: errors as values. Exceptions mean bugs; user-caused failures are returned.
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/** Compile-time exhaustiveness check for switch statements over tagged unions. */
export function unreachable(value: never, what = 'value'): never {
  throw new Error(`unreachable: unexpected ${what} ${JSON.stringify(value)}`);
}
