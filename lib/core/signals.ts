// Signal names and numbers (Linux), parsing as s6-supervise does: a name with or without SIG, or a number.
import { constants } from 'node:os';

const byName = constants.signals as Record<string, number>;
const byNumber = new Map<number, NodeJS.Signals>();
for (const [name, num] of Object.entries(byName)) if (!byNumber.has(num)) byNumber.set(num, name as NodeJS.Signals);

/** Parse `TERM`, `SIGTERM`, `sigterm` or `15`. Returns undefined when not a signal. */
export function parseSignal(text: string): NodeJS.Signals | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return byNumber.get(Number(t));
  const up = t.toUpperCase();
  const name = up.startsWith('SIG') ? up : `SIG${up}`;
  return name in byName ? (name as NodeJS.Signals) : undefined;
}

export const signalNumber = (sig: NodeJS.Signals): number => byName[sig] ?? 0;
export const signalName = (num: number): NodeJS.Signals | undefined => byNumber.get(num);

// The daemon's signal policy as PID 1 (or a host daemon); lib/boot installs it, the CLI holds these signals from its first line.
/**
 * What the daemon does with a signal. As PID 1 a signal with no handler is simply not
 * delivered (the kernel drops it; only SIGKILL/SIGSTOP from an ancestor namespace are
 * forced), and on a host the default action of most signals is to die without cleanup —
 * so nothing may rely on default dispositions: every signal that matters is handled.
 */
export type Pid1SignalAction =
  /** Orderly shutdown; a second one skips to the kills. */
  | 'shutdown'
  /** Kill every service at once (SIGKILL to every process group), then exit. */
  | 'kill-all'
  /** Rescan (scandir mode) / reload. */
  | 'rescan'
  /** Handled only so it does nothing (no default termination, no Node inspector). */
  | 'ignore'
  /** Owned elsewhere: SIGCHLD by the ChildWaiter and the Reaper; SIGPIPE/SIGXFSZ are set to SIG_IGN by Node itself. */
  | 'not-installed';

export interface Pid1SignalRule {
  signal: NodeJS.Signals;
  action: Pid1SignalAction;
  why: string;
}

export const PID1_SIGNAL_POLICY: readonly Pid1SignalRule[] = [
  { signal: 'SIGTERM', action: 'shutdown', why: 'docker stop / kubectl delete: stop everything in reverse dependency order' },
  { signal: 'SIGINT', action: 'shutdown', why: 'Ctrl-C in a foreground run; same as SIGTERM' },
  { signal: 'SIGQUIT', action: 'kill-all', why: 'emergency stop: no ordering, no grace' },
  { signal: 'SIGHUP', action: 'rescan', why: 'reload; on a host its default action would kill the daemon' },
  { signal: 'SIGUSR1', action: 'ignore', why: "without a handler Node opens its inspector on 127.0.0.1:9229" },
  { signal: 'SIGUSR2', action: 'ignore', why: 'default action would kill the daemon on a host' },
  { signal: 'SIGCHLD', action: 'not-installed', why: 'the child waiter (our children) and the Reaper (orphans) listen for it' },
  { signal: 'SIGPIPE', action: 'not-installed', why: 'Node ignores it at start-up; children get it back at default (libuv resets dispositions)' },
];
