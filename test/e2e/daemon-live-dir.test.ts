// End to end: a daemon whose live directory is removed or replaced under it stops in order and never touches the files of a daemon that took the directory over.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectControl } from '../../lib/control/client.js';
import { rcBin } from '../helpers/paths.js';
import { alive, childEnv, DaemonRig, until, type Tree } from './daemon-harness.js';

const TREE: Tree = { a: { type: 'longrun' }, default: { type: 'bundle', contents: ['a'] } };

/** Pids of the puppet `a` that logged "start" (in order). */
const startedPids = (rig: DaemonRig): number[] => rig.eventLines().filter((e) => e[0] === 'start' && e[1] === 'a').map((e) => Number(e[2]));

describe('e2e daemon: live directory removed or replaced', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  let second: ChildProcess | null = null;
  let secondErr = '';
  afterEach(async () => {
    if (second && second.exitCode === null && second.signalCode === null) {
      const gone = new Promise((r) => second!.once('exit', r));
      second.kill('SIGTERM');
      await gone;
    }
    second = null;
    secondErr = '';
    await rig?.cleanup();
  });

  it('a daemon whose live dir was removed says so on stderr, stops its services and exits 111', async () => {
    rig = new DaemonRig(TREE);
    await rig.boot();
    const [pid] = await until('a to start', () => startedPids(rig).length === 1 && startedPids(rig));
    rmSync(rig.live, { recursive: true, force: true });
    expect(await rig.exited()).to.equal(111);
    expect(rig.err).to.include(`rc: error: the live directory ${rig.live} was removed or replaced;`);
    expect(rig.eventsOf('stop')).to.deep.equal(['stop a']);
    expect(alive(pid!)).to.equal(false);
  });

  it('an old daemon never removes the socket or empties the records of the daemon that took its live dir over', async () => {
    rig = new DaemonRig(TREE);
    await rig.boot();
    await until('a to start', () => startedPids(rig).length === 1);
    rmSync(rig.live, { recursive: true, force: true });
    second = spawn(process.execPath, [rcBin, 'boot', '--live', rig.live, '--db', rig.compiled], { env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    second.stderr!.on('data', (c) => (secondErr += c));
    const [, newPid] = await until(`the new daemon's a to start (${secondErr})`, () => startedPids(rig).length === 2 && startedPids(rig));
    // The old daemon goes (on its own once it noticed, or on SIGTERM now): it must leave the new one intact.
    rig.daemon!.kill('SIGTERM');
    await rig.exited();
    const c = await connectControl(rig.live);
    expect(c.ok, 'the new daemon is still reachable').to.equal(true);
    if (!c.ok) return;
    const r = await c.value.call({ op: 'status' });
    c.value.close();
    expect(r.type).to.equal('result');
    expect((r as { data: { daemon: { pid: number } } }).data.daemon.pid).to.equal(second.pid);
    expect(readFileSync(join(rig.live, 'pid'), 'utf8').trim()).to.equal(String(second.pid));
    expect(readFileSync(join(rig.live, 'pgids'), 'utf8')).to.include(`${newPid} `);
    expect(alive(newPid!)).to.equal(true);
  });
});
