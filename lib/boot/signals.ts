// The daemon's signal policy as PID 1 (or a host daemon): which signals it handles, and an installer for them.
import { PID1_SIGNAL_POLICY, type Pid1SignalAction } from '../core/signals.js';

export { PID1_SIGNAL_POLICY, type Pid1SignalAction, type Pid1SignalRule } from '../core/signals.js';

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
