// Actions and exit codes: an action returns its exit code; a UsageError prints and exits 100, anything else is a bug (111). Free of commander.
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
