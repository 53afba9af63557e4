// Container (rc boot -- CMD): the main command, --on-fail, signals, the exit code.
import { expect } from 'chai';
import { FakeClock } from '../../../lib/core/clock.js';
import { Container, type ContainerDaemon, type OnFail } from '../../../lib/boot/container.js';
import type { DaemonPhase } from '../../../lib/daemon/daemon.js';
import { MainCommand, mainExit } from '../../../lib/boot/main-command.js';
import type { ChildEnd, ChildHandle, ProcessSpec } from '../../../lib/supervise/spawner.js';

/** A spawned CMD the test ends by hand. */
class FakeChild implements ChildHandle {
  readonly pid: number | undefined = 4242;
  readonly stdout = null;
  readonly stderr = null;
  readonly notification = null;
  readonly signals: NodeJS.Signals[] = [];
  #cb: ((end: ChildEnd) => void) | null = null;
  constructor(readonly trail: string[]) {}
  onEnd(cb: (end: ChildEnd) => void): void {
    this.#cb = cb;
  }
  kill(signal: NodeJS.Signals): boolean {
    this.signals.push(signal);
    this.trail.push(`cmd ${signal}`);
    return true;
  }
  end(end: ChildEnd): void {
    this.trail.push('cmd ended');
    this.#cb?.(end);
  }
}

