// Container mode of `rc boot`: bring the target up, apply --on-fail, run the main command, route signals, settle one exit code.
//
//   booting ──target up (or --on-fail warn|ignore)──▶ running CMD ──CMD ends──▶ shutdown(CMD's code)
//      │                                                  │
//      └── target failed, --on-fail halt ─▶ shutdown(1|2) └── SIGTERM: CMD first (SIGTERM, SIGKILL after the grace)
//
// Exit code: the first reason to stop decides it (Daemon.shutdown keeps the first code):
// `rc halt --code N` → N; CMD's end → its code (128 + signal when killed); --on-fail halt → 1
// (2 when the change hit --timeout);
// SIGTERM/SIGINT without CMD → 0; SIGQUIT → 128 + 3.
import type { HaltOrigin } from '../daemon/types.js';
import { ExitCode } from '../core/exit-codes.js';
import { signalNumber } from '../core/signals.js';
import type { StreamEvent } from '../control/protocol.js';
import type { DaemonPhase } from '../daemon/daemon.js';
import type { MainCommand } from './main-command.js';

/** What happens when bringing the target up fails (s6-overlay's S6_BEHAVIOUR_IF_STAGE2_FAILS). */
export type OnFail = 'halt' | 'warn' | 'ignore';
export const ON_FAIL_MODES: readonly OnFail[] = ['halt', 'warn', 'ignore'];

/** The part of the Daemon the container drives (a fake in unit tests). */
export interface ContainerDaemon {
  readonly phase: DaemonPhase;
  change(targets: string[], timeoutMs: number, onEvent?: (e: StreamEvent) => void): Promise<number>;
  shutdown(code?: number, origin?: HaltOrigin): Promise<number>;
  forceKill(): void;
  /** Start the shutdown's overall budget (--stop-timeout), if any. */
  beginStopBudget?(): void;
  /** What to do when that budget runs out. */
  onStopTimeout?(fn: () => void): void;
  beforeShutdown(fn: () => Promise<void>): void;
  onExit(fn: (code: number) => void): void;
}

export interface ContainerOptions {
  daemon: ContainerDaemon;
  /** What to bring up first; empty = nothing. */
  targets: string[];
  /** Global timeout of the boot change; 0 = none. */
  timeoutMs: number;
  onFail: OnFail;
  /** The main command, or null to run until told to stop. */
  main: MainCommand | null;
  /** How long CMD may take to exit after SIGTERM before it gets SIGKILL. */
  killGraceMs: number;
  /** Events of the boot change (progress). */
  onEvent?: (e: StreamEvent) => void;
  /** rc's own messages, one line each. */
  log: (message: string) => void;
}

export class Container {
  readonly #o: ContainerOptions;
  /** rc boot's exit code, once the daemon has stopped. */
  readonly exited: Promise<number>;

  constructor(options: ContainerOptions) {
    this.#o = options;
    this.exited = new Promise((resolve) => options.daemon.onExit(resolve));
    // Whatever starts the shutdown (rc halt, --on-fail halt, SIGQUIT), CMD goes first.
    options.daemon.beforeShutdown(() => this.#o.main?.stop(this.#o.killGraceMs) ?? Promise.resolve());
    // --stop-timeout ran out: CMD and every service get SIGKILL at once.
    options.daemon.onStopTimeout?.(() => this.#killNow());
  }

  /** Bring the target up, then run CMD; `exited` tells the outcome. */
  start(): void {
    void this.#boot();
  }

  /** First SIGTERM/SIGINT: CMD first when it runs (the shutdown follows its exit), else the shutdown. */
  terminate(signal: NodeJS.Signals): void {
    const { main, daemon, killGraceMs, log } = this.#o;
    daemon.beginStopBudget?.();
    if (main?.running && daemon.phase === 'running') {
      log(`${signal}: sending SIGTERM to CMD (pid ${main.pid}) first; the services stop once it has exited (send it again to kill everything at once)`);
      void main.stop(killGraceMs);
      return;
    }
    log(`${signal}: shutting down (send it again to kill every service at once)`);
    void daemon.shutdown(0, { kind: 'signal', signal });
  }

  /** A further SIGTERM/SIGINT: SIGKILL to CMD and every service group now. */
  escalate(signal: NodeJS.Signals): void {
    this.#o.log(`${signal} again: killing every service now`);
    this.#killNow();
  }

  /** SIGKILL to CMD and every service group now (CMD's end, when it runs, starts the shutdown). */
  #killNow(): void {
    const { main, daemon } = this.#o;
    if (main?.running && daemon.phase === 'running') {
      // Let CMD's end start the shutdown (so its code, 137, is the exit code), then skip to the kills.
      main.kill();
      void main.exited.then(() => daemon.forceKill());
      return;
    }
    main?.kill();
    daemon.forceKill();
  }

  /** SIGQUIT: no order, no grace. */
  killAll(signal: NodeJS.Signals): void {
    const { main, daemon, log } = this.#o;
    log(`${signal}: killing everything now`);
    void daemon.shutdown(128 + signalNumber(signal), { kind: 'signal', signal });
    main?.kill();
    daemon.forceKill();
  }

  async #boot(): Promise<void> {
    const { daemon, targets, timeoutMs, onEvent } = this.#o;
    if (targets.length > 0) {
      const code = await daemon.change(targets, timeoutMs, onEvent);
      if (daemon.phase !== 'running') return;
      if (code !== 0 && !this.#goOnAfterFailure(code)) return;
    }
    this.#startMain();
  }

  /** Apply --on-fail; true when CMD should run anyway. --on-fail halt exits with the change's code (2: the timeout). */
  #goOnAfterFailure(code: number): boolean {
    const { onFail, targets, main, daemon, log } = this.#o;
    const what = `bringing up ${targets.join(', ')} ${code === ExitCode.timeout ? 'timed out' : 'failed'} (exit code ${code})`;
    switch (onFail) {
      case 'halt':
        log(`${what}: halting (--on-fail halt)`);
        void daemon.shutdown(code, { kind: 'boot-failed', message: what });
        return false;
      case 'warn':
        log(`warning: ${what}; ${main ? 'running CMD anyway' : 'the services that did start keep running'} (--on-fail warn)`);
        return true;
      case 'ignore':
        return true;
    }
  }

  #startMain(): void {
    const { main, daemon, log } = this.#o;
    if (!main || daemon.phase !== 'running') return;
    main.start();
    if (main.pid !== undefined) log(`running CMD (pid ${main.pid}): ${main.label}`);
    void main.exited.then((exit) => {
      const next = daemon.phase === 'running' ? `; shutting down with exit code ${exit.code}` : '';
      log(`CMD ${exit.description}${next}`);
      void daemon.shutdown(exit.code, { kind: 'main-command', code: exit.code, exit: exit.description });
    });
  }
}
