// rc boot --scandir end to end: real processes from real folders, rc status/svc/logs/scan, SIGHUP, nothing left behind.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatusResultData, StatusRow } from '../../lib/control/protocol.js';
import { DaemonRig, until, type RcResult } from './daemon-harness.js';
import { fixturesDir, tempDir } from '../helpers/paths.js';

const PUPPET = join(fixturesDir, 'daemon', 'puppet.cjs');
const TICKER = join(fixturesDir, 'scandir', 'ticker.cjs');
const LOGGER = join(fixturesDir, 'scandir', 'logger.cjs');

/** A pid that is gone, or a zombie waiting for its reaper. */
function dead(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A scan directory in a temp dir, a real `rc boot --scandir` on it (through the daemon harness), and the CLI. */
class ScandirRig {
  readonly rig: DaemonRig;
  readonly scan: string;

  constructor() {
    // The daemon harness gives the temp dir, the puppet's events/control files and the cleanup (/proc checks).
    this.rig = new DaemonRig({ unused: { type: 'longrun' } });
    this.scan = join(this.rig.root, 'scan');
    mkdirSync(this.scan);
  }

  /** A folder NAME with a run script (and the files given: name → content). */
  folder(name: string, run: string, files: Record<string, string> = {}): void {
    const dir = join(this.scan, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'run'), `#!/bin/sh\n${run}\n`);
    chmodSync(join(dir, 'run'), 0o755);
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  }

  /** A puppet service (its start/stop go to the events file); `ready`: notification-fd 3. */
  puppet(name: string, opts: { ready?: boolean; down?: boolean } = {}): void {
    const files: Record<string, string> = opts.ready ? { 'notification-fd': '3\n' } : {};
    if (opts.down) files['down'] = '';
    const base = name.split('/').pop()!;
    this.folder(name, `exec node ${PUPPET} ${base} ${this.rig.events} ${this.rig.control}${opts.ready ? ' 3' : ''}`, files);
  }

  async boot(args: string[] = []): Promise<void> {
    await this.rig.bootWith(['--scandir', this.scan, ...args]);
    await this.rig.idle();
  }

  /** The rc boot process. */
  get daemon(): ChildProcess | null {
    return this.rig.daemon;
  }

  /** rc boot's exit code, once it exits. */
  get exited(): Promise<number | null> {
    return this.rig.exited();
  }

  get out(): string {
    return this.rig.out;
  }

  get err(): string {
    return this.rig.err;
  }

  rc(args: string[]): Promise<RcResult> {
    return this.rig.rc(args);
  }

  async status(): Promise<StatusResultData> {
    return this.rig.status();
  }

  async row(name: string): Promise<StatusRow | undefined> {
    return (await this.status()).services.find((s) => s.name === name);
  }

  /** name → live state, for every service. */
  async states(): Promise<Record<string, string>> {
    return Object.fromEntries((await this.status()).services.map((s) => [s.name, s.state]));
  }
}

