// e2e: /metrics parsed by a Prometheus text-format parser and checked against the services' real states; --http flag errors.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { DaemonRig, until, type Tree } from './daemon-harness.js';
import { bootHttp, http, post } from './http-harness.js';
import { UpdateRig } from './update-harness.js';

const TREE: Tree = {
  db: { type: 'longrun', ready: true },
  api: { type: 'longrun', deps: ['db'] },
  setup: { type: 'oneshot' },
  idle: { type: 'longrun' },
};

async function scrape(base: string): Promise<Map<string, PromFamily>> {
  const r = await http(`${base}/metrics`);
  expect(r.status).to.equal(200);
  expect(r.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
  // The parser folds a labelled histogram's series into one: its _count/_bucket/_sum lines are
  // also parsed without the # lines, as untyped families of their own (rc_..._seconds_count).
  const typed = parsePrometheusTextFormat(r.text).map((f): [string, PromFamily] => [f.name, f]);
  const flat = parsePrometheusTextFormat(r.text.split('\n').filter((l) => !l.startsWith('#')).join('\n')).filter((f) => /_(count|sum|bucket)$/.test(f.name));
  // Those come once per label set (the lines alternate between series): merge them by name.
  const merged = new Map<string, PromFamily>();
  for (const f of flat) merged.set(f.name, { ...f, metrics: [...(merged.get(f.name)?.metrics ?? []), ...f.metrics] });
  return new Map([...typed, ...merged]);
}

/** The value of one sample of `family` whose labels include `labels`; undefined when there is none. */
function sample(m: Map<string, PromFamily>, family: string, labels: Record<string, string>): number | undefined {
  const s = m.get(family)?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return s === undefined ? undefined : Number(s.value);
}

describe('e2e http metrics and flags', function () {
  this.timeout(60_000);
  let rig: DaemonRig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  it('reports up, ready, restarts, deaths and transition durations as the daemon sees them', async () => {
    rig = new DaemonRig(TREE);
    rig.ready('db');
    const base = await bootHttp(rig, ['--target', 'api', 'setup']);
    await rig.idle(20_000);
    let m = await scrape(base);
    const status = await rig.status();
    for (const row of status.services) {
      expect(sample(m, 'rc_service_up', { service: row.name, type: row.type }), row.name).to.equal(row.up ? 1 : 0);
    }
    expect(sample(m, 'rc_service_ready', { service: 'db' })).to.equal(1);
    expect(sample(m, 'rc_service_ready', { service: 'api' }), 'no readiness reporting: no sample').to.equal(undefined);
    expect(sample(m, 'rc_service_deaths_total', { service: 'api', type: 'longrun' })).to.equal(0);
    expect(sample(m, 'rc_service_restarts_total', { service: 'api' })).to.equal(0);
    expect(m.get('rc_transition_duration_seconds')?.type).to.equal('HISTOGRAM');
    expect(sample(m, 'rc_transition_duration_seconds_count', { action: 'start', type: 'longrun', outcome: 'ok' })).to.equal(2);
    expect(sample(m, 'rc_oneshot_duration_seconds_count', { service: 'setup', action: 'start', outcome: 'ok' })).to.equal(1);
    expect(m.get('process_resident_memory_bytes')?.metrics[0]?.value).to.match(/^\d/);
    expect(m.has('nodejs_eventloop_lag_seconds')).to.equal(true);

    // A death: SIGKILL api's run; the supervisor restarts it.
    const pid = (await rig.row('api')).pid!;
    process.kill(pid, 'SIGKILL');
    await until('api restarted', async () => {
      const row = await rig!.row('api');
      return row.pid !== null && row.pid !== pid;
    });
    m = await scrape(base);
    expect(sample(m, 'rc_service_deaths_total', { service: 'api' })).to.equal(1);
    expect(sample(m, 'rc_service_restarts_total', { service: 'api' })).to.equal((await rig.row('api')).restarts);
    expect(sample(m, 'rc_service_restarts_total', { service: 'api' })).to.be.at.least(1);

    // A stop: up drops to 0, the stop is timed.
    expect((await post(`${base}/api/v1/services/setup/down`)).json).to.deep.include({ exitCode: 0 });
    m = await scrape(base);
    expect(sample(m, 'rc_service_up', { service: 'setup' })).to.equal(0);
    expect(sample(m, 'rc_oneshot_duration_seconds_count', { service: 'setup', action: 'stop', outcome: 'ok' })).to.equal(1);
  });

  it('reports rc_service_healthy for services with a health check only, following the check', async () => {
    // Fails once the file `sick` exists in the service's dir; health-action none: only reported.
    const check = { 'health-cmd': '/bin/sh -c "if test -e sick ; then exit 1 ; fi"\n', 'health-interval': '150\n', 'health-retries': '1\n', 'health-action': 'none\n' };
    rig = new DaemonRig({ checked: { type: 'longrun', files: check }, plain: { type: 'longrun' } });
    const base = await bootHttp(rig, ['--target', 'checked', 'plain']);
    await until('checked healthy', async () => sample(await scrape(base), 'rc_service_healthy', { service: 'checked', type: 'longrun' }) === 1);
    const m = await scrape(base);
    expect(sample(m, 'rc_service_healthy', { service: 'plain' }), 'no check: no sample').to.equal(undefined);
    const row = await http(`${base}/api/v1/services/checked`);
    expect(row.json).to.nested.include({ 'service.health': 'healthy' });
    expect((row.json as { service: { healthCheckedAt: unknown } }).service.healthCheckedAt).to.be.a('number');
    writeFileSync(join(rig.compiled, 'servicedirs', 'checked', 'sick'), '');
    await until('checked unhealthy', async () => sample(await scrape(base), 'rc_service_healthy', { service: 'checked' }) === 0);
    expect((await http(`${base}/api/v1/services/checked`)).json).to.nested.include({ 'service.health': 'unhealthy' });
  });

  it('refuses a bad --http (exit 100), an unreadable token file and a busy port (exit 111), naming them', async () => {
    rig = new DaemonRig({ one: { type: 'longrun' } });
    const bad = await rig.rc(['boot', '--db', rig.compiled, '--http', '99999']);
    expect(bad.code).to.equal(100);
    expect(bad.stderr).to.include("--http '99999': the port must be a number from 0 to 65535");
    const lone = await rig.rc(['boot', '--db', rig.compiled, '--http-token-file', '/nonexistent']);
    expect(lone.code).to.equal(100);
    expect(lone.stderr).to.include('--http-token-file needs --http');
    const missing = join(rig.root, 'no-token');
    const noToken = await rig.rc(['boot', '--db', rig.compiled, '--http', '127.0.0.1:0', '--http-token-file', missing]);
    expect(noToken.code).to.equal(111);
    expect(noToken.stderr).to.include(`cannot read --http-token-file ${missing}: ENOENT`);
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = (taken.address() as { port: number }).port;
      const busy = await rig.rc(['boot', '--db', rig.compiled, '--target', 'one', '--http', `127.0.0.1:${port}`]);
      expect(busy.code).to.equal(111);
      expect(busy.stderr).to.include(`cannot listen on http://127.0.0.1:${port}/ for --http: the address is in use`);
      expect(rig.leftovers(), 'nothing was started').to.deep.equal([]);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('drops the series of services an rc update removed, keeping the others', async () => {
    const tree: Tree = { keep: { type: 'longrun' }, gone: { type: 'longrun' }, job: { type: 'oneshot' }, oldjob: { type: 'oneshot' } };
    const update = new UpdateRig(tree);
    rig = update;
    const base = await bootHttp(update, ['--target', 'keep', 'gone', 'job', 'oldjob']);
    await update.idle(20_000);
    for (const name of ['keep', 'gone']) {
      const pid = (await update.row(name)).pid!;
      process.kill(pid, 'SIGKILL');
      await until(`${name} restarted`, async () => {
        const row = await update.row(name);
        return row.pid !== null && row.pid !== pid;
      });
    }
    let m = await scrape(base);
    for (const name of ['keep', 'gone']) expect(sample(m, 'rc_service_deaths_total', { service: name }), name).to.equal(1);
    for (const name of ['job', 'oldjob']) expect(sample(m, 'rc_oneshot_duration_seconds_count', { service: name, action: 'start' }), name).to.equal(1);

    const next = update.compileNext('compiled-2', { keep: tree['keep']!, job: tree['job']! });
    const r = await update.rc(['update', next]);
    expect(r.code, r.stderr + r.stdout).to.equal(0);
    m = await scrape(base);
    const services = [...m.values()].flatMap((f) => f.metrics.map((x) => x.labels?.['service'])).filter((n) => n !== undefined);
    expect(new Set(services)).to.deep.equal(new Set(['keep', 'job']));
    expect(sample(m, 'rc_service_deaths_total', { service: 'keep', type: 'longrun' })).to.equal(1);
    expect(sample(m, 'rc_service_up', { service: 'keep' })).to.equal(1);
    expect(sample(m, 'rc_service_up', { service: 'job' })).to.equal(1);
    expect(sample(m, 'rc_oneshot_duration_seconds_count', { service: 'job', action: 'start', outcome: 'ok' })).to.equal(1);
    expect(sample(m, 'rc_oneshot_duration_seconds_count', { service: 'oldjob', action: 'stop' }), 'its stop was timed, then dropped').to.equal(undefined);
  });
});
