// rc update end to end: a real daemon switched to a new compiled db; removed services stop, changed ones (and their dependents) restart, unchanged ones keep their pid, added ones come up.
import { expect } from 'chai';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
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

/** Up means spawned: wait until each puppet runs its script (its SIGTERM handler installed, its switches read). */
const puppetsStarted = (rig: UpdateRig, names: string[]) =>
  until(`${names.join(', ')} to start`, () => names.every((n) => rig.eventsOf('start').includes(`start ${n}`)), 60000);

describe('e2e: rc update', function () {
  this.timeout(60000);
  let rig: UpdateRig;
  afterEach(async () => rig?.cleanup());

  it('--dry-run names every service with its reason and changes nothing; the update then stops a, restarts b and c, keeps e, starts d', async () => {
    rig = new UpdateRig(TREE1);
    await rig.boot();
    await rig.idle(60000);
    const next = rig.compileNext('compiled-2', tree2(rig));
    await puppetsStarted(rig, ['a', 'b', 'c', 'e']);
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
    expect(r.stdout).to.match(/rc: update: stop phase done in .*: 3 stopped\n(.*\n)*rc: update: start phase done in .*: 3 started\n/);
    expect(r.stdout).not.to.include('change done');
    const after = await rig.pids();
    expect(after).not.to.have.property('a');
    expect(alive(before['a']!)).to.equal(false);
    expect(after['b']).to.be.a('number').and.not.equal(before['b']);
    expect(after['c']).to.be.a('number').and.not.equal(before['c']);
    expect(after['e']).to.equal(before['e']);
    expect(after['d']).to.be.a('number');
    expect(await rig.upNames()).to.deep.equal(['b', 'c', 'd', 'e']);
    expect((await rig.status()).daemon.db).to.equal(next);
    // The live dir records the new db; e's record keeps its process group and when it was spawned (for a recovery).
    const recorded = JSON.parse(readFileSync(join(rig.live, 'state.json'), 'utf8')) as { db: string; services: Record<string, { pgid: number | null; spawnedAt?: number | null }> };
    expect(recorded.db).to.equal(next);
    expect(recorded.services['e']).to.include({ pgid: before['e'] });
    expect(recorded.services['e']!.spawnedAt).to.be.a('number');
    expect(recorded.services).not.to.have.property('a');
    // The order (the engine's, as rendered): c stopped before b is stopped, b started before c starts.
    const at = (line: string): number => r.stdout.indexOf(line);
    expect(at('rc: c stopped'), r.stdout).to.be.greaterThan(-1).and.lessThan(at('rc: stopping b'));
    expect(at('rc: b started'), r.stdout).to.be.greaterThan(-1).and.lessThan(at('rc: starting c'));
    // e is still supervised by the same supervisor: killed, it comes back.
    process.kill(after['e']!, 'SIGKILL');
    await until('e to be restarted', async () => ((await rig.pids())['e'] ?? after['e']) !== after['e'], 30000);
  });

  it('a rename through the conversion file keeps the process running', async () => {
    // The same run body in both dbs: only the name changes.
    const body = 'echo hello from the worker\nexec sleep 100000';
    rig = new UpdateRig({ old: { type: 'longrun', run: body }, default: { type: 'bundle', contents: ['old'] } });
    await rig.boot();
    await rig.idle(60000);
    const pid = (await rig.pids())['old'];
    await until('the worker to write its line', async () => (await rig.rc(['logs', 'old'])).stdout.includes('hello from the worker'), 30000);
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
    // Its recent output goes with it: rc logs knows it under its new name.
    const logs = await rig.rc(['logs', 'new']);
    expect(logs.stdout).to.include('hello from the worker');

    // Without the conversion file, the same switch would stop one and start the other.
    const back = rig.compileNext('compiled-3', { other: { type: 'longrun', run: body }, default: { type: 'bundle', contents: ['other'] } });
    const plain = await rig.rc(['update', '--dry-run', back]);
    expect(plain.stdout).to.match(/removed\s+new\n/);
    expect(plain.stdout).to.match(/added\s+other\n/);
  });

  it('a restarted service that fails to stop: exit 1, its dependents started again, the db not switched', async () => {
    rig = new UpdateRig({ ...TREE1, b: { type: 'longrun', timeoutDown: 800 } });
    await rig.boot();
    await rig.idle(60000);
    await puppetsStarted(rig, ['a', 'b', 'c', 'e']);
    const before = await rig.pids();
    rig.flag('b', 'stubborn');
    const next = rig.compileNext('compiled-2', tree2(rig));
    const r = await rig.rc(['update', next]);
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    expect(r.stdout).to.match(/b failed to stop/);
    expect(r.stdout).to.match(/rc: update: stop phase failed after .*\n(.*\n)*rc: update: restart of what the stop phase stopped done in /);
    expect(r.stdout).to.include('rc: not updated: the daemon still serves its previous database');
    expect(r.stdout).to.match(/rc: note: the stop phase did not complete: the daemon still serves .*compiled; what it stopped was started again under it \(done\)/);
    const st = await rig.status();
    expect(st.daemon.db).to.equal(rig.compiled);
    expect(st.services.map((s) => s.name).sort()).to.deep.equal(['a', 'b', 'c', 'e']);
    const after = await rig.pids();
    // a was stopped by the update's first wave, then started again; e was never touched.
    expect(after['e']).to.equal(before['e']);
    expect(await rig.upNames()).to.deep.equal(['a', 'b', 'c', 'e']);
    rig.unflag('b', 'stubborn');
  });

  it('a restarted service that fails to start: exit 1, failed and skipped named, the new db in use', async () => {
    rig = new UpdateRig(TREE1);
    await rig.boot();
    await rig.idle(60000);
    const next = rig.compileNext('compiled-2', { ...tree2(rig), b: { type: 'longrun', ready: true, timeoutUp: 1500 } });
    await puppetsStarted(rig, ['a', 'b', 'c', 'e']);
    rig.flag('b', 'crash');
    const r = await rig.rc(['update', next]);
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    expect(r.stdout).to.match(/b failed to start/);
    expect(r.stdout).to.match(/c skipped: depends on b, which failed/);
    expect(r.stdout).to.include(`rc: updated to ${next}`);
    const st = await rig.status();
    expect(st.daemon.db).to.equal(next);
    expect(await rig.upNames()).to.deep.equal(['d', 'e']);
    // Fixed: the next update of the same definitions brings b (changed, wanted) and c up.
    rig.unflag('b', 'crash');
    rig.ready('b');
    const fixed = rig.compileNext('compiled-3', { ...tree2(rig), b: { type: 'longrun', ready: true, timeoutUp: 30000 } });
    const again = await rig.rc(['update', fixed]);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    expect(await rig.upNames()).to.deep.equal(['b', 'c', 'd', 'e']);
  });

  it('refuses the database in use, and a conversion file naming an unknown service (exit 3, file:line)', async () => {
    rig = new UpdateRig(TREE1);
    await rig.boot();
    await rig.idle(60000);
    const same = await rig.rc(['update', rig.compiled]);
    expect(same.code).to.equal(100);
    expect(same.stderr).to.include(`rc: ${rig.compiled} is the database in use`);
    const next = rig.compileNext('compiled-2', tree2(rig));
    const conv = join(rig.root, 'convfile');
    writeFileSync(conv, 'a -> d\nzz -> b\n');
    const r = await rig.rc(['update', '-f', conv, next]);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.include(`rc: ${conv}:2: 'zz' is not a service of the database in use`);
    const usage = await rig.rc(['update']);
    expect(usage.code).to.equal(100);
    expect(await rig.upNames()).to.deep.equal(['a', 'b', 'c', 'e']);
  });

  it('--source compiles into the live dir first; source errors update nothing', async () => {
    rig = new UpdateRig(TREE1);
    await rig.boot();
    await rig.idle(60000);
    rig.compileNext('unused', tree2(rig));
    const src = join(rig.root, 'unused-src');
    const r = await rig.rc(['update', '--source', src]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.include(`rc: updated to ${join(rig.live, 'compiled-1')}`);
    expect(await rig.upNames()).to.deep.equal(['b', 'c', 'd', 'e']);
    writeFileSync(join(src, 'd', 'dependencies'), 'nosuch\n');
    const bad = await rig.rc(['update', '--source', src]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/error in the source: nothing was updated\n.*dependencies:1: error: .*nosuch/);
    expect((await rig.status()).daemon.db).to.equal(join(rig.live, 'compiled-1'));
  });

  it('an up service that became a bundle is replaced by the bundle\'s new members', async () => {
    rig = new UpdateRig({ svc: { type: 'longrun' }, other: { type: 'longrun' } });
    // Up through rc up, not through the last change's targets: only the rename rule brings the members up.
    await rig.boot(['--target', 'other']);
    await rig.idle(60000);
    expect((await rig.rc(['up', 'svc'])).code).to.equal(0);
    const pid = (await rig.pids())['svc']!;
    const next = rig.compileNext('compiled-2', { svc: { type: 'bundle', contents: ['svc-a', 'svc-b'] }, 'svc-a': { type: 'longrun' }, 'svc-b': { type: 'longrun' }, other: { type: 'longrun' } });
    const r = await rig.rc(['update', next]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(alive(pid)).to.equal(false);
    expect(await rig.upNames()).to.deep.equal(['other', 'svc-a', 'svc-b']);
  });

  it('--source keeps the current copy and the one before it, and older copies only while a process runs in them; a dry run leaves none', async () => {
    rig = new UpdateRig({ v: { type: 'longrun' }, default: { type: 'bundle', contents: ['v'] } });
    await rig.boot();
    await rig.idle(60000);
    const copies = () => readdirSync(rig.live).filter((n) => /^compiled-\d+$/.test(n)).sort();
    // Each update changes v (so it restarts in the new copy); the second adds `late`, unchanged afterwards.
    const update = async (k: number, withLate: boolean): Promise<void> => {
      const services: Tree = { v: { type: 'longrun', run: `# version ${k}\n${puppetRun(rig, 'v')}` } };
      if (withLate) services['late'] = { type: 'longrun' };
      rig.compileNext(`s${k}`, { ...services, default: { type: 'bundle', contents: Object.keys(services) } });
      const r = await rig.rc(['update', '--source', join(rig.root, `s${k}-src`)]);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      expect((await rig.status()).daemon.db).to.equal(join(rig.live, `compiled-${k}`));
    };
    // A dry run compiles a copy to read, and removes it.
    rig.compileNext('dry', { v: { type: 'longrun', run: `# dry\n${puppetRun(rig, 'v')}` }, default: { type: 'bundle', contents: ['v'] } });
    const dry = await rig.rc(['update', '--dry-run', '--source', join(rig.root, 'dry-src')]);
    expect(dry.code, dry.stdout + dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/changed\s+v \(files: run\)/);
    expect(copies(), 'nothing left by the dry run').to.deep.equal([]);
    await update(1, false);
    expect(copies()).to.deep.equal(['compiled-1']);
    await update(2, true);
    expect(copies()).to.deep.equal(['compiled-1', 'compiled-2']);
    await update(3, true);
    expect(copies(), 'compiled-1: neither the current db nor the one before').to.deep.equal(['compiled-2', 'compiled-3']);
    // The daemon's stderr is read asynchronously: wait for the line rather than race the answer.
    await until('the log of the removal', () => rig.err.includes(`update: removed older compiled copies (kept ${join(rig.live, 'compiled-3')} and ${join(rig.live, 'compiled-2')}): ${join(rig.live, 'compiled-1')}`));
    // late still runs from compiled-2 (unchanged since it was added there): that copy stays.
    const late = (await rig.pids())['late']!;
    expect(readlinkSync(`/proc/${late}/cwd`)).to.equal(join(rig.live, 'compiled-2', 'servicedirs', 'late'));
    await update(4, true);
    expect(copies()).to.deep.equal(['compiled-2', 'compiled-3', 'compiled-4']);
    await until('the log of the copy kept', () => rig.err.includes(`update: kept the older compiled copy ${join(rig.live, 'compiled-2')}: a service's process still runs in it`));
    expect((await rig.pids())['late']).to.equal(late);
  });
});
