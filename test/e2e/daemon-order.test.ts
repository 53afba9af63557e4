// End to end: start ordering follows readiness; independent services start together; the DB-init pattern.
import { expect } from 'chai';
import { DaemonRig, until } from './daemon-harness.js';

describe('e2e daemon: ordering', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  it('starts B only after A is ready, and independent services at once', async () => {
    rig = new DaemonRig({
      a: { type: 'longrun', ready: true },
      b: { type: 'longrun', deps: ['a'] },
      c: { type: 'longrun' },
      d: { type: 'longrun' },
      default: { type: 'bundle', contents: ['b', 'c', 'd'] },
    });
    await rig.boot();
    // c and d do not wait for anything: they start while a is still not ready.
    await until('a, c and d to start', () => ['start a', 'start c', 'start d'].every((e) => rig.eventsOf('start').includes(e)));
    const busy = await rig.status();
    expect(busy.daemon.busy).to.equal('change default');
    expect(rig.eventsOf('start', 'ready')).to.not.include('start b');
    // Spawned, not ready: rc says starting (not "up (wanted up)"), in the table and in JSON alike.
    expect(await rig.row('a')).to.deep.include({ up: false, wanted: true, state: 'starting', ready: false });
    const table = await rig.rc(['status', 'a']);
    expect(table.stdout, table.stdout).to.match(/^a\s+longrun\s+starting\s+\d+\s+\S+\s+no\s/m);
    expect(table.stdout).to.not.match(/\bup\b/);
    rig.ready('a');
    await until('b to start', () => rig.eventsOf('start').includes('start b'));
    const order = rig.eventsOf('start', 'ready');
    expect(order.indexOf('ready a')).to.be.lessThan(order.indexOf('start b'));
    await rig.idle();
    expect(await rig.upNames()).to.deep.equal(['a', 'b', 'c', 'd']);
    expect((await rig.row('a')).ready).to.equal(true);
  });

  it('runs the DB-init pattern: database ready → migration oneshot → app', async () => {
    rig = new DaemonRig({
      db: { type: 'longrun', ready: true },
      migrate: { type: 'oneshot', deps: ['db'] },
      app: { type: 'longrun', deps: ['migrate'] },
      default: { type: 'bundle', contents: ['app'] },
    });
    await rig.boot();
    await until('db to start', () => rig.eventsOf('start').includes('start db'));
    expect(rig.eventsOf('up-begin')).to.deep.equal([]);
    rig.ready('db');
    await rig.idle();
    // Without readiness, app counts as up once spawned: its own "start" line may come a bit later.
    await until('app to run', () => rig.eventsOf('start').includes('start app'));
    expect(rig.eventsOf('start', 'ready', 'up')).to.deep.equal(['start db', 'ready db', 'up migrate', 'start app']);
    const status = await rig.rc(['status']);
    expect(status.code).to.equal(0);
    expect(status.stdout).to.match(/^migrate\s+oneshot\s+up\s/m);
    expect(status.stdout).to.match(/^db\s+longrun\s+ready\s+\d+\s+\d+s\s+yes\s+0\s/m);
    // A oneshot's output during a change is shown to the caller under the service's name.
    const restart = await rig.rc(['restart', 'migrate']);
    expect(restart.code).to.equal(0);
    expect(restart.stdout).to.include('migrate: migrate: running down');
    expect(restart.stdout).to.include('migrate: migrate: running up');
    expect(restart.stdout).to.match(/rc: change done in .*: 1 started, 1 stopped/);
  });

  it('restart --deps db: stops app, then migrate (down), then db; starts them again in dependency order (and --dry-run shows that plan)', async () => {
    rig = new DaemonRig({
      db: { type: 'longrun', ready: true },
      migrate: { type: 'oneshot', deps: ['db'] },
      app: { type: 'longrun', deps: ['migrate'] },
      default: { type: 'bundle', contents: ['app'] },
    });
    rig.ready('db');
    await rig.boot();
    await rig.idle();
    await until('app to run', () => rig.eventsOf('start').includes('start app'));
    const dry = await rig.rc(['restart', '--deps', '--dry-run', '--json', 'db']);
    expect(dry.code, dry.stderr).to.equal(0);
    const waves = (JSON.parse(dry.stdout) as { waves: { phase: string; steps: { name: string; action: string }[] }[] }).waves;
    expect(waves.map((w) => `${w.phase}: ${w.steps.map((st) => `${st.action} ${st.name}`).join(', ')}`)).to.deep.equal([
      'stop: stop app',
      'stop: stop migrate',
      'stop: stop db',
      'start: start db',
      'start: start migrate',
      'start: start app',
    ]);
    const text = await rig.rc(['restart', '--deps', '--dry-run', 'db']);
    expect(text.stdout).to.match(/stop wave 1:\n\s+stop\s+app\b[^]*stop wave 3:\n\s+stop\s+db\b[^]*start wave 1:\n\s+start\s+db\b/);
    const before = rig.eventLines().length;
    const restart = await rig.rc(['restart', '--deps', 'db']);
    expect(restart.code, restart.stdout + restart.stderr).to.equal(0);
    await until('app to run again', () => rig.eventLines().slice(before).some((l) => l[0] === 'start' && l[1] === 'app'));
    const order = rig
      .eventLines()
      .slice(before)
      .filter((l) => ['start', 'stop', 'ready', 'up', 'down'].includes(l[0]!))
      .map((l) => `${l[0]} ${l[1]}`);
    expect(order).to.deep.equal(['stop app', 'down migrate', 'stop db', 'start db', 'ready db', 'up migrate', 'start app']);
  });
});
