// The anchors benchmark's native floor (benchmarks/native/floor.c): compiled with cc, run on 5 services, its JSON checked.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compileFloor, parseFloorReport } from '../../../benchmarks/anchors-floor.js';
import { processesUnder } from '../../../benchmarks/anchors-proc.js';
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
