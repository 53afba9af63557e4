// Supervisor readiness with real processes: notification-fd and the ready-* probes.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { outRoot, tempDir } from '../../helpers/paths.js';
import { fixture, Rig, serviceDir } from './helpers.js';

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('supervise/Supervisor readiness with real processes', function () {
  this.timeout(15_000);
  let tmp: { path: string; cleanup: () => void };
  let rig: Rig;
  beforeEach(() => {
    tmp = tempDir('rc-svr-');
    rig = new Rig();
  });
  afterEach(async () => {
    await rig.cleanup();
    tmp.cleanup();
  });

  it('notification-fd: ready when the service writes a newline on fd N, not before', async () => {
    const dir = serviceDir(tmp.path, 'notify', 'sleep 0.3\nprintf "almost" >&4\nprintf " there\\n" >&4\nexec sleep 1000 4>&-');
    const sup = rig.supervisor(dir, { name: 'notify', notificationFd: 4 });
    const t0 = performance.now();
    sup.up();
    expect(await sup.waitFor('up', 2000)).to.deep.equal({ ok: true });
    expect(sup.status().state).to.equal('up');
    expect(await sup.waitFor('ready', 5000)).to.deep.equal({ ok: true });
    expect(performance.now() - t0).to.be.at.least(290);
    expect(sup.status().state).to.equal('ready');
    expect(sup.status().readySince).to.be.a('number');
  });

  it('notification-fd: closing it without a newline means never ready', async () => {
    const dir = serviceDir(tmp.path, 'mute', 'printf "no newline" >&3\nexec sleep 1000 3>&-');
    const sup = rig.supervisor(dir, { name: 'mute', notificationFd: 3 });
    sup.up();
    const ev = await rig.events.next('not-ready');
    expect(ev).to.include({ reason: 'eof' });
    expect(await sup.waitFor('ready', 300)).to.include({ ok: false, reason: 'timeout' });
  });

  it('ready-tcp: ready once the port accepts connections', async () => {
    const port = await freePort();
    const dir = serviceDir(tmp.path, 'tcp', `exec node ${fixture('serve.mjs')} tcp ${port} 300`);
    const sup = rig.supervisor(dir, {
      name: 'tcp',
      readiness: { kind: 'tcp', host: '127.0.0.1', port, intervalMs: 50, timeoutMs: 0 },
    });
    sup.up();
    expect(sup.status().state).to.equal('up');
    expect(await sup.waitFor('ready', 5000)).to.deep.equal({ ok: true });
  });

  it('ready-http: 2xx/3xx means ready; 503 is not', async () => {
    const port = await freePort();
    const dir = serviceDir(tmp.path, 'http', `exec node ${fixture('serve.mjs')} http ${port} 400`);
    const sup = rig.supervisor(dir, {
      name: 'http',
      readiness: { kind: 'http', url: `http://127.0.0.1:${port}/health`, intervalMs: 50, timeoutMs: 0 },
    });
    const t0 = performance.now();
    sup.up();
    expect(await sup.waitFor('ready', 5000)).to.deep.equal({ ok: true });
    expect(performance.now() - t0).to.be.at.least(390);
  });

  it('ready-cmd: ready when the command exits 0 (run in the service dir)', async () => {
    const dir = serviceDir(tmp.path, 'cmd', 'sleep 0.2\ntouch ready.flag\nexec sleep 1000');
    const sup = rig.supervisor(dir, {
      name: 'cmd',
      readiness: { kind: 'cmd', argv: ['test', '-e', 'ready.flag'], intervalMs: 50, timeoutMs: 0 },
    });
    sup.up();
    expect(await sup.waitFor('ready', 5000)).to.deep.equal({ ok: true });
  });

  it('ready-timeout: the probe gives up, an event says so, the wait fails at once', async () => {
    const port = await freePort();
    const dir = serviceDir(tmp.path, 'never', 'exec sleep 1000');
    const sup = rig.supervisor(dir, {
      name: 'never',
      readiness: { kind: 'tcp', host: '127.0.0.1', port, intervalMs: 50, timeoutMs: 300 },
    });
    sup.up();
    const r = await sup.waitFor('ready', 5000);
    expect(r).to.include({ ok: false, reason: 'timeout' });
    expect(rig.events.of('not-ready')[0]).to.include({ reason: 'timeout' });
  });

  it('a service without readiness is ready as soon as it is spawned', async () => {
    const dir = serviceDir(tmp.path, 'plain', 'exec sleep 1000');
    const sup = rig.supervisor(dir, { name: 'plain' });
    sup.up();
    expect(await sup.waitFor('ready', 10)).to.deep.equal({ ok: true });
  });

  it('a daemon that ignores SIGINT and SIGTERM does not pass them on to its services', async () => {
    const dir = serviceDir(tmp.path, 'sigs', 'exec grep -E "^Sig(Ign|Blk)" /proc/self/status');
    const { stdout: out } = await promisify(execFile)(process.execPath, [fixture('sig-host.mjs'), outRoot, dir], { timeout: 10_000 });
    const host = /^host SigIgn:\s*(\w+)$/m.exec(out)![1]!;
    expect(BigInt('0x' + host) & ((1n << 1n) | (1n << 14n))).to.equal((1n << 1n) | (1n << 14n)); // INT, TERM ignored
    expect(out).to.match(/^service SigIgn:\s+0+$/m);
    expect(out).to.match(/^service SigBlk:\s+0+$/m);
  });
});
