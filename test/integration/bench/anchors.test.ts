// The anchors benchmark: its native floor (floor.c compiled with cc, run on 5 services, its JSON checked) and its /proc view.
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compileFloor, parseFloorReport } from '../../../benchmarks/anchors-floor.js';
import { processesUnder, pssSumMiB, SleepCensus, split, sweep, timeRestart, tree } from '../../../benchmarks/anchors-proc.js';
import { which, writeServices } from '../../../benchmarks/anchors-systems.js';
import { tempDir } from '../../helpers/paths.js';

const run = promisify(execFile);

describe('benchmarks/anchors: the native floor', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let floor: string;

  before(function () {
    if (which('cc') === null) {
      console.log('      no cc in PATH: the native floor cannot be compiled here');
      this.skip();
    }
  });
  beforeEach(() => {
    tmp = tempDir('rc-test-floor-');
    floor = compileFloor(tmp.path);
  });
  afterEach(() => tmp.cleanup());

  it('spawns 5 run scripts, restarts 200 times, stops them all and reports it as JSON', async () => {
    const services = join(tmp.path, 'services');
    writeServices(services, 5);
    const { stdout } = await run(floor, [services, '5'], { timeout: 25_000 });
    const r = parseFloorReport(stdout);
    expect(r).to.deep.include({ n: 5, restarts: 200, reaped: 5 });
    expect(r.start_spawned_ms).to.be.greaterThan(0);
    expect(r.start_running_ms).to.be.at.least(r.start_spawned_ms);
    expect(r.respawn_p50_ms).to.be.greaterThan(0);
    expect(r.restart_p50_ms).to.be.at.least(r.respawn_p50_ms);
    expect(r.restart_p95_ms).to.be.at.least(r.restart_p50_ms);
    expect(r.stop_all_ms).to.be.greaterThan(0);
    expect(r.pss_mib).to.be.greaterThan(0).and.lessThan(16);
    // Every child ran in its service dir; none is left.
    expect(processesUnder(services)).to.deep.equal([]);
  });

  it('exits 1 naming the run script it could not spawn', async () => {
    const err = await run(floor, [join(tmp.path, 'absent'), '1'], { timeout: 10_000 }).then(
      () => null,
      (e: Error & { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).to.equal(1);
    expect(err?.stderr).to.match(/^floor: .*absent\/s0\/run: No such file or directory\n$/);
  });
});

describe('benchmarks/anchors: the /proc view of a supervision tree', function () {
  this.timeout(20_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('rc-test-anchors-')));
  afterEach(() => {
    sweep(tmp.path);
    tmp.cleanup();
  });

  it('counts the sleeps, sums PSS without them, times a restart, and sweeps what is left', async () => {
    // A two-service "supervisor": sh loops restarting each sleep (one through a subshell: depth 2).
    const script = '(while :; do sleep 100; done) & while :; do sleep 100; done';
    const sh = spawn('sh', ['-c', script], { cwd: tmp.path, stdio: 'ignore', detached: true });
    const census = new SleepCensus();
    const end = Date.now() + 10_000;
    while (census.count(sh.pid!) < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(census.count(sh.pid!)).to.equal(2);
    const { sleeps, supervision } = split(tree(sh.pid!));
    expect(sleeps).to.have.length(2);
    expect(supervision.map((n) => n.comm)).to.deep.equal(['sh', 'sh']);
    expect(pssSumMiB(supervision)).to.be.greaterThan(0);
    const deep = sleeps.find((s) => s.ppid !== sh.pid)!;
    const ms = timeRestart(deep, 0.2, 5000);
    expect(ms).to.be.greaterThan(0).and.lessThan(5000);
    expect(split(tree(sh.pid!)).sleeps.map((s) => s.pid)).to.not.include(deep.pid);
    const gone = new Promise((r) => sh.once('exit', r));
    expect(sweep(tmp.path)).to.be.at.least(4);
    await gone;
    expect(processesUnder(tmp.path)).to.deep.equal([]);
  });
});
