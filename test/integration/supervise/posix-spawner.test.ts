// The posix spawner with real processes: sessions, stdio and fds, exec failures as today, early-closed stdout, 2,000 children.
import { expect } from 'chai';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLauncher } from '../../../lib/supervise/launcher.js';
import { describeExecFailure } from '../../../lib/supervise/exec-errors.js';
import type { ChildEnd, ChildHandle, SpawnRequest } from '../../../lib/supervise/spawner.js';
import { parseProcStat } from '../../../lib/sys/proc-stat.js';
import { tempDir } from '../../helpers/paths.js';
import { writeExec } from './helpers.js';

const launcher = createLauncher();
const ended = (child: ChildHandle): Promise<ChildEnd> => new Promise((r) => child.onEnd(r));
const stat = (pid: number) => parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!;
const quiet = { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' } as const;
const piped = { stdin: 'ignore', stdout: 'sink', stderr: 'sink' } as const;

/** Everything a readable stream gives until it closes. */
function collect(stream: NodeJS.ReadableStream | null): Promise<string> {
  if (!stream) return Promise.resolve('');
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return new Promise((resolve) => stream.on('close', () => resolve(text)));
}

/** Spawn through the posix spawner; `out` is everything the child wrote to stdout. */
async function run(request: Partial<SpawnRequest> & Pick<SpawnRequest, 'file'>): Promise<{ child: ChildHandle; end: ChildEnd; out: string; err: string }> {
  const child = launcher.spawner.spawn({ args: [], cwd: '/', env: process.env, stdio: piped, ...request });
  const [end, out, err] = await Promise.all([ended(child), collect(child.stdout), collect(child.stderr)]);
  return { child, end, out, err };
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('supervise/posix-spawner (real processes)', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('rc-posix-')));
  afterEach(() => tmp.cleanup());

  it('is the default spawner (koffi loads here)', () => {
    expect(launcher.kind).to.equal('posix');
    expect(launcher.note).to.equal(null);
  });

  it('requests get their own session; the low-level form can stay in ours (the main command)', async () => {
    const a = launcher.spawner.spawn({ file: 'sleep', args: ['10'], cwd: '/', env: process.env, stdio: quiet });
    const b = launcher.spawnProcess({ file: 'sleep', args: ['10'], stdio: ['ignore', 'ignore', 'ignore'], detached: false });
    expect(stat(a.pid!)).to.include({ pgid: a.pid, sid: a.pid });
    expect(stat(b.pid!).pgid).to.equal(stat(process.pid).pgid);
    expect(launcher.isOwnChild(a.pid!)).to.equal(true);
    expect(a.kill('SIGKILL')).to.equal(true);
    b.kill('SIGTERM');
    expect(await ended(a)).to.deep.equal({ kind: 'exit', code: null, signal: 'SIGKILL' });
    expect(await ended(b)).to.deep.equal({ kind: 'exit', code: null, signal: 'SIGTERM' });
    expect(a.kill('SIGTERM')).to.equal(false);
    expect(launcher.isOwnChild(a.pid!)).to.equal(false);
  });

  it('passes argv0, args, cwd and env; a bare name is looked up in the child\'s PATH, not ours', async () => {
    const bin = join(tmp.path, 'bin');
    mkdirSync(bin);
    writeExec(join(bin, 'only-here'), '#!/bin/sh\necho "$0 $1 $(pwd) $MARK"\nexit 4\n');
    const r = await run({ file: 'only-here', args: ['x'], argv0: 'zero', cwd: tmp.path, env: { PATH: `${bin}:/usr/bin:/bin`, MARK: 'm' } });
    expect(r.end).to.deep.equal({ kind: 'exit', code: 4, signal: null });
    expect(r.out).to.equal(`${join(bin, 'only-here')} x ${tmp.path} m\n`);
    const missing = await run({ file: 'only-here', env: { PATH: '/usr/bin:/bin' } });
    expect(missing.end).to.deep.equal({ kind: 'spawn-error', errno: 'ENOENT', message: 'spawn only-here ENOENT' });
  });

  it('exec failures keep node:child_process\'s wording and today\'s explanations', async () => {
    writeExec(join(tmp.path, 'bad-interp'), '#!/no/such/interpreter\n');
    writeFileSync(join(tmp.path, 'not-exec'), '#!/bin/sh\n', { mode: 0o644 });
    const cases: [string, string, string][] = [
      [join(tmp.path, 'nope'), 'ENOENT', 'no such file'],
      [join(tmp.path, 'not-exec'), 'EACCES', 'permission denied (not executable, or a directory)'],
      [tmp.path, 'EACCES', 'permission denied'],
      [join(tmp.path, 'bad-interp'), 'ENOENT', 'bad interpreter (the program named on its #! line does not exist)'],
    ];
    for (const [file, errno, explained] of cases) {
      const r = await run({ file });
      expect(r.child.pid, file).to.equal(undefined);
      expect(r.end).to.deep.equal({ kind: 'spawn-error', errno, message: `spawn ${file} ${errno}` });
      expect(describeExecFailure(file, errno, '/', process.env).message).to.include(explained);
    }
    const cwd = await run({ file: 'true', cwd: join(tmp.path, 'gone') });
    expect(cwd.end).to.include({ kind: 'spawn-error', errno: 'ENOENT' });
    expect(describeExecFailure('true', 'ENOENT', join(tmp.path, 'gone'), process.env).message).to.equal(`${join(tmp.path, 'gone')}: working directory does not exist`);
  });

  it('a script without #! is run by /bin/sh, as execvp (and so child_process) does', async () => {
    writeExec(join(tmp.path, 'plain'), 'echo "plain $1"\nexit 6\n');
    const r = await run({ file: join(tmp.path, 'plain'), args: ['arg'] });
    expect(r.end).to.deep.equal({ kind: 'exit', code: 6, signal: null });
    expect(r.out).to.equal('plain arg\n');
  });

  it('a child that closes its stdout early: the stream ends, the exit comes later with its code', async () => {
    const child = launcher.spawner.spawn({ file: 'sh', args: ['-c', 'echo bye; exec >&-; echo still >&2; sleep 0.3; exit 5'], cwd: '/', env: process.env, stdio: piped });
    let exited = false;
    const end = ended(child).then((e) => ((exited = true), e));
    const out = await collect(child.stdout);
    expect(out).to.equal('bye\n');
    expect(exited, 'stdout closed before the exit').to.equal(false);
    expect(await end).to.deep.equal({ kind: 'exit', code: 5, signal: null });
    expect(await collect(child.stderr)).to.equal('still\n');
  });

  it('children start with an empty signal mask and nothing ignored (Node ignores SIGPIPE itself)', async () => {
    const r = await run({ file: 'grep', args: ['-E', '^Sig(Blk|Ign)', '/proc/self/status'] });
    expect(r.out).to.equal('SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
  });

  it('stdio: /dev/null, an fd of ours, the notification pipe, and a passed fd whose number is another fd\'s target', async () => {
    const file = join(tmp.path, 'out');
    const fd = openSync(file, 'w');
    const lock = openSync(join(tmp.path, 'lock'), 'w');
    try {
      // The notification pipe goes to the lock's own number: the lock must be moved out of the way first.
      const script = `readlink /proc/self/fd/0; echo to-file; readlink /proc/self/fd/${lock + 40}; echo ready > /proc/self/fd/${lock}`;
      const child = launcher.spawner.spawn({
        file: 'sh', args: ['-c', script], cwd: '/', env: process.env,
        stdio: { stdin: 'ignore', stdout: fd, stderr: 'sink' },
        notificationFd: lock,
        passFd: { at: lock + 40, fd: lock },
      });
      const [end, note] = await Promise.all([ended(child), collect(child.notification)]);
      expect(end).to.deep.equal({ kind: 'exit', code: 0, signal: null });
      expect(child.stdout).to.equal(null);
      expect(note).to.equal('ready\n');
      expect(readFileSync(file, 'utf8')).to.equal(`/dev/null\nto-file\n${join(tmp.path, 'lock')}\n`);
      expect(readlinkSync(`/proc/self/fd/${lock}`)).to.equal(join(tmp.path, 'lock'));
    } finally {
      closeSync(fd);
      closeSync(lock);
    }
  });

  it('2,000 concurrent short-lived children: every end reported, no zombie, no descriptor left', async () => {
    const before = openFds();
    const children = Array.from({ length: 2000 }, (_, i) =>
      launcher.spawner.spawn({ file: 'sh', args: ['-c', `echo ${i}; exit $((${i} % 7))`], cwd: '/', env: { PATH: process.env['PATH'] }, stdio: { ...piped, stderr: 'ignore' } }),
    );
    const results = await Promise.all(children.map(async (c) => ({ end: await ended(c), out: await collect(c.stdout) })));
    results.forEach((r, i) => {
      expect(r.end).to.deep.equal({ kind: 'exit', code: i % 7, signal: null });
      expect(r.out).to.equal(`${i}\n`);
    });
    const pids = new Set(children.map((c) => c.pid));
    const zombies = readdirSync('/proc').filter((e) => pids.has(Number(e)) && stat(Number(e)).ppid === process.pid && stat(Number(e)).state === 'Z');
    expect(zombies).to.deep.equal([]);
    expect(children.some((c) => launcher.isOwnChild(c.pid!))).to.equal(false);
    expect(openFds()).to.equal(before);
  });

  it('RC_SPAWNER=node picks child_process and says so; an unknown value is named and posix kept', () => {
    const node = createLauncher({ env: { RC_SPAWNER: 'node' } });
    expect(node.kind).to.equal('node');
    expect(node.note).to.include('RC_SPAWNER=node');
    const typo = createLauncher({ env: { RC_SPAWNER: 'nod' } });
    expect(typo.kind).to.equal('posix');
    expect(typo.note).to.equal('RC_SPAWNER=nod is not a spawner (posix or node); using posix');
    const noKoffi = createLauncher({ calls: () => ({ ok: false, error: 'cannot load koffi (FFI): gone' }) });
    expect(noKoffi.kind).to.equal('node');
    expect(noKoffi.note).to.equal('cannot load koffi (FFI): gone; processes are created with node:child_process instead');
  });
});
