// Supervisor with real processes: start, stop, finish.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/paths.js';
import { parseProcStat } from '../../../lib/sys/proc-stat.js';
import { alive, groupGone, Rig, serviceDir } from './helpers.js';

describe('supervise/Supervisor with real processes: start, stop, finish', function () {
  this.timeout(15_000);
  let tmp: { path: string; cleanup: () => void };
  let rig: Rig;
  beforeEach(() => {
    tmp = tempDir('rc-sv-');
    rig = new Rig();
  });
  afterEach(async () => {
    await rig.cleanup();
    tmp.cleanup();
  });

  it('execs ./run with argv "run NAME" in a new session and process group', async () => {
    const dir = serviceDir(tmp.path, '1000', { link: '/usr/bin/sleep' }); // `run 1000` = sleep 1000
    const sup = rig.supervisor(dir, { name: '1000' });
    sup.up();
    const pid = sup.status().pid!;
    // posix_spawn returns once the child has released the parent's memory in execve, which is
    // before the kernel fills in the new image's argument area: cmdline can read empty for a moment.
    const cmdline = async (): Promise<string> => {
      for (let i = 0; i < 200; i++) {
        const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (text !== '') return text;
        await new Promise((r) => setImmediate(r));
      }
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    };
    expect((await cmdline()).split('\0')).to.deep.equal(['run', '1000', '']);
    const st = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!;
    expect(st.pgid).to.equal(pid);
    expect(st.sid).to.equal(pid);
    expect(sup.status().pgid).to.equal(pid);
  });

  it('gives cwd = service dir, RC_NAME, stdin /dev/null, and output to the sink per stream', async () => {
    const dir = serviceDir(
      tmp.path,
      'info',
      'echo "cwd=$(pwd) name=$RC_NAME home=$HOME stdin=$(readlink /proc/self/fd/0)"\necho "to stderr" >&2\nexec sleep 1000',
    );
    const sup = rig.supervisor(dir, { name: 'info' }, { env: { PATH: process.env.PATH, HOME: '/nowhere' } });
    sup.up();
    const line = await rig.sink.line(/^cwd=/);
    expect(line).to.deep.equal({ service: 'info', stream: 'stdout', text: `cwd=${dir} name=info home=/nowhere stdin=/dev/null` });
    expect(await rig.sink.line(/to stderr/)).to.include({ service: 'info', stream: 'stderr' });
  });

  it('does not pass ignored or blocked signals to the service', async () => {
    const own = readFileSync('/proc/self/status', 'utf8');
    expect(BigInt('0x' + /^SigIgn:\s*(\w+)/m.exec(own)![1]) & (1n << 12n)).to.not.equal(0n); // Node ignores SIGPIPE
    const dir = serviceDir(tmp.path, 'sigs', 'exec grep -E "^Sig(Ign|Blk)" /proc/self/status');
    rig.supervisor(dir, { name: 'sigs' }).once();
    expect((await rig.sink.line(/^SigIgn/)).text).to.match(/^SigIgn:\s+0+$/);
    expect((await rig.sink.line(/^SigBlk/)).text).to.match(/^SigBlk:\s+0+$/);
  });

  it('down: down-signal, death, finish done; nothing is left in the process group', async () => {
    const dir = serviceDir(tmp.path, 'fam', 'sleep 1000 &\nsleep 1000 &\necho forked\nwait');
    const sup = rig.supervisor(dir, { name: 'fam' });
    sup.up();
    const pid = sup.status().pid!;
    await rig.sink.line(/^forked$/);
    const down = sup.waitFor('down', 5000);
    sup.down();
    expect(await down).to.deep.equal({ ok: true });
    expect(rig.events.types().slice(-4)).to.deep.equal(['stopping', 'exited', 'leftovers-killed', 'down']);
    expect(await groupGone(pid)).to.deep.equal([]);
    expect(sup.status()).to.include({ state: 'down', pid: null });
    expect(sup.status().lastExit).to.deep.equal({ code: null, signal: 'SIGTERM' });
  });

  it('a grandchild that outlives ./run is killed with its group when ./run exits', async () => {
    const dir = serviceDir(tmp.path, 'orphan', 'sleep 1000 &\necho "gc=$!"\nexit 3');
    const sup = rig.supervisor(dir, { name: 'orphan' });
    sup.once();
    const pid = sup.status().pid!;
    const gc = Number((await rig.sink.line(/^gc=/)).text.slice(3));
    await rig.events.next('down');
    expect(rig.events.of('exited')[0]).to.include({ code: 3, signal: null });
    expect(rig.events.of('leftovers-killed')[0]).to.include({ pgid: pid });
    expect(await groupGone(pid)).to.deep.equal([]);
    expect(alive(gc)).to.equal(false);
  });

  it('a service ignoring SIGTERM is killed (whole group) after timeout-kill', async () => {
    const dir = serviceDir(tmp.path, 'stubborn', "trap '' TERM\necho trapped\nsleep 1000 &\nwait\nwait");
    const sup = rig.supervisor(dir, { name: 'stubborn', timeoutKill: 300 });
    sup.up();
    const pid = sup.status().pid!;
    await rig.sink.line(/trapped/);
    const t0 = performance.now();
    sup.down();
    await rig.events.next('down');
    const took = performance.now() - t0;
    expect(took).to.be.at.least(290); // not before timeout-kill; when exactly is supervisor-lifecycle.test.ts's (fake clock)
    expect(rig.events.of('kill-escalated')).to.have.length(1);
    expect(rig.events.of('exited')[0]).to.include({ signal: 'SIGKILL' });
    expect(await groupGone(pid)).to.deep.equal([]);
  });

  it('finish gets EXITCODE SIGNAL NAME, in the service dir (exit code and killed-by-signal cases)', async () => {
    const dir = serviceDir(tmp.path, 'fin', 'exec sleep 1000', 'echo "finish $* in $(pwd)"');
    const sup = rig.supervisor(dir, { name: 'fin', hasFinish: true });
    sup.up();
    sup.down();
    expect((await rig.sink.line(/^finish/)).text).to.equal(`finish 256 15 fin in ${dir}`);
    await rig.events.next('down');
    const dir2 = serviceDir(tmp.path, 'fin2', 'exit 7', 'echo "finish2 $*"');
    rig.supervisor(dir2, { name: 'fin2', hasFinish: true }).once();
    expect((await rig.sink.line(/^finish2/)).text).to.equal('finish2 7 0 fin2');
  });

  it('finish exiting 125 is a permanent failure: failed, not restarted', async () => {
    const dir = serviceDir(tmp.path, 'perm', 'exit 1', 'exit 125');
    const sup = rig.supervisor(dir, { name: 'perm', hasFinish: true, restartDelay: 0 });
    const up = sup.waitFor('ready', 5000);
    sup.up();
    const ev = await rig.events.next('permanent-failure');
    expect(ev.reason).to.match(/125/);
    expect(sup.status()).to.include({ state: 'failed', wantUp: false });
    expect(await up).to.deep.equal({ ok: true }); // it had been spawned before failing
    expect(await sup.waitFor('up', 5000)).to.include({ ok: false, reason: 'permanent-failure' });
    expect(rig.events.of('spawned')).to.have.length(1);
  });

  it('timeout-finish: a finish that hangs is killed', async () => {
    const dir = serviceDir(tmp.path, 'slowfin', 'exit 0', 'exec sleep 1000');
    const sup = rig.supervisor(dir, { name: 'slowfin', hasFinish: true, timeoutFinish: 200 });
    sup.once();
    const t0 = performance.now();
    await rig.events.next('finish-timeout');
    const done = await rig.events.next('finish-done');
    expect(performance.now() - t0).to.be.at.least(190);
    expect(done).to.include({ signal: 'SIGKILL' });
    expect(sup.status().state).to.equal('down');
  });

  it('exec failures are events naming path and errno; the supervisor keeps going', async () => {
    const missing = join(tmp.path, 'missing');
    const a = rig.supervisor(missing, { name: 'missing' });
    const w = a.waitFor('up', 5000);
    a.up();
    expect(await w).to.include({ ok: false, reason: 'exec-failed' });
    expect(rig.events.of('exec-failed')[0]).to.include({ path: `${missing}/run`, errno: 'ENOENT', retryInMs: 10_000 });
    const noexec = serviceDir(tmp.path, 'noexec', 'exit 0');
    const { chmodSync } = await import('node:fs');
    chmodSync(join(noexec, 'run'), 0o644);
    rig.supervisor(noexec, { name: 'noexec' }).up();
    const badInterp = serviceDir(tmp.path, 'badinterp', 'exit 0');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(badInterp, 'run'), '#!/no/such/interpreter\n');
    rig.supervisor(badInterp, { name: 'badinterp' }).up();
    const evs = async () => {
      while (rig.events.of('exec-failed').length < 3) await rig.events.next('exec-failed');
      return rig.events.of('exec-failed');
    };
    const [, e2, e3] = await evs();
    expect(e2).to.include({ errno: 'EACCES' });
    expect(e2!.message).to.match(/permission denied/);
    expect(e3).to.include({ errno: 'ENOENT' });
    expect(e3!.message).to.match(/bad interpreter/);
    expect(a.status().state).to.equal('starting');
  });
});
