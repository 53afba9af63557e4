// OneshotRunner on a fake clock and spawner.
import { expect } from 'chai';
import { FakeClock } from '../../../lib/core/clock.js';
import { OneshotRunner, ONESHOT_KILL_GRACE_MS, type OneshotRunOptions } from '../../../lib/supervise/oneshot.js';
import { discardSink } from '../../../lib/supervise/output-sink.js';
import { FakeSpawner, flush } from './fakes.js';

function setup() {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const runner = new OneshotRunner({ spawner, clock });
  const opts = (argv: string[], over: Partial<OneshotRunOptions> = {}): OneshotRunOptions => ({
    name: 'init-db',
    dir: '/tmp',
    argv,
    timeoutMs: 0,
    output: discardSink,
    env: { PATH: '/nonexistent-bin' },
    ...over,
  });
  return { clock, spawner, runner, opts };
}

describe('supervise/OneshotRunner (fake clock and spawner)', () => {
  it('an empty argv succeeds at once without spawning', async () => {
    const { runner, spawner, opts } = setup();
    expect(await runner.run(opts([]))).to.deep.equal({ ok: true, durationMs: 0 });
    expect(spawner.children).to.have.length(0);
  });

  it('runs argv directly in the dir with RC_NAME; exit 0 = success with its duration', async () => {
    const { runner, spawner, clock, opts } = setup();
    const p = runner.run(opts(['mkdir', '-p', '$HOME/x']));
    const child = spawner.last('mkdir');
    expect(child.request.args).to.deep.equal(['-p', '$HOME/x']); // no expansion
    expect(child.request.cwd).to.equal('/tmp');
    expect(child.request.env).to.deep.equal({ PATH: '/nonexistent-bin', RC_NAME: 'init-db' });
    expect(child.request.stdio).to.deep.equal({ stdin: 'ignore', stdout: 'sink', stderr: 'sink' });
    clock.advance(25);
    child.exit(0);
    expect(await p).to.deep.equal({ ok: true, durationMs: 25 });
  });

  it('non-zero exit and signals are failures', async () => {
    const { runner, spawner, opts } = setup();
    const a = runner.run(opts(['false']));
    spawner.last('false').exit(3);
    expect(await a).to.deep.equal({ ok: false, reason: 'exit-code', exitCode: 3, signal: null, message: 'init-db: command exited 3' });
    const b = runner.run(opts(['sh']));
    spawner.last('sh').exit(null, 'SIGSEGV');
    expect(await b).to.include({ ok: false, reason: 'signal', signal: 'SIGSEGV', exitCode: null });
  });

  it('timeout: SIGTERM + SIGCONT to the group, SIGKILL after the grace, reason timeout', async () => {
    const { runner, spawner, clock, opts } = setup();
    const p = runner.run(opts(['sleep', '100'], { timeoutMs: 300 }));
    const child = spawner.last('sleep');
    clock.advance(299);
    expect(spawner.groupKills).to.deep.equal([]);
    clock.advance(1);
    expect(spawner.groupKills).to.deep.equal([
      { pgid: child.pid, signal: 'SIGTERM' },
      { pgid: child.pid, signal: 'SIGCONT' },
    ]);
    clock.advance(ONESHOT_KILL_GRACE_MS);
    expect(spawner.groupKills[2]).to.deep.equal({ pgid: child.pid, signal: 'SIGKILL' });
    child.exit(null, 'SIGKILL');
    const r = await p;
    expect(r).to.include({ ok: false, reason: 'timeout', signal: 'SIGKILL' });
    expect(spawner.groupKills[3]).to.deep.equal({ pgid: child.pid, signal: 'SIGKILL' }); // leftovers
  });

  it('abort kills the group and reports aborted; an already aborted signal spawns nothing', async () => {
    const { runner, spawner, clock, opts } = setup();
    const ac = new AbortController();
    const p = runner.run(opts(['sleep', '100'], { signal: ac.signal }));
    const child = spawner.last('sleep');
    ac.abort();
    expect(spawner.groupKills[0]).to.deep.equal({ pgid: child.pid, signal: 'SIGTERM' });
    child.exit(null, 'SIGTERM');
    expect(await p).to.include({ ok: false, reason: 'aborted' });
    clock.advance(5000);
    expect(spawner.groupKills.filter((k) => k.signal === 'SIGKILL')).to.have.length(1);
    const again = await runner.run(opts(['true'], { signal: ac.signal }));
    expect(again).to.include({ ok: false, reason: 'aborted' });
    expect(spawner.of('true')).to.have.length(0);
  });

  it('a command that does not exist fails with 127 and says so; execline words get a hint', async () => {
    const { runner, spawner, opts } = setup();
    spawner.failures.set('no-such-cmd', 'ENOENT');
    spawner.failures.set('foreground', 'ENOENT');
    const a = await runner.run(opts(['no-such-cmd']));
    expect(a).to.deep.equal({
      ok: false, reason: 'not-found', exitCode: 127, signal: null, message: 'init-db: no-such-cmd: command not found',
    });
    const b = await runner.run(opts(['foreground', '{', 'true', '}']));
    expect(b).to.include({ reason: 'not-found', exitCode: 127 });
    expect((b as { message: string }).message).to.equal('init-db: foreground: command not found (is execline installed?)');
  });

  it('a program that is not executable fails with 126 (exec-failed)', async () => {
    const { runner, spawner, opts } = setup();
    spawner.failures.set('script', 'EACCES');
    await flush();
    const r = await runner.run(opts(['./script']));
    expect(r).to.include({ ok: false, reason: 'exec-failed', exitCode: 126 });
  });
});
