// The daemon's signal policy as PID 1 (or a host daemon): which signals it handles, and an installer for them.

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
  /** Owned elsewhere: SIGCHLD by the Reaper; SIGPIPE/SIGXFSZ are set to SIG_IGN by Node itself. */
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
  { signal: 'SIGCHLD', action: 'not-installed', why: 'the Reaper listens for it' },
  { signal: 'SIGPIPE', action: 'not-installed', why: 'Node ignores it at start-up; children get it back at default (libuv resets dispositions)' },
];

/** What the daemon does; the installer maps signals onto these. */
export interface Pid1SignalHandlers {
  /** First SIGTERM/SIGINT: begin the orderly shutdown. */
  shutdown(signal: NodeJS.Signals): void;
  /** Any further SIGTERM/SIGINT: skip the remaining grace and kill what is left. */
  escalate(signal: NodeJS.Signals, count: number): void;
  /** SIGQUIT: kill everything now. */
  killAll(signal: NodeJS.Signals): void;
  /** SIGHUP. */
  rescan(signal: NodeJS.Signals): void;
  /** SIGUSR1/SIGUSR2 received and ignored (e.g. to log it). */
  ignored?(signal: NodeJS.Signals): void;
}

/** The part of `process` the installer uses; tests pass an EventEmitter. */
export interface SignalEmitter {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/**
 * Install listeners for every signal of PID1_SIGNAL_POLICY with an action. The CLI passes
 * `process`; lib code never touches it. Returns the uninstall function.
 */
export function installSignalHandlers(handlers: Pid1SignalHandlers, proc: SignalEmitter): () => void {
  let shutdowns = 0;
  const dispatch = (signal: NodeJS.Signals, action: Pid1SignalAction): void => {
    switch (action) {
      case 'shutdown':
        shutdowns++;
        if (shutdowns === 1) handlers.shutdown(signal);
        else handlers.escalate(signal, shutdowns);
        return;
      case 'kill-all':
        handlers.killAll(signal);
        return;
      case 'rescan':
        handlers.rescan(signal);
        return;
      case 'ignore':
        handlers.ignored?.(signal);
        return;
      case 'not-installed':
        return;
    }
  };
  const installed: [NodeJS.Signals, (s: NodeJS.Signals) => void][] = [];
  for (const rule of PID1_SIGNAL_POLICY) {
    if (rule.action === 'not-installed') continue;
    const listener = (): void => dispatch(rule.signal, rule.action);
    proc.on(rule.signal, listener);
    installed.push([rule.signal, listener]);
  }
  return () => {
    for (const [signal, listener] of installed.splice(0)) proc.removeListener(signal, listener);
  };
}

/** Parse the SigIgn/SigBlk/SigCgt masks of /proc/PID/status into signal numbers. */
export function parseSignalMasks(statusText: string): { ignored: number[]; blocked: number[]; caught: number[] } {
  const mask = (key: string): number[] => {
    const line = statusText.split('\n').find((l) => l.startsWith(`${key}:`));
    if (!line) return [];
    const bits = BigInt(`0x${line.slice(key.length + 1).trim()}`);
    const out: number[] = [];
    for (let n = 1; n <= 64; n++) if ((bits >> BigInt(n - 1)) & 1n) out.push(n);
    return out;
  };
  return { ignored: mask('SigIgn'), blocked: mask('SigBlk'), caught: mask('SigCgt') };
}
