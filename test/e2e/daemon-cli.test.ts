// End to end: the smaller commands (list, wait, svc, logs, --json, --dry-run --json), help texts, and socket robustness.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { rcBin } from '../helpers/paths.js';
import { connectControl } from '../../lib/control/client.js';
import { childEnv, DaemonRig, until } from './daemon-harness.js';
import { runRc } from './harness.js';

/** Send raw bytes to the control socket, collect `count` reply lines (or until the daemon closes). */
function raw(live: string, data: string | Buffer, count: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolve) => {
    const s = connect(join(live, 'control'));
    let buf = '';
    const out: Record<string, unknown>[] = [];
    const done = () => (s.destroy(), resolve(out));
    s.on('data', (c) => {
      buf += c.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        out.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
        buf = buf.slice(nl + 1);
      }
      if (out.length >= count) done();
    });
    s.on('close', done);
    s.on('error', () => undefined);
    s.write(data);
  });
}

describe('e2e daemon: CLI commands', function () {
  this.timeout(30000);
  let rig: DaemonRig;
  afterEach(async () => rig?.cleanup());

  beforeEach(async () => {
    rig = new DaemonRig({
      db: { type: 'longrun', ready: true },
      init: { type: 'oneshot', deps: ['db'] },
      api: { type: 'longrun', deps: ['init'] },
      spare: { type: 'longrun' },
      default: { type: 'bundle', contents: ['api'] },
    });
    await rig.boot();
  });

  it('waits for readiness (rc wait --ready) and times out with exit 2', async () => {
    const timedOut = await rig.rc(['wait', '--ready', '--timeout', '200', 'db']);
    expect(timedOut.code).to.equal(2);
    expect(timedOut.stderr).to.include('timed out after 200 ms waiting for db to be ready');
    const waiting = rig.rc(['wait', '--ready', 'default']);
    await until('db to start', () => rig.eventsOf('start').includes('start db'));
    rig.ready('db');
    const r = await waiting;
    expect(r.code, r.stderr).to.equal(0);
    expect((await rig.row('init')).up).to.equal(true);
    const unknown = await rig.rc(['wait', 'dbb']);
    expect(unknown.code).to.equal(3);
    expect(unknown.stderr).to.equal("rc: unknown service name 'dbb'\n  hint: did you mean 'db'?\n");
  });

  it('lists services by recorded state, and sends s6-svc letters to longruns', async () => {
    rig.ready('db');
    await rig.idle();
    expect((await rig.rc(['list', '--up'])).stdout).to.equal('api\ndb\ninit\n');
    expect((await rig.rc(['list', '--down'])).stdout).to.equal('spare\n');
    expect((await rig.rc(['list', 'default'])).stdout).to.equal('api\n');
    expect((await rig.rc(['list', '--up', '--down'])).code).to.equal(100);
    await until('api to run', () => rig.eventsOf('start').includes('start api'));
    const before = (await rig.row('api')).pid;
    const k = await rig.rc(['svc', '-k', 'api']);
    expect(k.code, k.stderr).to.equal(0);
    await until('api to be restarted by its supervisor', async () => {
      const row = await rig.row('api');
      return row.restarts === 1 && row.pid !== before && row.state === 'up';
    });
    expect((await rig.row('api')).lastExit).to.deep.equal({ code: null, signal: 'SIGKILL' });
    const d = await rig.rc(['svc', '-d', 'api']);
    expect(d.code).to.equal(0);
    expect((await rig.rc(['wait', '--down', '--timeout', '3000', 'api'])).code).to.equal(0);
    expect((await rig.rc(['svc', '-u', 'init'])).code).to.equal(100);
    expect((await rig.rc(['svc', 'api'])).code).to.equal(100);
  });

  it('after rc svc -d, status marks the longrun (recorded up) and rc up brings it back', async () => {
    rig.ready('db');
    await rig.idle();
    await until('api to run', () => rig.eventsOf('start').includes('start api'));
    expect((await rig.rc(['svc', '-d', 'api'])).code).to.equal(0);
    expect((await rig.rc(['wait', '--down', '--timeout', '3000', 'api'])).code).to.equal(0);
    const st = await rig.rc(['status', 'api']);
    expect(st.stdout).to.match(/^api +longrun +down \(recorded up\) +- /m);
    const r = await rig.rc(['up', 'api']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('rc: api started');
    await until('api to run again', () => rig.eventsOf('start').filter((e) => e === 'start api').length === 2);
    const row = await rig.row('api');
    expect(row).to.deep.include({ up: true, wanted: true, state: 'up' });
    expect((await rig.rc(['status', 'api'])).stdout).to.match(/^api +longrun +up +\d+ /m);
    // Nothing else moved: init (a oneshot) and db were left alone.
    expect(rig.eventsOf('up', 'stop')).to.deep.equal(['up init', 'stop api']);
  });

  it('shows service output with rc logs, and status as JSON', async () => {
    rig.ready('db');
    await rig.idle();
    const logs = await rig.rc(['logs', 'init']);
    expect(logs.code).to.equal(0);
    expect(logs.stdout).to.equal('init | init: running up\n');
    // The same object, and the same ISO-8601 time, as rc boot --log-format json --log-timestamps writes.
    const jl = await rig.rc(['logs', '--json', 'init']);
    const obj = JSON.parse(jl.stdout) as Record<string, unknown>;
    expect(Object.keys(obj)).to.deep.equal(['service', 'stream', 'time', 'line']);
    expect(obj).to.deep.include({ service: 'init', stream: 'stdout', line: 'init: running up' });
    expect(obj['time']).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const json = await rig.rc(['status', '--json', 'db']);
    const data = JSON.parse(json.stdout) as { daemon: { pid: number }; services: { name: string; state: string; ready: boolean }[] };
    expect(data.daemon.pid).to.equal(rig.daemon!.pid);
    expect(data.services).to.have.length(1);
    expect(data.services[0]).to.deep.include({ name: 'db', state: 'ready', ready: true });
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`rc logs -f ends silently with exit 0 on ${sig}`, async () => {
      rig.ready('db');
      await rig.idle();
      const child = spawn(process.execPath, [rcBin, 'logs', '-f', 'init', '--live', rig.live], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      const exit = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));
      await until('the recent lines', () => out.includes('init | init: running up'));
      child.kill(sig);
      expect(await exit).to.equal(0);
      expect(err).to.equal('');
    });
  }

  it('with --json, an error is also one JSON line on stdout (besides the message on stderr)', async () => {
    for (const args of [['up', '--json', 'dbb'], ['change', '--json', '--dry-run', 'dbb'], ['status', '--json', 'dbb'], ['logs', '--json', 'dbb']]) {
      const r = await rig.rc(args);
      expect(r.code, args.join(' ')).to.equal(3);
      expect(JSON.parse(r.stdout), args.join(' ')).to.deep.equal({ type: 'error', exitCode: 3, message: "unknown service name 'dbb'", hint: "did you mean 'db'?" });
      expect(r.stderr).to.equal("rc: unknown service name 'dbb'\n  hint: did you mean 'db'?\n");
    }
    const none = await runRc(rcBin, ['up', '--json', 'db', '--live', join(rig.root, 'nowhere')]);
    expect(none.code).to.equal(111);
    expect(JSON.parse(none.stdout)).to.deep.include({ type: 'error', exitCode: 111 });
    expect((await rig.rc(['up', 'dbb'])).stdout).to.equal('');
  });

  it('prints NDJSON events with --json and the plan as JSON with --dry-run --json', async () => {
    rig.ready('db');
    await rig.idle();
    const dry = await rig.rc(['down', '--dry-run', '--json', 'db']);
    const plan = JSON.parse(dry.stdout) as { waves: { phase: string; steps: { name: string }[] }[] };
    expect(plan.waves.map((w) => w.steps.map((s) => s.name))).to.deep.equal([['api'], ['init'], ['db']]);
    const r = await rig.rc(['up', '--json', 'spare']);
    expect(r.code).to.equal(0);
    const types = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    // The engine's steps, and between them what spare's supervisor reported (one vocabulary).
    expect(types.filter((t) => t.startsWith('change-') || t.startsWith('service-'))).to.deep.equal(['change-started', 'service-starting', 'service-started', 'change-done']);
    expect(types).to.include('spawned');
  });

  it('answers malformed, unknown and oversized requests with errors; the daemon and other clients are unaffected', async () => {
    const other = await connectControl(rig.live);
    if (!other.ok) throw new Error(other.error.message);
    const replies = await raw(rig.live, 'not json\n{"v":1,"id":1,"op":"explode"}\n{"v":9,"id":2,"op":"status"}\n{"v":1,"id":3,"op":"up","names":[]}\n', 4);
    expect(replies.map((r) => [r['type'], r['id'], r['exitCode']])).to.deep.equal([
      ['error', null, 100],
      ['error', 1, 100],
      ['error', 2, 100],
      ['error', 3, 100],
    ]);
    const big = await raw(rig.live, Buffer.alloc(2 * 1024 * 1024, 'x'), 1);
    expect(big[0]).to.deep.include({ type: 'error', exitCode: 100 });
    const st = await other.value.call({ op: 'status' });
    other.value.close();
    expect(st.type).to.equal('result');
    expect((await rig.rc(['status'])).code).to.equal(0);
  });

  it('streams a snapshot, then live events, to a subscriber', async () => {
    const c = await connectControl(rig.live);
    if (!c.ok) throw new Error(c.error.message);
    const kinds: string[] = [];
    void c.value.call({ op: 'subscribe' }, { onEvent: (e) => kinds.push(e.kind === 'event' ? e.event.type : e.kind) });
    await until('the snapshot', () => kinds.length > 0);
    expect(kinds[0]).to.equal('snapshot');
    rig.ready('db');
    // The recorded state, the engine's steps and the supervisors' events all come as events.
    await until(`live events (got ${kinds.join(' ')})`, () => kinds.includes('recorded') && kinds.includes('service-started') && kinds.includes('ready'));
    c.value.close();
  });

  it('gives the same output through the fast entry (rc-fast.js) as through the full CLI', async () => {
    rig.ready('db');
    await rig.idle();
    const fast = join(dirname(rcBin), 'rc-fast.js');
    for (const args of [['status', 'db', 'spare'], ['list', '--up'], ['status', 'nope']]) {
      const full = await rig.rc(args);
      const viaFast = await rig.rcWith(fast, args);
      expect({ code: viaFast.code, stderr: viaFast.stderr }, args.join(' ')).to.deep.equal({ code: full.code, stderr: full.stderr });
      expect(viaFast.stdout.replace(/\d+s /g, ''), args.join(' ')).to.equal(full.stdout.replace(/\d+s /g, ''));
    }
    expect((await rig.rcWith(fast, ['change', '--dry-run', 'default'])).stdout).to.match(/nothing to do/);
  });

  it('documents every command with an example', async () => {
    for (const cmd of ['boot', 'change', 'up', 'down', 'restart', 'status', 'list', 'wait', 'svc', 'halt', 'logs']) {
      const h = await rig.rc([cmd, '--help']);
      expect(h.code, cmd).to.equal(0);
      expect(h.stdout, cmd).to.match(/Examples?:\n {2}rc /);
      expect(h.stdout, cmd).to.include('--live');
    }
  });
});
