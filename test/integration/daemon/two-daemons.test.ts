// Two daemons in one process (no global state): each with its own live dir, db, services and socket.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FakeClock, systemClock } from '../../../lib/core/clock.js';
import { compileToDir } from '../../../lib/compile/index.js';
import { connectControl } from '../../../lib/control/client.js';
import { controlSocket } from '../../../lib/control/serve.js';
import type { StatusResultData } from '../../../lib/control/protocol.js';
import { readDb } from '../../../lib/db/read.js';
import type { Daemon } from '../../../lib/daemon/index.js';
import { openDaemon } from '../../../lib/boot/index.js';
import { createSpawner } from '../../../lib/supervise/launcher.js';
import { tempDir } from '../../helpers/paths.js';

function tree(dir: string, names: string[]): void {
  for (const n of names) {
    mkdirSync(join(dir, n), { recursive: true });
    writeFileSync(join(dir, n, 'type'), 'longrun\n');
    writeFileSync(join(dir, n, 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  }
  mkdirSync(join(dir, 'default'));
  writeFileSync(join(dir, 'default', 'type'), 'bundle\n');
  writeFileSync(join(dir, 'default', 'contents'), names.map((n) => `${n}\n`).join(''));
}

async function open(root: string, names: string[]): Promise<{ daemon: Daemon; live: string; out: PassThrough }> {
  tree(join(root, 'src'), names);
  const compiled = join(root, 'compiled');
  expect(compileToDir(compiled, [join(root, 'src')]).ok).to.equal(true);
  const out = new PassThrough();
  out.resume();
  const live = join(root, 'live');
  const r = await openDaemon({
    live,
    loadDb: () => {
      const db = readDb(compiled);
      return db.ok ? db : { ok: false, error: { exitCode: 4, message: db.error.message } };
    },
    clock: systemClock,
    spawner: createSpawner({ env: process.env }),
    stdout: out,
    stderr: out,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    pid: process.pid,
    killGraceMs: 1000,
    log: () => undefined,
    adapters: [controlSocket],
  });
  if (!r.ok) throw new Error(r.error.message);
  return { daemon: r.value, live, out };
}

async function status(live: string): Promise<StatusResultData> {
  const c = await connectControl(live);
  if (!c.ok) throw new Error(c.error.message);
  const r = await c.value.call({ op: 'status' });
  c.value.close();
  if (r.type !== 'result') throw new Error(r.message);
  return r.data;
}

describe('daemon: two daemons in one process', function () {
  this.timeout(20000);
  const dirs: { cleanup: () => void }[] = [];
  const daemons: Daemon[] = [];
  afterEach(async () => {
    for (const d of daemons.splice(0)) await d.shutdown(0);
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it('run side by side without sharing anything, and shut down independently', async () => {
    const a = tempDir();
    const b = tempDir();
    dirs.push(a, b);
    const da = await open(a.path, ['alpha', 'beta']);
    const db = await open(b.path, ['gamma']);
    daemons.push(da.daemon, db.daemon);
    expect(await da.daemon.change(['default'], 0)).to.equal(0);
    expect(await db.daemon.change(['default'], 0)).to.equal(0);
    const sa = await status(da.live);
    const sb = await status(db.live);
    expect(sa.services.map((s) => [s.name, s.up])).to.deep.equal([['alpha', true], ['beta', true]]);
    expect(sb.services.map((s) => [s.name, s.up])).to.deep.equal([['gamma', true]]);
    expect(await da.daemon.shutdown(5)).to.equal(5);
    expect(da.daemon.phase).to.equal('stopped');
    expect(db.daemon.phase).to.equal('running');
    expect((await status(db.live)).services[0]!.state).to.equal('up');
    expect(await db.daemon.shutdown(0)).to.equal(0);
  });

  it('refuses a second daemon on a locked live dir in the same process', async () => {
    const a = tempDir();
    dirs.push(a);
    const first = await open(a.path, ['solo']);
    daemons.push(first.daemon);
    const second = await openDaemon({
      live: first.live,
      loadDb: () => ({ ok: false, error: { exitCode: 4, message: 'not reached' } }),
      clock: new FakeClock(),
      spawner: createSpawner({ env: process.env }),
      stdout: first.out,
      stderr: first.out,
      env: {},
      pid: 99999,
      killGraceMs: 10,
      log: () => undefined,
    adapters: [controlSocket],
    });
    expect(second.ok).to.equal(false);
    if (!second.ok) {
      expect(second.error.exitCode).to.equal(100);
      expect(second.error.message).to.equal(`another rc daemon (pid ${process.pid}) is already running on ${first.live}`);
    }
  });
});