describe('e2e: rc boot --scandir', function () {
  this.timeout(30000);
  let s: ScandirRig;

  beforeEach(() => {
    s = new ScandirRig();
    s.rig.ready('web');
    s.puppet('web', { ready: true });
    s.puppet('idle', { down: true });
    s.folder('app', `exec node ${TICKER} app`);
    s.folder('app/log', `exec node ${LOGGER}`);
  });
  afterEach(async () => {
    await s.rig.cleanup();
  });

  it('boots every folder but the down one; the logger gets the producer\'s lines; status, logs', async () => {
    await s.boot();
    expect(await s.states()).to.deep.equal({ app: 'up', 'app/log': 'up', idle: 'down', web: 'ready' });
    const status = await s.status();
    expect(status.daemon.db).to.equal(s.scan);
    expect(status.services.find((r) => r.name === 'idle')).to.include({ up: false, wanted: false });
    expect(status.services.find((r) => r.name === 'web')).to.include({ up: true, ready: true });
    // The logger starts before its producer (the producer depends on it).
    expect(s.err.indexOf('app/log started')).to.be.greaterThan(-1).and.lessThan(s.err.indexOf('starting app\n'));
    await until('the logger to print app 3', () => s.out.includes('got: app 3'));
    const logs = await s.rc(['logs', '-n', '1000', 'app/log']);
    expect(logs.code).to.equal(0);
    expect(logs.stdout).to.match(/got: app 1\n/);
    // The producer's stdout goes into the pipe only, never to the daemon's output.
    expect(s.out).to.not.match(/^app +\| app 1$/m);
    // Services run from their own folder, with s6's argv.
    const web = (await s.row('web'))!;
    expect(readFileSync(`/proc/${web.pid}/cmdline`, 'utf8')).to.include(PUPPET);
    const list = await s.rc(['status']);
    expect(list.code).to.equal(0);
    expect(list.stdout).to.match(/^app\/log +longrun +up/m);
  });

  it('rc svc -d / -u control a scandir service', async () => {
    await s.boot();
    const pid = (await s.row('web'))!.pid!;
    expect((await s.rc(['svc', '-d', 'web'])).code).to.equal(0);
    await until('web to be down', async () => (await s.row('web'))?.state === 'down');
    expect(dead(pid)).to.equal(true);
    expect(s.rig.eventsOf('stop')).to.deep.equal(['stop web']);
    expect((await s.rc(['svc', '-u', 'web'])).code).to.equal(0);
    await until('web to be ready again', async () => (await s.row('web'))?.state === 'ready');
    expect((await s.rc(['up', 'idle'])).code).to.equal(0);
    expect((await s.row('idle'))!.state).to.equal('up');
  });

  it('rc wait --healthy: a folder with a health-cmd is waited for until its check passes; one without a check is refused', async () => {
    s.folder('checked', 'exec sleep 1000', { 'health-cmd': '/bin/sh -c "test -e ok"\n', 'health-interval': '100\n', 'health-start-period': '600000\n' });
    await s.boot();
    let done = false;
    const waiting = s.rc(['wait', '--healthy', '--timeout', '25000', 'checked']).finally(() => (done = true));
    await until('checked to run', async () => (await s.row('checked'))?.state === 'up');
    expect((await s.row('checked'))!.health).to.equal('starting');
    expect(done).to.equal(false);
    writeFileSync(join(s.scan, 'checked', 'ok'), '');
    const r = await waiting;
    expect(r.code, r.stderr).to.equal(0);
    expect((await s.row('checked'))!.health).to.equal('healthy');
    const web = await s.rc(['wait', '--healthy', 'web']);
    expect(web.code).to.equal(100);
    expect(web.stderr).to.match(/^rc: cannot wait for health: web has no health check\n/);
  });

  it('rc scan: a new folder starts (unless down), a removed one stops with its logger and nothing of it is left', async () => {
    await s.boot();
    const webPid = (await s.row('web'))!.pid!;
    const appPids = [(await s.row('app'))!.pid!, (await s.row('app/log'))!.pid!];
    s.puppet('extra');
    s.puppet('later', { down: true });
    renameSync(join(s.scan, 'app'), join(s.rig.root, 'app-removed'));
    const r = await s.rc(['scan']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('rc: added: extra later\n');
    expect(r.stdout).to.include('rc: removed: app app/log\n');
    // A service stops before its logger.
    expect(r.stdout.indexOf('app stopped')).to.be.lessThan(r.stdout.indexOf('stopping app/log'));
    expect(await s.states()).to.deep.equal({ extra: 'up', idle: 'down', later: 'down', web: 'ready' });
    for (const pid of appPids) expect(dead(pid), `pid ${pid}`).to.equal(true);
    expect(s.rig.leftovers().filter((p) => appPids.includes(p))).to.deep.equal([]);
    expect(existsSync(join(s.rig.live, 'pipes', 'scandir', 'app'))).to.equal(false);
    // The unchanged service kept its supervisor and its process.
    expect((await s.row('web'))!.pid).to.equal(webPid);
    expect((await s.rc(['status', 'app'])).code).to.equal(3);
    expect((await s.rc(['up', 'later'])).code).to.equal(0);
    const again = await s.rc(['scan']);
    expect(again.stdout).to.equal(`rc: no change in ${s.scan}\n`);
    expect((await s.row('later'))!.state).to.equal('up');
  });

  it('rc scan replaces a service whose settings changed, and skips a bad folder with the compiler\'s diagnostic', async () => {
    s.puppet('slow');
    await s.boot();
    const before = (await s.row('slow'))!.pid!;
    s.rig.ready('slow');
    writeFileSync(join(s.scan, 'slow', 'notification-fd'), '3\n');
    writeFileSync(join(s.scan, 'slow', 'run'), `#!/bin/sh\nexec node ${PUPPET} slow ${s.rig.events} ${s.rig.control} 3\n`);
    s.folder('broken', 'exec true', { 'timeout-kill': 'soon\n' });
    const r = await s.rc(['scan']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('rc: replaced (settings changed): slow\n');
    expect(r.stdout).to.include('rc: skipped (errors): broken\n');
    expect(r.stderr).to.include(`${join(s.scan, 'broken', 'timeout-kill')}:1: error: unable to read ${join(s.scan, 'broken', 'timeout-kill')}: Invalid argument`);
    const slow = (await s.row('slow'))!;
    expect(slow).to.include({ state: 'ready', ready: true });
    expect(slow.pid).to.not.equal(before);
    expect(await s.row('broken')).to.equal(undefined);
    expect(s.err).to.include('broken is not supervised');
  });

  it('a folder that gains log/ is restarted into its new logger; dropping log/ undoes it', async () => {
    s.folder('talk', `exec node ${TICKER} talk`);
    await s.boot();
    await until('talk on the daemon output', () => /^talk +\| talk 2$/m.test(s.out));
    s.folder('talk/log', `exec node ${LOGGER}`);
    const r = await s.rc(['scan']);
    expect(r.stdout).to.include('rc: added: talk/log\n');
    expect(r.stdout).to.include('rc: replaced (settings changed): talk\n');
    await until('the new logger to get talk 1', () => /^talk\/log +\| got: talk 1$/m.test(s.out));
    renameSync(join(s.scan, 'talk', 'log'), join(s.rig.root, 'talk-log'));
    const back = await s.rc(['scan', '--json']);
    expect(back.code, back.stderr).to.equal(0);
    const lines = back.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.filter((l) => l.type === 'service-started').length).to.equal(1);
    expect(lines.at(-1)).to.deep.include({ type: 'scan-done', removed: ['talk/log'], replaced: ['talk'], started: ['talk'], added: [] });
    expect(await s.states()).to.include({ talk: 'up' });
    expect(existsSync(join(s.rig.live, 'pipes', 'scandir', 'talk'))).to.equal(false);
  });

  it('SIGHUP rescans; rc halt leaves no process behind', async () => {
    await s.boot();
    s.puppet('hup');
    s.daemon!.kill('SIGHUP');
    await until('hup to be up', async () => (await s.row('hup'))?.state === 'up');
    await until('the hup puppet to run', () => s.rig.eventsOf('start').includes('start hup'));
    expect((await s.rc(['halt'])).code).to.equal(0);
    expect(await s.exited).to.equal(0);
    await until('every service process to be gone', () => s.rig.leftovers().length === 0);
  });

  it('usage: --scandir excludes --db (exit 100); rc scan on a daemon without a scandir exits 100', async () => {
    const bad = await s.rc(['boot', '--scandir', s.scan, '--db', '/nonexistent']);
    expect(bad.code).to.equal(100);
    expect(bad.stderr).to.include('--scandir excludes --db and --source');
    const rig = new DaemonRig({ one: { type: 'longrun' } });
    try {
      await rig.boot();
      const r = await rig.rc(['scan']);
      expect(r.code).to.equal(100);
      expect(r.stderr).to.include('not started with --scandir');
    } finally {
      await rig.cleanup();
    }
  });

  it('an unreadable scan directory fails the boot with 111', async () => {
    const t = tempDir('rc-scandir-missing-');
    try {
      const r = await s.rc(['boot', '--scandir', join(t.path, 'nope')]);
      expect(r.code).to.equal(111);
      expect(r.stderr).to.match(/unable to open the scan directory .*nope: ENOENT/);
    } finally {
      t.cleanup();
    }
  });
});
