// OneshotRunner with real processes.
import { expect } from 'chai';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/paths.js';
import { OneshotRunner } from '../../../lib/supervise/oneshot.js';
import { createSpawner } from '../../../lib/supervise/launcher.js';
import { alive, CollectSink, groupGone } from './helpers.js';

// Every case runs twice: scripts run directly, and under the waiter that records their outcome (same results).
for (const waiter of [false, true]) describe(`supervise/OneshotRunner with real processes${waiter ? ', under the waiter' : ''}`, function () {
  this.timeout(20_000);
  let tmp: { path: string; cleanup: () => void };
  let records: { path: string; cleanup: () => void };
  let sink: CollectSink;
  let runner: OneshotRunner;
  const direction = waiter ? ({ direction: 'up' } as const) : {};
  before(() => {
    records = tempDir('rc-os-rec-');
    runner = new OneshotRunner({ spawner: createSpawner({ env: process.env }), records: waiter ? { dir: records.path, shell: '/bin/sh' } : null });
  });
  after(() => records.cleanup());
  beforeEach(() => {
    tmp = tempDir('rc-os-');
    sink = new CollectSink();
  });
  afterEach(() => {
    tmp.cleanup();
    // A record is dropped once the runner saw its script end.
    expect(readdirSync(records.path)).to.deep.equal([]);
  });

  const run = (argv: string[], timeoutMs = 0, signal?: AbortSignal) =>
    runner.run({ name: 'init', dir: tmp.path, argv, timeoutMs, signal, output: sink, ...direction });

  it('runs argv directly: PATH lookup, no shell, no expansion; output to the sink', async () => {
    const r = await run(['echo', '$HOME', '*', '${X}']);
    expect(r.ok).to.equal(true);
    expect(await sink.line(/HOME/)).to.deep.equal({ service: 'init', stream: 'stdout', text: '$HOME * ${X}' });
  });

  it('cwd is the oneshot dir and RC_NAME is set', async () => {
    expect((await run(['sh', '-c', 'echo "$(pwd) $RC_NAME" >&2'])).ok).to.equal(true);
    expect(await sink.line(/init$/)).to.deep.equal({ service: 'init', stream: 'stderr', text: `${tmp.path} init` });
  });

  it('exit codes and signals are failures with reasons', async () => {
    expect(await run(['sh', '-c', 'exit 3'])).to.deep.equal({
      ok: false, reason: 'exit-code', exitCode: 3, signal: null, message: 'init: command exited 3',
    });
    expect(await run(['sh', '-c', 'kill -USR1 $$'])).to.include({ ok: false, reason: 'signal', signal: 'SIGUSR1' });
  });

  it('a command that does not exist: exit 127 and a message; execline words get a hint', async () => {
    expect(await run(['no-such-command-xyz', 'a'])).to.deep.equal({
      ok: false, reason: 'not-found', exitCode: 127, signal: null, message: 'init: no-such-command-xyz: command not found',
    });
    const r = await run(['foreground', '{', 'true', '}']);
    expect(r).to.include({ reason: 'not-found', exitCode: 127 });
    expect((r as { message: string }).message).to.match(/is execline installed\?/);
    expect(await run(['./missing-script'])).to.include({ reason: 'not-found', message: 'init: ./missing-script: no such file' });
  });

  it('timeout kills the whole process group (children too) and reports timeout', async () => {
    const p = run(['sh', '-c', 'sleep 1000 & echo "gc=$!"; wait'], 300);
    const gc = Number((await sink.line(/^gc=/)).text.slice(3));
    // When the kill comes is the fake-clock unit test's (test/unit/supervise/oneshot.test.ts); here: that it reaches the group.
    const r = await p;
    expect(r).to.include({ ok: false, reason: 'timeout' });
    expect((r as { message: string }).message).to.match(/timed out after 300 ms/);
    expect(await groupGone(gc)).to.deep.equal([]); // gc is in the oneshot's group, not its own
    expect(alive(gc)).to.equal(false);
  });

  it('a oneshot ignoring SIGTERM gets SIGKILL after the grace', async () => {
    const p = run(['sh', '-c', 'trap "" TERM; sleep 1000 & echo "gc=$!"; wait; wait'], 200);
    const gc = Number((await sink.line(/^gc=/)).text.slice(3));
    const r = await p;
    expect(r).to.include({ ok: false, reason: 'timeout', signal: 'SIGKILL' });
    expect(await groupGone(gc)).to.deep.equal([]);
  });

  it('abort kills the process group and reports aborted', async () => {
    const ac = new AbortController();
    const p = run(['sh', '-c', 'sleep 1000 & echo "gc=$!"; wait'], 0, ac.signal);
    const gc = Number((await sink.line(/^gc=/)).text.slice(3));
    ac.abort();
    expect(await p).to.include({ ok: false, reason: 'aborted' });
    expect(await groupGone(gc)).to.deep.equal([]);
  });

  it('a script without #!, one not executable, one with a missing interpreter: as without the waiter', async () => {
    writeFileSync(join(tmp.path, 'plain'), 'echo hi\n', { mode: 0o755 });
    writeFileSync(join(tmp.path, 'noexec'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
    writeFileSync(join(tmp.path, 'badinterp'), '#!/no/such/interp\necho hi\n', { mode: 0o755 });
    chmodSync(join(tmp.path, 'noexec'), 0o644);
    // No #! and no ELF magic: whatever the spawner does with it (ENOEXEC), the waiter does not change it.
    const direct = new OneshotRunner({ spawner: createSpawner({ env: process.env }) });
    const without = await direct.run({ name: 'init', dir: tmp.path, argv: ['./plain'], timeoutMs: 0, output: sink });
    const plain = await run(['./plain']);
    expect(plain.ok).to.equal(without.ok);
    if (!plain.ok && !without.ok) expect(plain.message).to.equal(without.message);
    expect(await run(['./noexec'])).to.include({ ok: false, reason: 'exec-failed', exitCode: 126 });
    expect(await run(['./badinterp'])).to.include({ ok: false, reason: 'exec-failed', exitCode: 127, message: 'init: ./badinterp: bad interpreter (the program named on its #! line does not exist)' });
  });

  it('500 concurrent oneshots all succeed, each output under its own name', async function () {
    this.timeout(90_000); // 1,000 processes under the waiter, on a loaded 2-core machine
    const n = 500;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => runner.run({ name: `os${i}`, dir: tmp.path, argv: ['echo', `hi-${i}`], timeoutMs: 80_000, output: sink, ...direction })),
    );
    expect(results.filter((r) => !r.ok)).to.deep.equal([]);
    await sink.count(n);
    const names = new Set(sink.lines.map((l) => `${l.service}:${l.text}`));
    for (let i = 0; i < n; i++) expect(names.has(`os${i}:hi-${i}`)).to.equal(true);
  });
});
