// rc update end to end, beyond the basics: a 1,000-service db with 10 changed services, pipelines kept, scandir mode refused, kill -9 in the middle.
import { expect } from 'chai';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, until, type Tree } from './daemon-harness.js';
import { UpdateRig } from './update-harness.js';

const SLEEP = 'exec sleep 100000';

/** CHAINS chains of LENGTH longruns, each depending on the one before it; `changed` chains get another run body at position CHANGED_AT. */
function chains(chainCount: number, length: number, changed: ReadonlySet<number>, changedAt: number): Tree {
  const tree: Tree = {};
  for (let k = 0; k < chainCount; k++) {
    for (let j = 0; j < length; j++) {
      tree[`s${k}-${j}`] = { type: 'longrun', run: changed.has(k) && j === changedAt ? `# v2\n${SLEEP}` : SLEEP, ...(j > 0 ? { deps: [`s${k}-${j - 1}`] } : {}) };
    }
  }
  tree['default'] = { type: 'bundle', contents: Object.keys(tree) };
  return tree;
}

describe('e2e: rc update at scale and in the corners', function () {
  this.timeout(180000);
  let rig: UpdateRig;
  afterEach(async () => rig?.cleanup());

  it('1,000 services, 10 changed: exactly those and their dependents restart, the other 950 keep their pids', async () => {
    const changed = new Set([0, 11, 22, 33, 44, 55, 66, 77, 88, 99]);
    rig = new UpdateRig(chains(100, 10, new Set(), 5));
    await rig.boot();
    await rig.idle(120000);
    const before = await rig.pids();
    expect(Object.values(before).filter((p) => p !== null)).to.have.length(1000);
    const next = rig.compileNext('compiled-2', chains(100, 10, changed, 5));
    const r = await rig.rc(['update', '--json', next]);
    expect(r.code, r.stderr).to.equal(0);
    const done = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { type: string; changed: { name: string }[]; unchanged: number };
    expect(done.type).to.equal('update-done');
    expect(done.changed.map((c) => c.name).sort()).to.deep.equal([...changed].map((k) => `s${k}-5`).sort());
    expect(done.unchanged).to.equal(990);
    const after = await rig.pids();
    const restarted = Object.keys(after).filter((n) => after[n] !== before[n]).sort();
    const expected = [...changed].flatMap((k) => [5, 6, 7, 8, 9].map((j) => `s${k}-${j}`)).sort();
    expect(restarted).to.deep.equal(expected);
    expect(Object.values(after).filter((p) => p !== null)).to.have.length(1000);
  });

  it('an unchanged pipeline keeps its FIFO and its processes; a new pipeline gets one', async () => {
    const base: Tree = {
      p: { type: 'longrun', run: SLEEP, files: { 'producer-for': 'q\n' } },
      q: { type: 'longrun', run: SLEEP, files: { 'consumer-for': 'p\n' } },
      w: { type: 'longrun', run: SLEEP },
      default: { type: 'bundle', contents: ['p', 'q', 'w'] },
    };
    rig = new UpdateRig(base);
    await rig.boot();
    await rig.idle(60000);
    const fifo = join(rig.live, 'pipes', 'q');
    const inode = statSync(fifo).ino;
    const before = await rig.pids();
    const next = rig.compileNext('compiled-2', {
      ...base,
      w: { type: 'longrun', run: `# v2\n${SLEEP}` },
      x: { type: 'longrun', run: SLEEP, files: { 'producer-for': 'y\n' } },
      y: { type: 'longrun', run: SLEEP, files: { 'consumer-for': 'x\n' } },
      default: { type: 'bundle', contents: ['p', 'q', 'w', 'x', 'y'] },
    });
    const r = await rig.rc(['update', next]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    const after = await rig.pids();
    expect(after['p']).to.equal(before['p']);
    expect(after['q']).to.equal(before['q']);
    expect(after['w']).not.to.equal(before['w']);
    expect(statSync(fifo).ino).to.equal(inode);
    expect(statSync(join(rig.live, 'pipes', 'y')).isFIFO()).to.equal(true);
    expect(await rig.upNames()).to.deep.equal(['p', 'q', 'w', 'x', 'y']);
  });

  it('a daemon started with --scandir refuses rc update and points to rc scan', async () => {
    rig = new UpdateRig({ one: { type: 'longrun', run: SLEEP } });
    const scan = join(rig.root, 'scan');
    mkdirSync(join(scan, 'svc'), { recursive: true });
    writeFileSync(join(scan, 'svc', 'run'), `#!/bin/sh\n${SLEEP}\n`);
    chmodSync(join(scan, 'svc', 'run'), 0o755);
    await rig.bootWith(['--scandir', scan]);
    const r = await rig.rc(['update', rig.compiled]);
    expect(r.code).to.equal(100);
    expect(r.stderr).to.include('rc: this daemon serves a scan directory (rc boot --scandir): rc update is for a compiled database');
    expect(r.stderr).to.include('hint: run rc scan');
  });

  it('kill -9 of the daemon during an update: the next daemon stops what was left, as after a change', async () => {
    rig = new UpdateRig({ a: { type: 'longrun' }, gate: { type: 'oneshot', deps: ['a'] }, default: { type: 'bundle', contents: ['a', 'gate'] } });
    await rig.boot();
    await rig.idle(60000);
    // The new db adds b to default, after a oneshot that waits until the test lets it go.
    const next = rig.compileNext('compiled-2', { a: { type: 'longrun' }, gate: { type: 'oneshot', deps: ['a'] }, hold: { type: 'oneshot' }, b: { type: 'longrun', deps: ['hold'] }, default: { type: 'bundle', contents: ['a', 'gate', 'b'] } });
    rig.flag('hold', 'hold');
    const update = rig.rc(['update', next]);
    await until('the update to run hold', () => rig.eventsOf('up-begin').includes('up-begin hold'), 60000);
    const aPid = (await rig.pids())['a']!;
    await rig.kill9();
    await update;
    expect(alive(aPid)).to.equal(true);
    rig.unflag('hold', 'hold');
    await rig.boot();
    await rig.idle(60000);
    // The old a (left running by the killed daemon) was stopped by the recovery and started again.
    const now = await rig.pids();
    expect(now['a']).to.be.a('number').and.not.equal(aPid);
    expect(alive(aPid)).to.equal(false);
  });
});
