// The container's main command (`rc boot -- CMD ARGS...`): one process with the daemon's stdio, stopped with a grace, its end turned into an exit code.
//
//   idle ──start()──▶ running ──(exits / killed / exec failed)──▶ exited(code)
//
// CMD stays in rc's process group (not a new session), so it keeps the terminal: Ctrl-C and
// terminal job control reach it as they would reach a program run from a shell.
import type { Clock, TimerHandle } from '../core/clock.js';
import { signalNumber } from '../core/signals.js';
import type { ChildEnd, ChildHandle, ProcessSpec } from '../supervise/spawner.js';

/** How CMD ended, as rc boot's exit code and a phrase for the log. */
export interface MainExit {
  code: number;
  description: string;
}

/** The shell's conventions: the exit code, 128 + signal number, 127 not found, 126 cannot be run. */
export function mainExit(end: ChildEnd): MainExit {
  if (end.kind === 'spawn-error') {
    const code = end.errno === 'ENOENT' ? 127 : 126;
    return { code, description: `could not be started (${end.errno}: ${end.message})` };
  }
  if (end.signal !== null) {
    const code = 128 + signalNumber(end.signal);
    return { code, description: `was killed by ${end.signal}` };
  }
  return { code: end.code ?? 0, description: `exited with code ${end.code ?? 0}` };
}

export interface MainCommandOptions {
  /** CMD and its arguments (argv[0] is looked up in env.PATH). */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Creates the process: `spawnProcess` with the PID-1 child registry's tracker. */
  spawn(spec: ProcessSpec): ChildHandle;
  clock: Clock;
}

type MainState =
  | { kind: 'idle' }
  | { kind: 'running'; child: ChildHandle; killTimer: TimerHandle | null }
  | { kind: 'exited'; exit: MainExit };

/** A word as a POSIX shell would need it: as is when plain, else in single quotes. */
const shellWord = (w: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

export class MainCommand {
  readonly #opts: MainCommandOptions;
  #state: MainState = { kind: 'idle' };
  #resolveExit!: (exit: MainExit) => void;
  /** Settles once CMD has ended (never when it was not started). */
  readonly exited: Promise<MainExit>;

  constructor(options: MainCommandOptions) {
    if (options.argv.length === 0) throw new Error('MainCommand needs a command');
    this.#opts = options;
    this.exited = new Promise((resolve) => (this.#resolveExit = resolve));
  }

  /** What is run, for messages: shell-quoted, so that one sees where each argument ends. */
  get label(): string {
    return this.#opts.argv.map(shellWord).join(' ');
  }

  get running(): boolean {
    return this.#state.kind === 'running';
  }

  get pid(): number | undefined {
    return this.#state.kind === 'running' ? this.#state.child.pid : undefined;
  }

  /** Spawn CMD with the daemon's stdin, stdout and stderr. Only once. */
  start(): void {
    if (this.#state.kind !== 'idle') return;
    const [file, ...args] = this.#opts.argv;
    const child = this.#opts.spawn({
      file: file!,
      args,
      cwd: this.#opts.cwd,
      env: this.#opts.env,
      stdio: ['inherit', 'inherit', 'inherit'],
      detached: false,
    });
    this.#state = { kind: 'running', child, killTimer: null };
    child.onEnd((end) => this.#ended(end));
  }

  /** Send CMD a signal; false when it is not running. */
  signal(sig: NodeJS.Signals): boolean {
    return this.#state.kind === 'running' && this.#state.child.kill(sig);
  }

  /**
   * SIGTERM now, SIGKILL if CMD is still running after `graceMs`. Resolves when it has ended;
   * at once when it never started or has already ended.
   */
  stop(graceMs: number): Promise<void> {
    const s = this.#state;
    if (s.kind !== 'running') return Promise.resolve();
    if (s.killTimer === null) {
      s.child.kill('SIGTERM');
      s.killTimer = this.#opts.clock.setTimer(graceMs, () => this.kill());
    }
    return this.exited.then(() => undefined);
  }

  /** SIGKILL now. */
  kill(): void {
    this.signal('SIGKILL');
  }

  #ended(end: ChildEnd): void {
    if (this.#state.kind === 'running') this.#state.killTimer?.cancel();
    const exit = mainExit(end);
    this.#state = { kind: 'exited', exit };
    this.#resolveExit(exit);
  }
}
