// End to end: switching runlevels stops exactly what the new level does not need, in reverse order; essential services.
import { expect } from 'chai';
import { DaemonRig, until, type Tree } from './daemon-harness.js';

const LEVELS: Tree = {
  db: { type: 'longrun' },
  migrate: { type: 'oneshot', deps: ['db'] },
  api: { type: 'longrun', deps: ['migrate'] },
  worker: { type: 'longrun', deps: ['db'] },
  'maint-page': { type: 'longrun', deps: ['db'] },
  default: { type: 'bundle', contents: ['api', 'worker'] },
  maintenance: { type: 'bundle', contents: ['maint-page'] },
};

describe('e2e daemon: runlevels and essential services', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  it('switches default → maintenance → default, stopping exactly what the new level does not need', async () => {
    rig = new DaemonRig(LEVELS);
    await rig.boot();
    await rig.idle();
    // db has no readiness: it counts as up once spawned, so its own "start" line may come late.
    await until('db, api and worker to run', () =>
      ['start db', 'start api', 'start worker'].every((e) => rig.eventsOf('start').includes(e)),
    );
    const before = rig.eventLines().length;

    const dry = await rig.rc(['change', '--dry-run', 'maintenance']);
    expect(dry.code).to.equal(0);
    expect(dry.stdout).to.match(/stop wave 1:\n\s+stop\s+api\s+longrun\s+not in maintenance/);
    expect(dry.stdout).to.match(/stop wave 2:\n\s+stop\s+migrate\s+oneshot\s+not in maintenance/);
    expect(rig.eventLines().length).to.equal(before);

    const r = await rig.rc(['change', 'maintenance']);
    expect(r.code, r.stderr).to.equal(0);
    await until('maint-page to run', () => rig.eventsOf('start').includes('start maint-page'));
    const moved = rig.eventsOf('stop', 'down', 'start').slice(rig.eventsOf('stop', 'down', 'start').indexOf('start worker') + 1);
    // api stops before migrate's down script runs (api depends on migrate); db is never touched.
    expect(moved.filter((e) => e.startsWith('stop') || e.startsWith('down')).sort()).to.deep.equal(['down migrate', 'stop api', 'stop worker']);
    expect(moved.indexOf('stop api')).to.be.lessThan(moved.indexOf('down migrate'));
    expect(moved.indexOf('down migrate')).to.be.lessThan(moved.indexOf('start maint-page'));
    expect(await rig.upNames()).to.deep.equal(['db', 'maint-page']);
    expect((await rig.row('api')).wanted).to.equal(false);

    const back = await rig.rc(['change', 'default']);
    expect(back.code, back.stderr).to.equal(0);
    expect(back.stdout).to.match(/rc: change done in .*: 3 started, 1 stopped/);
    expect(await rig.upNames()).to.deep.equal(['api', 'db', 'migrate', 'worker']);
    expect(rig.eventsOf('stop', 'start').filter((e) => e.endsWith(' db'))).to.deep.equal(['start db']);
  });

  it('keeps essential services (and what they need) up without --force, and reports it', async () => {
    rig = new DaemonRig({
      base: { type: 'longrun' },
      logger: { type: 'longrun', deps: ['base'], essential: true },
      app: { type: 'longrun', deps: ['logger'] },
      default: { type: 'bundle', contents: ['app'] },
    });
    await rig.boot();
    await rig.idle();
    const r = await rig.rc(['down', 'base']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('rc: logger kept up: essential');
    expect(r.stdout).to.include('rc: base kept up');
    expect(await rig.upNames()).to.deep.equal(['base', 'logger']);
    const forced = await rig.rc(['down', '--force', 'base']);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(await rig.upNames()).to.deep.equal([]);
  });
});
