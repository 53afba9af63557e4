// The node spawner with real processes: sessions, the notification pipe, exec failures, group kills.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { createNodeSpawner, killProcessGroup, spawnProcess, type ChildEnd } from '../../../lib/supervise/spawner.js';
import { parseProcStat } from '../../../lib/sys/proc-stat.js';

const ended = (child: { onEnd(cb: (e: ChildEnd) => void): void }): Promise<ChildEnd> => new Promise((r) => child.onEnd(r));
const stat = (pid: number) => parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!;

describe('supervise/spawner (real processes)', () => {
  it('detached children get their own session; others stay in ours (main command with a TTY)', async () => {
    const a = spawnProcess({ file: 'sleep', args: ['10'], stdio: ['ignore', 'ignore', 'ignore'], detached: true });
    const b = spawnProcess({ file: 'sleep', args: ['10'], stdio: ['ignore', 'ignore', 'ignore'], detached: false });
    expect(stat(a.pid!)).to.include({ pgid: a.pid, sid: a.pid });
    expect(stat(b.pid!).pgid).to.equal(stat(process.pid).pgid);
    a.kill('SIGKILL');
    b.kill('SIGKILL');
    expect(await ended(a)).to.deep.equal({ kind: 'exit', code: null, signal: 'SIGKILL' });
    expect(await ended(b)).to.include({ signal: 'SIGKILL' });
    expect(a.kill('SIGTERM')).to.equal(false); // gone
  });

  it('puts a notification pipe at the requested fd and exposes its read end', async () => {
    const spawner = createNodeSpawner();
    const c = spawner.spawn({
      file: 'sh',
      args: ['-c', 'echo ready >&5'],
      cwd: '/',
      env: process.env,
      stdio: { stdin: 'ignore', stdout: 'sink', stderr: 'ignore' },
      notificationFd: 5,
    });
    let got = '';
    c.notification!.on('data', (d: Buffer) => (got += d.toString()));
    const closed = new Promise((r) => c.notification!.on('close', r));
    c.stdout!.resume();
    expect(c.stderr).to.equal(null);
    await ended(c);
    await closed;
    expect(got).to.equal('ready\n');
  });

  it('reports exec failures through onEnd, also when registered late; tracks children', async () => {
    const tracked: ChildProcess[] = [];
    const spawner = createNodeSpawner({ track: (c) => tracked.push(c) });
    const bad = spawner.spawn({ file: '/no/such/file', args: [], cwd: '/', env: {}, stdio: { stdin: 'ignore', stdout: 'sink', stderr: 'sink' } });
    expect(bad.pid).to.equal(undefined);
    await new Promise((r) => setImmediate(r));
    expect(await ended(bad)).to.include({ kind: 'spawn-error', errno: 'ENOENT' });
    const good = spawner.spawn({ file: 'true', args: [], cwd: '/', env: process.env, stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' } });
    expect(tracked.map((c) => c.pid)).to.deep.equal([good.pid]);
    expect(await ended(good)).to.deep.equal({ kind: 'exit', code: 0, signal: null });
  });

  it('killProcessGroup is false for an empty group and refuses pgid 0 and 1', () => {
    expect(killProcessGroup(0, 'SIGTERM')).to.equal(false);
    expect(killProcessGroup(1, 'SIGTERM')).to.equal(false);
    expect(killProcessGroup(4_000_000, 'SIGTERM')).to.equal(false);
  });
});
