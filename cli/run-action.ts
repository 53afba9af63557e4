// Glue between commander actions and exit codes: an action returns its exit code, errors print cleanly.
import { InvalidArgumentError } from 'commander';

/** A thrown UsageError prints its message and exits 100. */
export class UsageError extends Error {}

/**
 * Wrap an async action that returns an exit code. Unexpected exceptions are bugs: they print
 * `rc: internal error` with the stack and exit 111, never a bare Node trace.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number> | number) {
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = await fn(...args);
    } catch (e) {
      // Loaded here, not at the top: lib is not part of every command's start-up.
      const { ExitCode } = await import('../lib/core/index.js');
      if (e instanceof UsageError) {
        process.stderr.write(`rc: ${e.message}\n`);
        process.exitCode = ExitCode.usage;
        return;
      }
      process.stderr.write(`rc: internal error (a bug, please report it): ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = ExitCode.system;
    }
  };
}

/**
 * Parse a non-negative integer option (ms, counts). A bad value is a commander parse error
 * (InvalidArgumentError), which runCli (program.ts) turns into exit 100 with commander's message.
 */
export function parseUint(option: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${option} expects a non-negative integer, got '${value}'`);
    return Number(value);
  };
}
