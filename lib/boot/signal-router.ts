// rc boot's signal handlers before and after the container exists: an early stop request is remembered and served.
import { signalNumber } from '../core/signals.js';
import type { Daemon } from '../daemon/index.js';
import type { Container } from './container.js';
import type { Pid1SignalHandlers } from './signals.js';

/**
 * Signals are handled from the very first moment (as PID 1 an unhandled SIGTERM would simply be
 * lost); until the container exists, a stop request is remembered and served once it does.
 */
export class SignalRouter implements Pid1SignalHandlers {
  readonly #log: (message: string) => void;
  #container: Container | null = null;
  #daemon: Daemon | null = null;
  #early: NodeJS.Signals | null = null;

  constructor(log: (message: string) => void) {
    this.#log = log;
  }

  /** Hand over to the container; true when a signal came first and the daemon is already stopping. */
  attach(container: Container, daemon: Daemon): boolean {
    this.#container = container;
    this.#daemon = daemon;
    if (this.#early === null) return false;
    void daemon.shutdown(this.#early === 'SIGQUIT' ? 128 + signalNumber('SIGQUIT') : 0, { kind: 'signal', signal: this.#early });
    return true;
  }

  shutdown(sig: NodeJS.Signals): void {
    if (this.#container) this.#container.terminate(sig);
    else this.#remember(sig);
  }

  escalate(sig: NodeJS.Signals): void {
    if (this.#container) this.#container.escalate(sig);
    else this.#remember(sig);
  }

  killAll(sig: NodeJS.Signals): void {
    if (this.#container) this.#container.killAll(sig);
    else this.#remember(sig);
  }

  /** Scandir mode: `rc scan`; otherwise the daemon says there is nothing to scan. */
  rescan(sig: NodeJS.Signals): void {
    this.#log(`${sig}: rescanning`);
    void this.#daemon?.rescan();
  }

  ignored(sig: NodeJS.Signals): void {
    this.#log(`${sig}: ignored`);
  }

  #remember(sig: NodeJS.Signals): void {
    if (this.#early === null) this.#log(`${sig} during start-up: stopping as soon as the daemon is set up`);
    this.#early ??= sig;
  }
}
