// Exit codes of the CLI (DESIGN.md §4). Only cli/ exits; lib/ returns these as values.
export const ExitCode = {
  ok: 0,
  /** A transition failed / source errors in compile / diff found differences. */
  failed: 1,
  /** The global timeout expired. */
  timeout: 2,
  /** Unknown service name. */
  unknownName: 3,
  /** Invalid compiled db or live state. */
  invalidDb: 4,
  usage: 100,
  /** I/O error, no daemon on the live dir, permission. */
  system: 111,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
