// sys/child-waiter with fake reaping calls: one peek per death, the full scan when a foreign child hides ours, lost statuses, the keep-alive.
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { ChildWaiter, type ChildExit, type ReapCalls } from '../../../lib/sys/child-waiter.js';
import type { WaitOutcome } from '../../../lib/sys/wait-status.js';

/** Children of a fake process: `ended` in the order the kernel would list them; `calls` counts each call. */
class FakeKernel implements ReapCalls {
  readonly alive = new Set<number>();
  /** pid → exit status of children that ended and are not reaped yet (insertion order = waitid order). */
  readonly ended = new Map<number, ChildExit>();
  readonly calls = { peek: 0, reap: 0 };
  /** Pids someone else reaps behind our back. */
  readonly stolen = new Set<number>();

  peekEnded(): number {
    this.calls.peek++;
    if (this.alive.size === 0 && this.ended.size === 0) return -1;
    return this.ended.keys().next().value ?? 0;
  }

  reap(pid: number): WaitOutcome {
    this.calls.reap++;
    const status = this.ended.get(pid);
    if (this.stolen.has(pid)) return { kind: 'gone', errno: 10 };
    if (!status) return this.alive.has(pid) ? { kind: 'running' } : { kind: 'gone', errno: 10 };
    this.ended.delete(pid);
    return { kind: 'reaped', pid, status };
  }

  exit(pid: number, code: number | null, signal: number | null = null): void {
    this.alive.delete(pid);
    this.ended.set(pid, { code, signal });
  }
}

describe('sys/child-waiter', () => {
  let kernel: FakeKernel;
  let signals: EventEmitter;
  let waiter: ChildWaiter;
  const seen: [number, ChildExit][] = [];
  const listener = (pid: number) => ({ childExited: (e: ChildExit) => seen.push([pid, e]) });
  const watch = (...pids: number[]): void => {
    for (const pid of pids) {
      kernel.alive.add(pid);
      waiter.watch(pid, listener(pid));
    }
  };

  beforeEach(() => {
    kernel = new FakeKernel();
    signals = new EventEmitter();
    waiter = new ChildWaiter({ calls: kernel, signals, pollMs: 60_000 });
    seen.length = 0;
  });
  afterEach(() => {
    // Every test ends with nothing watched: the keep-alive timer is unreferenced again.
    for (const pid of kernel.alive) kernel.exit(pid, 0);
    waiter.drain();
  });

  it('listens for SIGCHLD once armed, and reaps on it: one peek per death, whatever the number of children', () => {
    waiter.arm();
    waiter.arm();
    expect(signals.listenerCount('SIGCHLD')).to.equal(1);
    watch(...Array.from({ length: 1000 }, (_, i) => 100 + i));
    kernel.exit(500, 3);
    kernel.exit(107, null, 9);
    signals.emit('SIGCHLD');
    expect(seen).to.deep.equal([[500, { code: 3, signal: null }], [107, { code: null, signal: 9 }]]);
    expect(kernel.calls).to.deep.equal({ peek: 3, reap: 2 });
    expect(waiter.has(500)).to.equal(false);
    expect(waiter.has(501)).to.equal(true);
    expect(waiter.size).to.equal(998);
  });

  it('a child that is not ours hides the others from waitid: every watched pid is then asked', () => {
    watch(1, 2, 3);
    kernel.ended.set(99, { code: 0, signal: null }); // libuv's child, or an orphan for the PID-1 reaper
    kernel.exit(2, 1);
    expect(waiter.drain()).to.equal(1);
    expect(seen).to.deep.equal([[2, { code: 1, signal: null }]]);
    expect(kernel.ended.has(99)).to.equal(true);
    expect(kernel.calls.reap).to.equal(3);
  });

  it('a watched child reaped by someone else is reported with its status lost, once', () => {
    watch(7);
    kernel.stolen.add(7);
    kernel.alive.delete(7);
    kernel.ended.set(99, { code: 0, signal: null });
    waiter.drain();
    waiter.drain();
    expect(seen).to.deep.equal([[7, { code: null, signal: null }]]);
    kernel.ended.delete(99);
  });

  it('a listener may spawn (watch) again from its callback: a restart is not lost', () => {
    kernel.alive.add(1);
    waiter.watch(1, {
      childExited: () => {
        kernel.alive.add(2);
        waiter.watch(2, listener(2));
      },
    });
    kernel.exit(1, 0);
    waiter.drain();
    expect(waiter.has(2)).to.equal(true);
    kernel.exit(2, 0);
    waiter.drain();
    expect(seen).to.deep.equal([[2, { code: 0, signal: null }]]);
  });

  it('keeps the event loop alive only while it watches children', () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const idle = timers();
    watch(5);
    expect(timers()).to.equal(idle + 1);
    kernel.exit(5, 0);
    waiter.drain();
    expect(timers()).to.equal(idle);
  });
});
