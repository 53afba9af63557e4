// e2e: no request wedges the daemon: a client that leaves cancels its transition; rc down / rc svc -d cancel a start in flight.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { rcBin } from '../helpers/paths.js';
import { childEnv, DaemonRig, until } from './daemon-harness.js';

describe('e2e daemon: waits that can be cancelled', function () {
  this.timeout(30000);
  let rig: DaemonRig | undefined;
  afterEach(async () => rig?.cleanup());

  /** `rc ARGS` in the background: its exit code, and a way to interrupt it like Ctrl-C. */
  function background(args: string[]): { exited: Promise<number | null>; interrupt(): void; err(): string } {
    const child = spawn(process.execPath, [rcBin, ...args, '--live', rig!.live], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    // Progress goes to stdout, messages to stderr: both are what the user sees.
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => (err += c));
    return { exited: new Promise((r) => child.on('close', (code) => r(code))), interrupt: () => child.kill('SIGINT'), err: () => err };
  }

  const busy = async (): Promise<string | null> => (await rig!.status()).daemon.busy;

  it('Ctrl-C on a client waiting for a readiness that never comes cancels its transition; later requests are served', async () => {
    rig = new DaemonRig({ noready: { type: 'longrun', ready: true }, other: { type: 'longrun' } });
    await rig.boot(['--target', 'other']);
    await rig.idle();
    const up = background(['up', 'noready']);
    await until('the daemon to wait for noready', async () => (await busy()) === 'up noready');
    const st = await rig.status();
    expect(st.daemon.waitingFor.map((w) => [w.name, w.what])).to.deep.equal([['noready', 'ready']]);
    const table = await rig.rc(['status']);
    expect(table.stdout).to.match(/^busy: up noready for [\d.]+ s\n {2}waiting for noready \(ready\) for [\d.]+ s\n/);
    up.interrupt();
    await up.exited;
    await until('the daemon to be idle again', async () => (await busy()) === null);
    expect(rig.err).to.include("rc: 'up noready' cancelled: its client went away\n");
    expect((await rig.row('noready')).state).to.equal('down');
    // The queue moves on: a later request is served at once.
    const down = await rig.rc(['down', 'other']);
    expect(down.code, down.stderr).to.equal(0);
  });

  it('Ctrl-C on rc up mid-way: what started stays up (and wanted), what it did not reach is down and not wanted', async () => {
    rig = new DaemonRig({ base: { type: 'longrun' }, slow: { type: 'longrun', ready: true }, app: { type: 'longrun', deps: ['base', 'slow'] }, other: { type: 'longrun' } });
    await rig.boot(['--target', 'other']);
    await rig.idle();
    const up = background(['up', 'app']);
    await until('the daemon to wait for slow', async () => (await rig!.status()).daemon.waitingFor.some((w) => w.name === 'slow'));
    await until('base to be up', async () => (await rig!.row('base')).up);
    up.interrupt();
    await up.exited;
    await until('the daemon to be idle again', async () => (await busy()) === null);
    const rows = (await rig.status()).services.map((r) => ({ name: r.name, up: r.up, wanted: r.wanted }));
    expect(rows).to.deep.include.members([
      { name: 'base', up: true, wanted: true },
      { name: 'slow', up: false, wanted: false },
      { name: 'app', up: false, wanted: false },
      { name: 'other', up: true, wanted: true },
    ]);
    await until('the daemon to say what is no longer wanted', () => /rc: now wanted \(up app \(cancelled\)\): down [a-z, ]*\bapp\b/.test(rig!.err));
    expect((await rig.rc(['status'])).stdout).not.to.include('(wanted up)');
  });

  it('a transition sent with --no-wait goes on when its client leaves', async () => {
    rig = new DaemonRig({ slow: { type: 'longrun', ready: true } });
    await rig.boot(['--target', 'slow', '--timeout', '1']);
    await rig.idle();
    const up = background(['up', '--no-wait', 'slow']);
    await until('the daemon to wait for slow', async () => (await busy()) === 'up slow');
    up.interrupt();
    await up.exited;
    rig.ready('slow');
    await until('slow to be up', async () => (await rig!.row('slow')).up);
  });

  it('rc down cancels a oneshot whose up never ends (its process group is killed) instead of queueing behind it', async () => {
    rig = new DaemonRig({ hang: { type: 'oneshot' } });
    rig.flag('hang', 'hold');
    await rig.boot(['--target', 'hang', '--timeout', '1']);
    await rig.idle();
    const up = background(['up', 'hang']);
    await until('the daemon to wait for the up script', async () => (await rig!.status()).daemon.waitingFor.some((w) => w.name === 'hang' && w.what === 'up script'));
    const t0 = Date.now();
    const down = await rig.rc(['down', 'hang']);
    expect(down.code, down.stderr).to.equal(0);
    expect(Date.now() - t0).to.be.below(5000);
    expect(await up.exited).to.equal(1);
    expect(up.err()).to.include('rc: hang cancelled while starting: start cancelled by rc down');
    expect(rig.err).to.include('rc: hang: start cancelled by rc down\n');
    expect((await rig.row('hang')).up).to.equal(false);
    expect(rig.leftovers()).to.deep.equal([]);
  });

  it('rc svc -d cancels the start of a longrun waiting to be ready', async () => {
    rig = new DaemonRig({ noready: { type: 'longrun', ready: true }, dep: { type: 'longrun', deps: ['noready'] } });
    await rig.boot(['--target', 'noready', '--timeout', '1']);
    await rig.idle();
    const up = background(['up', 'dep']);
    await until('the daemon to wait for noready', async () => (await busy()) === 'up dep');
    expect((await rig.rc(['svc', '-d', 'noready'])).code).to.equal(0);
    expect(await up.exited).to.equal(1);
    expect(up.err()).to.include('rc: noready cancelled while starting: start cancelled by rc svc -d');
    expect(up.err()).to.match(/dep skipped: depends on noready/);
    await until('the daemon to be idle', async () => (await busy()) === null);
    expect((await rig.row('noready')).state).to.equal('down');
  });
});
