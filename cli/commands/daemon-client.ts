// Shared by the daemon-facing commands: the --live option, connecting, and turning replies into output and exit codes.
// Kept light on purpose (the control client and nothing heavy), so `rc status` starts fast.
import type { Command } from 'commander';
import { connectControl, type ControlClient, type FinalReply, type CallHandlers, type Op, type RequestBody, type ResultDataMap } from '../../lib/control/index.js';

import { DEFAULT_LIVE } from '../../lib/core/index.js';

export { DEFAULT_LIVE };
const SYSTEM = 111;
const TIMEOUT = 2;

export interface LiveOptions {
  live?: string;
  /** --json (where a command has it): errors are also printed as one JSON line on stdout. */
  json?: boolean;
}

/** Add `--live DIR` (default: $RC_LIVE, else /run/rc). */
/** `--live DIR`, as every daemon-facing command takes it. */
export const LIVE_OPTION = { name: 'live', value: 'dir', description: `live directory of the daemon (default: $RC_LIVE, else ${DEFAULT_LIVE})` } as const;

export function addLiveOption(cmd: Command): Command {
  return cmd.option(`--${LIVE_OPTION.name} <${LIVE_OPTION.value}>`, LIVE_OPTION.description);
}

export function resolveLive(opts: LiveOptions): string {
  return opts.live ?? (process.env['RC_LIVE'] || DEFAULT_LIVE);
}

/**
 * Connect to the daemon and run `fn`; prints "no rc daemon on DIR" and returns 111 when there is
 * none. The connection is closed when `fn` settles.
 */
export async function withDaemon(
  opts: LiveOptions,
  /** `waitedMs`: how long the socket took to appear (0 when the daemon was there at once). */
  fn: (client: ControlClient, live: string, waitedMs: number) => Promise<number>,
  /** Wait this long for the daemon's socket to appear (rc wait started before rc boot); null = for ever, 0 = not at all. */
  socketWaitMs: number | null = 0,
): Promise<number> {
  const live = resolveLive(opts);
  // `rc logs -f | head -1`: the reader went away; stop at once, with the exit code so far (EPIPE
  // itself is harmless, see ../stdout-epipe.ts, but a follow would go on writing into nothing).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const deadline = socketWaitMs === null ? Infinity : Date.now() + socketWaitMs;
  const first = await connectControl(live);
  let conn = first;
  const t0 = Date.now();
  while (!conn.ok && conn.error.kind === 'no-daemon' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
    conn = await connectControl(live);
  }
  if (!conn.ok && conn.error.kind === 'no-daemon' && socketWaitMs !== 0) {
    const message = `timed out after ${socketWaitMs} ms waiting for an rc daemon on ${live}`;
    process.stderr.write(`rc: ${message}\n`);
    if (opts.json) await jsonError(TIMEOUT, message);
    return TIMEOUT;
  }
  if (!conn.ok) {
    process.stderr.write(`rc: ${conn.error.message}\n`);
    if (opts.json) await jsonError(SYSTEM, conn.error.message);
    return SYSTEM;
  }
  try {
    return await fn(conn.value, live, conn === first ? 0 : Date.now() - t0);
  } finally {
    conn.value.close();
  }
}

/** With --json, an error is also one line on stdout, so that a tool reading it learns why. */
function jsonError(exitCode: number, message: string, hint?: string): Promise<void> {
  return writeOut(`${JSON.stringify({ type: 'error', exitCode, message, ...(hint !== undefined ? { hint } : {}) })}\n`);
}

/** Print an error reply (message and hint; with `json` also as a JSON line on stdout) and return its exit code. */
export async function reportError(reply: Extract<FinalReply, { type: 'error' }>, json = false): Promise<number> {
  process.stderr.write(`rc: ${reply.message}\n`);
  if (reply.hint) process.stderr.write(`  hint: ${reply.hint}\n`);
  if (json) await jsonError(reply.exitCode, reply.message, reply.hint);
  return reply.exitCode;
}

/** One request, no streaming: returns the result's data, or prints the error and returns its code. */
export async function simpleCall<O extends Op>(
  client: ControlClient,
  body: RequestBody<O>,
  handlers: CallHandlers = {},
  json = false,
): Promise<{ ok: true; data: ResultDataMap[O]; exitCode: number } | { ok: false; exitCode: number }> {
  const reply = await client.call(body, handlers);
  if (reply.type === 'error') return { ok: false, exitCode: await reportError(reply, json) };
  return { ok: true, data: reply.data, exitCode: reply.exitCode };
}

/** Write to stdout and wait until it is flushed (so piping into `head` or a file loses nothing). */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === '') resolve();
    else process.stdout.write(text, () => resolve());
  });
}
