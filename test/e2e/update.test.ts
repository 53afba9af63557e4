// rc update end to end: a real daemon switched to a new compiled db; removed services stop, changed ones (and their dependents) restart, unchanged ones keep their pid, added ones come up.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, until, type Tree } from './daemon-harness.js';
import { puppetRun, UpdateRig } from './update-harness.js';

const TREE1: Tree = {
  a: { type: 'longrun' },
  b: { type: 'longrun' },
  c: { type: 'longrun', deps: ['b'] },
  e: { type: 'longrun' },
  default: { type: 'bundle', contents: ['a', 'b', 'c', 'e'] },
};

/** a removed, b's run changed, c depends on b, e unchanged, d added to default. */
const tree2 = (rig: UpdateRig): Tree => ({
  b: { type: 'longrun', run: `# version 2\n${puppetRun(rig, 'b')}` },
  c: { type: 'longrun', deps: ['b'] },
  d: { type: 'longrun' },
  e: { type: 'longrun' },
  default: { type: 'bundle', contents: ['b', 'c', 'd', 'e'] },
});

describe('e2e: rc update', function () {
  this.timeout(60000);
  let rig: UpdateRig;
  afterEach(async () => rig?.cleanup());

  it('--dry-run names every service with its reason and changes nothing; the update then stops a, restarts b and c, keeps e, starts d', async () => {
    rig = new UpdateRig(TREE1);
    await rig.boot();
    await rig.idle();
    const next = rig.compileNext('compiled-2', tree2(rig));
    const before = await rig.pids();
    expect(await rig.upNames()).to.deep.equal(['a', 'b', 'c', 'e']);

    const dry = await rig.rc(['update', '--dry-run', next]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/removed\s+a\n/);
    expect(dry.stdout).to.match(/changed\s+b \(files: run\)\n/);
    expect(dry.stdout).to.match(/added\s+d\n/);
    expect(dry.stdout).to.match(/unchanged\s+2 services/);
    expect(dry.stdout).to.match(/stop\s+a\s+longrun\s+removed from the new db/);
    expect(dry.stdout).to.match(/stop\s+b\s+longrun\s+changed: files: run/);
    expect(dry.stdout).to.match(/stop\s+c\s+longrun\s+depends on b, which is restarted/);
    expect(dry.stdout).to.match(/start\s+d\s+longrun\s+added, wanted by default/);
    expect(dry.stdout).to.match(/start\s+c\s+longrun\s+depends on b, which is restarted/);
    expect(dry.stdout).not.to.match(/\s+e\s+longrun/);
    expect(await rig.pids()).to.deep.equal(before);
    expect((await rig.status()).daemon.db).to.equal(rig.compiled);

    const json = await rig.rc(['update', '--dry-run', '--json', next]);
    const plan = JSON.parse(json.stdout) as { removed: string[]; added: string[]; stop: { waves: { steps: { name: string; why: { kind: string } }[] }[] } };
    expect(plan.removed).to.deep.equal(['a']);
    expect(plan.added).to.deep.equal(['d']);
    expect(plan.stop.waves.flatMap((w) => w.steps.map((s) => `${s.name}:${s.why.kind}`)).sort()).to.deep.equal(['a:removed', 'b:changed', 'c:dependent-of']);

    const r = await rig.rc(['update', next]);
    expect(r.code, r.stderr + r.stdout).to.equal(0);
    expect(r.stdout).to.include(`rc: updated to ${next}`);
    const after = await rig.pids();
    expect(after).not.to.have.property('a');
    expect(alive(before['a']!)).to.equal(false);
    expect(after['b']).to.be.a('number').and.not.equal(before['b']);
    expect(after['c']).to.be.a('number').and.not.equal(before['c']);
    expect(after['e']).to.equal(before['e']);
    expect(after['d']).to.be.a('number');
    expect(await rig.upNames()).to.deep.equal(['b', 'c', 'd', 'e']);
    expect((await rig.status()).daemon.db).to.equal(next);
    // The order: a and c stopped before b, b started before c.
    const ev = rig.eventsOf('stop', 'start');
    expect(ev.indexOf('stop c')).to.be.lessThan(ev.lastIndexOf('stop b'));
    expect(ev.lastIndexOf('start b')).to.be.lessThan(ev.lastIndexOf('start c'));
    // e is still supervised by the same supervisor: killed, it comes back.
    process.kill(after['e']!, 'SIGKILL');
    await until('e to be restarted', async () => ((await rig.pids())['e'] ?? after['e']) !== after['e']);
  });

  it('a rename through the conversion file keeps the process running', async () => {
    // The same run body in both dbs: only the name changes.
    const body = 'exec sleep 100000';
    rig = new UpdateRig({ old: { type: 'longrun', run: body }, default: { type: 'bundle', contents: ['old'] } });
    await rig.boot();
    await rig.idle();
    const pid = (await rig.pids())['old'];
    const next = rig.compileNext('compiled-2', { new: { type: 'longrun', run: body }, default: { type: 'bundle', contents: ['new'] } });
    const conv = join(rig.root, 'convfile');
    writeFileSync(conv, '# renames\nold -> new\n');
    const r = await rig.rc(['update', '-f', conv, next]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/renamed\s+old -> new \(unchanged: kept running\)/);
    const row = await rig.row('new');
    expect(row.pid).to.equal(pid);
    expect(row.up).to.equal(true);
    expect(await rig.upNames()).to.deep.equal(['new']);

    // Without the conversion file, the same switch would stop one and start the other.
    const back = rig.compileNext('compiled-3', { other: { type: 'longrun', run: body }, default: { type: 'bundle', contents: ['other'] } });
    const plain = await rig.rc(['update', '--dry-run', back]);
    expect(plain.stdout).to.match(/removed\s+new\n/);
    expect(plain.stdout).to.match(/added\s+other\n/);
  });
});