/** The daemon as the container sees it: the boot change resolves when the test says so; shutdown runs the hooks first. */
class FakeDaemon implements ContainerDaemon {
  phase: DaemonPhase = 'running';
  readonly codes: number[] = [];
  forced = 0;
  readonly #hooks: (() => Promise<void>)[] = [];
  readonly #exits: ((code: number) => void)[] = [];
  #finishChange: ((code: number) => void) | null = null;
  constructor(readonly trail: string[]) {}
  change(targets: string[]): Promise<number> {
    this.trail.push(`change ${targets.join(' ')}`);
    return new Promise((resolve) => (this.#finishChange = resolve));
  }
  changeDone(code: number): Promise<void> {
    this.#finishChange?.(code);
    return flush();
  }
  shutdown(code = 0): Promise<number> {
    this.codes.push(code);
    if (this.phase !== 'running') return Promise.resolve(this.codes[0] ?? code);
    this.phase = 'stopping';
    this.trail.push('shutdown');
    return Promise.all(this.#hooks.map((fn) => fn())).then(() => {
      this.trail.push('services down');
      this.phase = 'stopped';
      for (const fn of this.#exits) fn(code);
      return code;
    });
  }
  forceKill(): void {
    this.forced++;
    if (this.phase === 'running') void this.shutdown(0);
  }
  budgetStarted = 0;
  stopTimeout: (() => void) | null = null;
  beginStopBudget(): void {
    this.budgetStarted++;
  }
  onStopTimeout(fn: () => void): void {
    this.stopTimeout = fn;
  }
  beforeShutdown(fn: () => Promise<void>): void {
    this.#hooks.push(fn);
  }
  onExit(fn: (code: number) => void): void {
    this.#exits.push(fn);
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('Container (rc boot -- CMD, --on-fail, signals)', () => {
  let trail: string[];
  let logs: string[];
  let clock: FakeClock;
  let daemon: FakeDaemon;
  let child: FakeChild;
  let spawned: ProcessSpec[];

  function setUp(opts: { cmd?: string[]; onFail?: OnFail; targets?: string[]; failSpawn?: boolean } = {}) {
    trail = [];
    logs = [];
    spawned = [];
    clock = new FakeClock();
    daemon = new FakeDaemon(trail);
    child = new FakeChild(trail);
    const cmd = opts.cmd ?? ['my-app', '--port', '8080'];
    const main =
      cmd.length === 0
        ? null
        : new MainCommand({
            argv: cmd,
            env: { A: '1' },
            clock,
            spawn: (spec) => {
              spawned.push(spec);
              trail.push('cmd started');
              if (opts.failSpawn) queueMicrotask(() => child.end({ kind: 'spawn-error', errno: 'ENOENT', message: 'spawn my-app ENOENT' }));
              return child;
            },
          });
    const container = new Container({ daemon, targets: opts.targets ?? ['default'], timeoutMs: 0, onFail: opts.onFail ?? 'warn', main, killGraceMs: 500, log: (m) => logs.push(m) });
    container.start();
    return container;
  }

  it('runs CMD only once the target is up, with the daemon stdio and env, and exits with its code', async () => {
    const c = setUp();
    await flush();
    expect(trail).to.deep.equal(['change default']);
    await daemon.changeDone(0);
    expect(spawned).to.have.length(1);
    expect(spawned[0]).to.deep.include({ file: 'my-app', args: ['--port', '8080'], stdio: ['inherit', 'inherit', 'inherit'], detached: false, env: { A: '1' } });
    child.end({ kind: 'exit', code: 3, signal: null });
    expect(await c.exited).to.equal(3);
    expect(trail).to.deep.equal(['change default', 'cmd started', 'cmd ended', 'shutdown', 'services down']);
    expect(logs).to.include('CMD exited with code 3; shutting down with exit code 3');
  });

  it('128 + signal when CMD is killed; 127 when it cannot be found', async () => {
    let c = setUp();
    await daemon.changeDone(0);
    child.end({ kind: 'exit', code: null, signal: 'SIGKILL' });
    expect(await c.exited).to.equal(137);
    c = setUp({ failSpawn: true });
    await daemon.changeDone(0);
    expect(await c.exited).to.equal(127);
    expect(logs.join('\n')).to.include('CMD could not be started (ENOENT');
  });

  it('--stop-timeout: the budget starts with the first SIGTERM (CMD first); when it runs out CMD gets SIGKILL, then every service', async () => {
    const c = setUp();
    await daemon.changeDone(0);
    expect(daemon.stopTimeout, 'the container handles the stop timeout').to.be.a('function');
    c.terminate('SIGTERM');
    expect(daemon.budgetStarted).to.equal(1);
    expect(child.signals).to.deep.equal(['SIGTERM']);
    daemon.stopTimeout!();
    expect(child.signals).to.deep.equal(['SIGTERM', 'SIGKILL']);
    child.end({ kind: 'exit', code: null, signal: 'SIGKILL' });
    expect(await c.exited).to.equal(137);
    expect(daemon.forced).to.equal(1);
  });

  it('SIGTERM goes to CMD first; SIGKILL after the grace; the services stop after CMD ended, with its code', async () => {
    const c = setUp();
    await daemon.changeDone(0);
    c.terminate('SIGTERM');
    expect(child.signals).to.deep.equal(['SIGTERM']);
    expect(daemon.phase).to.equal('running');
    clock.advance(499);
    expect(child.signals).to.deep.equal(['SIGTERM']);
    clock.advance(1);
    expect(child.signals).to.deep.equal(['SIGTERM', 'SIGKILL']);
    child.end({ kind: 'exit', code: null, signal: 'SIGKILL' });
    expect(await c.exited).to.equal(137);
    expect(trail.slice(-4)).to.deep.equal(['cmd SIGKILL', 'cmd ended', 'shutdown', 'services down']);
  });

  it('SIGTERM without CMD (or before it started) shuts down with 0, and CMD never starts', async () => {
    let c = setUp({ cmd: [] });
    await daemon.changeDone(0);
    c.terminate('SIGTERM');
    expect(await c.exited).to.equal(0);
    c = setUp();
    c.terminate('SIGINT');
    await daemon.changeDone(1);
    expect(await c.exited).to.equal(0);
    expect(spawned).to.deep.equal([]);
  });

  it('a halt (shutdown with a code) stops CMD first, then the services, and its code wins', async () => {
    const c = setUp();
    await daemon.changeDone(0);
    void daemon.shutdown(7);
    expect(child.signals).to.deep.equal(['SIGTERM']);
    await flush();
    expect(trail).to.not.include('services down');
    child.end({ kind: 'exit', code: null, signal: 'SIGTERM' });
    expect(await c.exited).to.equal(7);
    expect(trail).to.deep.equal(['change default', 'cmd started', 'shutdown', 'cmd SIGTERM', 'cmd ended', 'services down']);
  });

  for (const [onFail, runs, warned] of [
    ['halt', false, false],
    ['warn', true, true],
    ['ignore', true, false],
  ] as const) {
    it(`a failed target with --on-fail ${onFail}: ${runs ? 'CMD runs anyway' : 'exit 1, CMD never runs'}${warned ? ', with a warning' : ''}`, async () => {
      const c = setUp({ onFail });
      await daemon.changeDone(1);
      expect(spawned.length).to.equal(runs ? 1 : 0);
      expect(logs.some((l) => l.startsWith('warning: bringing up default failed (exit code 1); running CMD anyway'))).to.equal(warned);
      if (runs) child.end({ kind: 'exit', code: 0, signal: null });
      expect(await c.exited).to.equal(runs ? 0 : 1);
    });
  }

  it('a target that timed out with --on-fail halt: exit 2 (the timeout code), and the message says so', async () => {
    const c = setUp({ onFail: 'halt' });
    await daemon.changeDone(2);
    expect(spawned.length).to.equal(0);
    expect(logs).to.include('bringing up default timed out (exit code 2): halting (--on-fail halt)');
    expect(await c.exited).to.equal(2);
  });

  it('a target that timed out with --on-fail warn: the warning names the timeout, CMD runs', async () => {
    const c = setUp({ onFail: 'warn' });
    await daemon.changeDone(2);
    expect(logs).to.include('warning: bringing up default timed out (exit code 2); running CMD anyway (--on-fail warn)');
    child.end({ kind: 'exit', code: 0, signal: null });
    expect(await c.exited).to.equal(0);
  });

  it('a second signal kills CMD at once and then every service (exit 137); SIGQUIT exits 131', async () => {
    let c = setUp();
    await daemon.changeDone(0);
    c.terminate('SIGTERM');
    c.escalate('SIGTERM');
    expect(child.signals).to.deep.equal(['SIGTERM', 'SIGKILL']);
    expect(daemon.forced).to.equal(0);
    child.end({ kind: 'exit', code: null, signal: 'SIGKILL' });
    expect(await c.exited).to.equal(137);
    expect(daemon.forced).to.equal(1);
    c = setUp();
    await daemon.changeDone(0);
    c.killAll('SIGQUIT');
    expect(child.signals).to.include('SIGKILL');
    expect(daemon.forced).to.equal(1);
    child.end({ kind: 'exit', code: null, signal: 'SIGKILL' });
    expect(await c.exited).to.equal(131);
  });
});

describe('mainExit', () => {
  it('maps how CMD ended to the shell conventions', () => {
    expect(mainExit({ kind: 'exit', code: 0, signal: null }).code).to.equal(0);
    expect(mainExit({ kind: 'exit', code: 3, signal: null }).code).to.equal(3);
    expect(mainExit({ kind: 'exit', code: null, signal: 'SIGTERM' }).code).to.equal(143);
    expect(mainExit({ kind: 'spawn-error', errno: 'ENOENT', message: '' }).code).to.equal(127);
    expect(mainExit({ kind: 'spawn-error', errno: 'EACCES', message: '' }).code).to.equal(126);
  });

  it('labels CMD shell-quoted, so one can see where each argument ends', () => {
    const label = (argv: string[]) => new MainCommand({ argv, env: {}, clock: new FakeClock(), spawn: () => new FakeChild([]) }).label;
    expect(label(['sh', '-c', 'echo main: hello; sleep 2; exit 3'])).to.equal("sh -c 'echo main: hello; sleep 2; exit 3'");
    expect(label(['my-app', '--port', '8080', "it's", ''])).to.equal("my-app --port 8080 'it'\\''s' ''");
  });
});
