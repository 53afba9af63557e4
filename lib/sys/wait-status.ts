// What waitpid reports: the outcome of one non-blocking call and the decoded status word.

/** How a reaped process ended, decoded from the waitpid status word. */
export interface ExitStatus {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** Signal number that killed it, or null when it exited. */
  signal: number | null;
}

/** What one waitpid(pid, WNOHANG) call saw. */
export type WaitOutcome =
  | { kind: 'reaped'; pid: number; status: ExitStatus }
  /** The child exists but has not exited (waitpid returned 0). */
  | { kind: 'running' }
  /** Not our child (anymore): ECHILD or another errno. */
  | { kind: 'gone'; errno: number };

/** Decode a wait(2) status word (Linux layout). */
export function decodeWaitStatus(status: number): ExitStatus {
  const sig = status & 0x7f;
  if (sig === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal: sig };
}
