// e2e: rc boot --http: every route of the JSON API against a real daemon (status codes, shapes by the schemas), tokens, SSE order, log follow, limits.
import { expect } from 'chai';
import { Ajv } from 'ajv';
import { DaemonRig, until, type Tree } from './daemon-harness.js';
import { bootHttp, http, post, SseClient, TOKEN } from './http-harness.js';
import * as schemas from '../../lib/http/schemas.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const check = (schema: object, value: unknown): void => {
  const ok = ajv.validate(schema, value);
  expect(ok, ajv.errorsText()).to.equal(true);
};

/** db (ready on notification-fd) ← api; setup: a oneshot; talker prints numbered lines; app = {api}. */
const TREE: Tree = {
  db: { type: 'longrun', ready: true },
  api: { type: 'longrun', deps: ['db'] },
  setup: { type: 'oneshot' },
  talker: { type: 'longrun', run: 'i=0; while :; do i=$((i+1)); echo "line $i"; sleep 0.1; done' },
  app: { type: 'bundle', contents: ['api'] },
};

describe('e2e http API (rc boot --http)', function () {
  this.timeout(60_000);
  let rig: DaemonRig | undefined;
  const streams: SseClient[] = [];
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await rig?.cleanup();
    rig = undefined;
  });

  async function start(targets: string[], o: { token?: boolean } = {}): Promise<string> {
    rig = new DaemonRig(TREE);
    rig.ready('db');
    const base = await bootHttp(rig, ['--target', ...targets], o);
    await rig.idle(20_000);
    return base;
  }

  it('answers every GET route with the documented shapes, and JSON errors with the CLI exit codes', async () => {
    const base = await start(['app', 'setup', 'talker']);
    const all = await http(`${base}/api/v1/services`);
    expect(all.status).to.equal(200);
    check(schemas.servicesSchema, all.json);
    const status = await rig!.status();
    expect(all.json).to.have.nested.property('daemon.pid', status.daemon.pid);
    const rows = (all.json as { services: { name: string; pid: number | null; up: boolean }[] }).services;
    expect(rows.map((r) => [r.name, r.pid, r.up])).to.deep.equal(status.services.map((r) => [r.name, r.pid, r.up]));
    const one = await http(`${base}/api/v1/services/api`);
    check(schemas.serviceSchema, one.json);
    expect(one.json).to.nested.include({ 'service.name': 'api', 'service.pid': (await rig!.row('api')).pid, 'service.up': true });
    const some = await http(`${base}/api/v1/services?names=app,setup`);
    expect((some.json as { services: { name: string }[] }).services.map((r) => r.name)).to.deep.equal(['api', 'setup']);

    const unknown = await http(`${base}/api/v1/services/apii`);
    expect(unknown.status).to.equal(404);
    check(schemas.errorSchema, unknown.json);
    expect(unknown.json).to.deep.include({ exitCode: 3 });
    expect((unknown.json as { message: string }).message).to.include('apii');
    const bundle = await http(`${base}/api/v1/services/app`);
    expect(bundle.status).to.equal(400);
    expect(bundle.json).to.deep.include({ exitCode: 100, hint: 'GET /api/v1/services?names=app lists its services' });
    const noRoute = await http(`${base}/api/v2/nothing`);
    expect(noRoute.status).to.equal(404);
    expect(noRoute.json).to.deep.include({ exitCode: 100 });

    const pidBefore = (await rig!.row('api')).pid;
    const plan = await http(`${base}/api/v1/plan?change=db`);
    expect(plan.status).to.equal(200);
    check(schemas.planSchema, plan.json);
    const steps = (plan.json as { plan: { steps: { name: string; action: string }[] } }).plan.steps;
    expect(steps.map((s) => `${s.action} ${s.name}`)).to.include.members(['stop api', 'stop setup', 'stop talker']);
    expect((await rig!.row('api')).pid, 'a dry run changes nothing').to.equal(pidBefore);

    const graph = await http(`${base}/api/v1/graph`);
    check(schemas.graphSchema, graph.json);
    const g = graph.json as { nodes: { name: string; layer: number }[]; edges: [string, string][] };
    expect(g.nodes.map((n) => n.name).sort()).to.deep.equal(['api', 'db', 'setup', 'talker']);
    expect(g.edges).to.deep.include(['db', 'api']);

    await until('talker output', async () => ((await http(`${base}/api/v1/services/talker/logs?lines=2`)).json as { lines: unknown[] }).lines.length === 2);
    const logs = await http(`${base}/api/v1/services/talker/logs?lines=2`);
    check(schemas.logsSchema, logs.json);
    expect((logs.json as { lines: { line: string; service: string }[] }).lines.every((l) => /^line \d+$/.test(l.line) && l.service === 'talker')).to.equal(true);
    expect((await http(`${base}/api/v1/services/talker/logs?lines=-1`)).status).to.equal(400);

    // Every documented GET path without parameters answers (the streams aside), with no cookie and no CORS header.
    const doc = (await http(`${base}/api/v1/openapi.json`)).json as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!ops['get'] || path.includes('{') || 'text/event-stream' in (ops['get'].responses['200']?.content ?? {})) continue;
      const r = await http(`${base}${path}${path === '/api/v1/plan' ? '?change=db' : ''}`);
      expect(r.status, path).to.equal(200);
      expect(r.headers['set-cookie'], path).to.equal(undefined);
      expect(r.headers['access-control-allow-origin'], path).to.equal(undefined);
    }
  });

  it('refuses every POST with 403 when rc boot has no --http-token-file; reading still works', async () => {
    const base = await start(['api'], { token: false });
    const pid = (await rig!.row('api')).pid;
    for (const [path, body] of [['/api/v1/services/api/restart', undefined], ['/api/v1/change', { targets: ['db'] }], ['/api/v1/services/api/svc', { letters: 'k' }]] as const) {
      const r = await post(`${base}${path}`, body, TOKEN);
      expect(r.status, path).to.equal(403);
      expect(r.json).to.deep.include({ exitCode: 111 });
    }
    expect((await rig!.row('api')).pid).to.equal(pid);
    expect((await http(`${base}/api/v1/services/api`)).status).to.equal(200);
    expect(rig!.err).to.include('(read-only: no --http-token-file)');
  });

  it('needs the right token: none and wrong are 401 and change nothing; the right one restarts the service (new pid)', async () => {
    const base = await start(['api']);
    const pid = (await rig!.row('api')).pid!;
    const none = await post(`${base}/api/v1/services/api/restart`, undefined, null);
    expect(none.status).to.equal(401);
    expect(none.headers['www-authenticate']).to.match(/^Bearer/);
    expect(none.json).to.deep.include({ exitCode: 111, message: 'this request changes state and needs a token' });
    const wrong = await post(`${base}/api/v1/services/api/restart`, undefined, `${TOKEN}x`);
    expect(wrong.status).to.equal(401);
    expect(wrong.json).to.deep.include({ message: 'wrong token' });
    expect((await rig!.row('api')).pid).to.equal(pid);
    const right = await post(`${base}/api/v1/services/api/restart`);
    expect(right.status).to.equal(200);
    check(schemas.transitionSchema, right.json);
    expect(right.json).to.deep.include({ exitCode: 0 });
    expect(right.json).to.have.nested.property('summary.restarted', 1);
    const after = (await rig!.row('api')).pid;
    expect(after).to.be.a('number').and.not.equal(pid);
  });

  it('change, up, down and svc act as the CLI does; bad bodies are 400/413/415 naming the problem', async () => {
    const base = await start(['app', 'talker']);
    const change = await post(`${base}/api/v1/change`, { targets: ['db'] });
    expect(change.status).to.equal(200);
    expect(change.json).to.deep.include({ exitCode: 0 });
    expect(await rig!.upNames()).to.deep.equal(['db']);
    expect((await post(`${base}/api/v1/services/api/up`)).json).to.deep.include({ exitCode: 0 });
    expect(await rig!.upNames()).to.deep.equal(['api', 'db']);
    const pid = (await rig!.row('api')).pid;
    expect((await post(`${base}/api/v1/services/api/svc`, { letters: 'k' })).json).to.deep.equal({ exitCode: 0 });
    await until('api killed and restarted', async () => {
      const row = await rig!.row('api');
      return row.pid !== null && row.pid !== pid && row.restarts >= 1;
    });
    expect((await post(`${base}/api/v1/services/db/down`)).json).to.deep.include({ exitCode: 0 });
    expect(await rig!.upNames(), 'down takes its dependents along').to.deep.equal([]);

    const unknown = await post(`${base}/api/v1/change`, { targets: ['nope'] });
    expect(unknown.status).to.equal(404);
    expect(unknown.json).to.deep.include({ exitCode: 3 });
    const bad = await post(`${base}/api/v1/change`, { targets: 'db' });
    expect(bad.status).to.equal(400);
    expect(bad.json).to.deep.include({ exitCode: 100 });
    expect((bad.json as { message: string }).message).to.include('targets');
    const extra = await post(`${base}/api/v1/change`, { targets: ['db'], wat: 1 });
    expect(extra.status).to.equal(400);
    const letters = await post(`${base}/api/v1/services/db/svc`, { letters: 'z' });
    expect(letters.status).to.equal(400);
    const big = await http(`${base}/api/v1/change`, { method: 'POST', raw: JSON.stringify({ targets: ['x'.repeat(100_000)] }), headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });
    expect(big.status).to.equal(413);
    expect(big.json).to.deep.include({ exitCode: 100 });
    const text = await http(`${base}/api/v1/change`, { method: 'POST', raw: 'targets=db', headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` } });
    expect(text.status).to.equal(415);
    const host = await http(`${base}/api/v1/services`, { headers: { host: 'rebind.example.com' } });
    expect(host.status).to.equal(421);
    expect(await rig!.upNames(), 'no refused request changed anything').to.deep.equal([]);
  });

  it('streams a change\'s events over SSE, after a snapshot, in order, ids increasing', async () => {
    const base = await start(['setup']);
    const sse = new SseClient(`${base}/api/v1/events`);
    streams.push(sse);
    await sse.opened;
    expect(sse.status).to.equal(200);
    expect(sse.contentType).to.match(/^text\/event-stream/);
    await sse.waitFor('the snapshot', () => sse.frames.length >= 1);
    expect(sse.frames[0]!.event).to.equal('snapshot');
    check(schemas.servicesSchema, sse.frames[0]!.data);
    const done = await post(`${base}/api/v1/change`, { targets: ['api'] });
    expect(done.json).to.deep.include({ exitCode: 0 });
    await sse.waitFor('change-done', () => sse.events().some((e) => e.type === 'change-done'));
    const engine = sse.events().filter((e) => ['change-started', 'service-starting', 'service-started', 'service-stopping', 'service-stopped', 'change-done'].includes(e.type)).map((e) => `${e.type}${e.name ? ` ${e.name}` : ''}`);
    expect(engine[0]).to.equal('change-started');
    expect(engine[engine.length - 1]).to.equal('change-done');
    expect(engine.indexOf('service-started db')).to.be.above(engine.indexOf('service-starting db'));
    expect(engine.indexOf('service-starting api'), 'api starts once db is up').to.be.above(engine.indexOf('service-started db'));
    expect(engine.indexOf('service-started api')).to.be.above(engine.indexOf('service-starting api'));
    expect(engine).to.include('service-stopped setup');
    const spawned = sse.events().find((e) => e.type === 'spawned' && e.service === 'api');
    expect(spawned?.['pid']).to.equal((await rig!.row('api')).pid);
    const ids = sse.frames.map((f) => f.id!);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).to.be.above(ids[i - 1]!);
  });

  it('follows a service\'s log over SSE: the recent lines, then new ones as they come', async () => {
    const base = await start(['talker']);
    await until('talker output', async () => ((await http(`${base}/api/v1/services/talker/logs?lines=3`)).json as { lines: unknown[] }).lines.length === 3);
    const sse = new SseClient(`${base}/api/v1/services/talker/logs?follow=1&lines=3`);
    streams.push(sse);
    await sse.opened;
    expect(sse.contentType).to.match(/^text\/event-stream/);
    await sse.waitFor('8 log lines', () => sse.frames.length >= 8);
    const numbers = sse.frames.map((f) => Number(/^line (\d+)$/.exec((f.data as { line: string }).line)?.[1]));
    expect(sse.frames.every((f) => f.event === 'log')).to.equal(true);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).to.equal(numbers[i - 1]! + 1);
    const unknown = await http(`${base}/api/v1/services/nope/logs?follow=1`);
    expect(unknown.status).to.equal(404);
  });
});
