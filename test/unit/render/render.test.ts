// render: the plain and NDJSON renderings of engine events, and the plan as text.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { FakeClock } from '../../../lib/core/clock.js';
import type { TransitionResult } from '../../../lib/engine/driver.js';
import type { EngineEvent } from '../../../lib/engine/events.js';
import { executePlan } from '../../../lib/engine/execute.js';
import { plan } from '../../../lib/plan/plan.js';
import type { Plan, PlanRequest } from '../../../lib/plan/types.js';
import { JsonRenderer } from '../../../lib/render/json.js';
import { ListrRenderer } from '../../../lib/render/listr.js';
import { LogRenderer } from '../../../lib/render/log-renderer.js';
import { PlainRenderer } from '../../../lib/render/plain.js';
import { renderPlan } from '../../../lib/render/plan-text.js';
import type { EventRenderer } from '../../../lib/render/renderer.js';
import { graphOf } from '../plan/graph-fixture.js';

// the DB-init pattern: db ← migrate (oneshot) ← api;  cache independent;  syslog essential
const g = graphOf([
  { name: 'syslog', essential: true },
  { name: 'db' },
  { name: 'migrate', type: 'oneshot', deps: ['db'] },
  { name: 'api', deps: ['migrate'] },
  { name: 'cache' },
  { name: 'admin', deps: ['db'] },
]);

function mustPlan(up: string[], request: Omit<PlanRequest, 'targets'> & { targets: string[] }): Plan {
  const r = plan(g, { up: new Set(up.map(g.idx)) }, { ...request, targets: request.targets.map(g.idx) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Run a plan with a driver that takes 120 ms (fake clock) per service; `fail` names fail with exit 1. */
async function events(p: Plan, fail: string[] = []): Promise<EngineEvent[]> {
  const clock = new FakeClock();
  const out: EngineEvent[] = [];
  const answer = (i: number): Promise<TransitionResult> =>
    new Promise((resolve) =>
      setImmediate(() => {
        clock.advance(120);
        resolve(fail.includes(g.services[i]!.name) ? { ok: false, reason: 'exit-code', exitCode: 1, message: 'exited 1' } : { ok: true });
      }),
    );
  await executePlan(p, { start: answer, stop: answer, restart: answer }, { clock, timeouts: () => 0, onEvent: (e) => out.push(e) });
  return out;
}

/** Like `events`, but `hang` names wait until the change is cancelled, which happens when a service fails. */
async function cancelledEvents(p: Plan, fail: string[], hang: string[]): Promise<EngineEvent[]> {
  const clock = new FakeClock();
  const out: EngineEvent[] = [];
  const ctl = new AbortController();
  const answer = (i: number, o: { signal: AbortSignal }): Promise<TransitionResult> => {
    const name = g.services[i]!.name;
    if (hang.includes(name)) {
      return new Promise((resolve) => o.signal.addEventListener('abort', () => resolve({ ok: false, reason: 'cancelled', message: 'wait for ready: aborted' })));
    }
    return new Promise((resolve) =>
      setImmediate(() => {
        clock.advance(120);
        resolve(fail.includes(name) ? { ok: false, reason: 'exit-code', exitCode: 1, message: 'exited 1' } : { ok: true });
      }),
    );
  };
  const onEvent = (e: EngineEvent) => {
    out.push(e);
    if (e.type === 'service-failed' && e.failure.reason !== 'cancelled') setImmediate(() => ctl.abort());
  };
  await executePlan(p, { start: answer, stop: answer, restart: answer }, { clock, timeouts: () => 0, onEvent, signal: ctl.signal });
  return out;
}

async function render(r: EventRenderer, es: EngineEvent[], stream: PassThrough): Promise<string> {
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  for (const e of es) r.handle(e);
  await r.close();
  return text;
}

// strips the ANSI sequences listr's output uses
// eslint-disable-next-line no-control-regex -- matching ANSI colour escapes
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('render', () => {
  it('plain: one line per event, skipped services named with the failed dependency, then the summary', async () => {
    const es = await events(mustPlan([], { kind: 'up', targets: ['api'] }), ['migrate']);
    const out = new PassThrough();
    const text = await render(new PlainRenderer(out), es, out);
    expect(text.split('\n')).to.deep.equal([
      'rc: starting db',
      'rc: db started (120 ms)',
      'rc: starting migrate',
      'rc: migrate failed to start: exited 1 (120 ms)',
      'rc: api skipped: depends on migrate, which failed',
      'rc: 1 failed: migrate (exited 1)',
      'rc: 1 skipped: api',
      'rc: change failed after 240 ms: 1 started',
      '',
    ]);
  });

  it('plain: a transition aborted by a cancelled change is reported as cancelled, not failed', async () => {
    const es = await cancelledEvents(mustPlan([], { kind: 'up', targets: ['api', 'cache'] }), ['migrate'], ['cache']);
    const out = new PassThrough();
    const text = await render(new PlainRenderer(out), es, out);
    expect(text).to.include('rc: cache cancelled while starting: wait for ready: aborted (');
    expect(text).not.to.include('cache failed');
    expect(text).to.match(/rc: 1 failed: migrate \(exited 1\)\nrc: 1 cancelled: cache \(wait for ready: aborted\)\nrc: 1 skipped: api\nrc: change cancelled after \d+ ms: 1 started\n$/);
  });

  it('plain: the summary never says "nothing to do" when something failed or was skipped', async () => {
    const es = await events(mustPlan([], { kind: 'up', targets: ['migrate'] }), ['db']);
    const out = new PassThrough();
    const text = await render(new PlainRenderer(out), es, out);
    expect(text).to.match(/rc: 1 failed: db \(exited 1[^)]*\)\nrc: 1 skipped: migrate\nrc: change failed after \d+ ms: nothing done\n$/);
  });

  it('plain: stops, kept services and a clean summary', async () => {
    const es = await events(mustPlan(['syslog', 'db', 'admin'], { kind: 'change', targets: ['cache'], label: 'default' }));
    const out = new PassThrough();
    const text = await render(new PlainRenderer(out, { prefix: 'rc' }), es, out);
    expect(text).to.include('rc: syslog kept up: essential\n');
    expect(text).to.include('rc: stopping admin\nrc: admin stopped (120 ms)\nrc: stopping db\n');
    expect(text).to.match(/rc: change done in 360 ms: 1 started, 2 stopped, 1 kept up\n$/);
  });

  it('every renderer names the phase of rc update that ended (stop, start, restore of what was stopped)', async () => {
    const stop = await events(mustPlan(['db', 'admin'], { kind: 'down', targets: ['admin'] }));
    const start = await events(mustPlan([], { kind: 'up', targets: ['cache'] }));
    const restore = await events(mustPlan([], { kind: 'up', targets: ['db'] }), ['db']);
    const tag = (es: EngineEvent[], phase: 'update-stop' | 'update-start' | 'update-restore'): EngineEvent[] => es.map((e) => (e.type === 'change-done' ? { ...e, phase } : e));
    const all = [...tag(stop, 'update-stop'), ...tag(start, 'update-start'), ...tag(restore, 'update-restore')];
    const expected = [/update: stop phase done in \d+ ms: 1 stopped/, /update: start phase done in \d+ ms: 1 started/, /update: restart of what the stop phase stopped failed after \d+ ms: nothing done/];
    const plainOut = new PassThrough();
    const plainText = await render(new PlainRenderer(plainOut), all, plainOut);
    const listrOut = new PassThrough();
    const listrText = stripAnsi(await render(new ListrRenderer(listrOut), all, listrOut));
    for (const text of [plainText, listrText]) {
      for (const re of expected) expect(text).to.match(new RegExp(`rc: ${re.source}`));
      expect(text).not.to.include('change done');
    }
    const logOut = new PassThrough();
    const log = new LogRenderer(logOut, { format: 'json', timestamps: false, quiet: true, wallNow: () => 0 });
    for (const e of all) log.handle(e);
    const logText = (logOut.read() as Buffer).toString();
    const done = logText.trim().split('\n').map((l) => JSON.parse(l) as { line: string; event: { type: string; phase?: string } }).filter((o) => o.event.type === 'change-done');
    expect(done.map((o) => o.event.phase)).to.deep.equal(['update-stop', 'update-start', 'update-restore']);
    done.forEach((o, k) => expect(o.line).to.match(expected[k]!));
    const jsonOut = new PassThrough();
    const json = (await render(new JsonRenderer(jsonOut), all, jsonOut)).trim().split('\n').map((l) => JSON.parse(l) as { type: string; phase?: string });
    expect(json.filter((e) => e.type === 'change-done').map((e) => e.phase)).to.deep.equal(['update-stop', 'update-start', 'update-restore']);
  });

  it('json: NDJSON, one parseable event per line, as emitted', async () => {
    const es = await events(mustPlan([], { kind: 'up', targets: ['admin'] }));
    const out = new PassThrough();
    const text = await render(new JsonRenderer(out), es, out);
    const lines = text.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as EngineEvent)).to.deep.equal(es);
    expect(lines[0]).to.match(/^\{"type":"change-started"/);
    expect((JSON.parse(lines.at(-1)!) as EngineEvent).type).to.equal('change-done');
  });

  it('plan text: stop waves then start waves, with reasons and kept services', () => {
    const p = mustPlan(['syslog', 'db', 'admin'], { kind: 'change', targets: ['api', 'cache'], label: 'default' });
    expect(renderPlan(p, 'text')).to.equal(
      [
        'stop wave 1:',
        '  stop    admin    longrun  not in default',
        'start wave 1:',
        '  start   migrate  oneshot  needed by api',
        '  start   cache    longrun  in default',
        'start wave 2:',
        '  start   api      longrun  in default',
        'kept up:',
        '  keep    syslog   essential',
      ].join('\n'),
    );
    expect(renderPlan(mustPlan(['db'], { kind: 'up', targets: ['db'] }), 'text')).to.equal('nothing to do');
  });

  it('plan json: the same waves as data', () => {
    const p = mustPlan([], { kind: 'up', targets: ['api'] });
    const json = JSON.parse(renderPlan(p, 'json')) as { waves: { phase: string; wave: number; steps: { name: string; reason: string; after: string[] }[] }[] };
    expect(json.waves.map((w) => [w.phase, w.wave, w.steps.map((s) => `${s.name}: ${s.reason} <- ${s.after.join(',')}`)])).to.deep.equal([
      ['start', 1, ['db: needed by migrate <- ']],
      ['start', 2, ['migrate: needed by api <- db']],
      ['start', 3, ['api: requested <- migrate']],
    ]);
  });

  it('listr: a line per service with its final state and duration, then the summary', async () => {
    const es = await events(mustPlan([], { kind: 'up', targets: ['api', 'cache'] }), ['migrate']);
    const out = new PassThrough();
    const r = new ListrRenderer(out);
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    r.handle(es[0]!);
    r.serviceOutput('db', 'listening on 5432');
    for (const e of es.slice(1)) r.handle(e);
    await r.close();
    const plain = stripAnsi(text);
    const finalFrame = plain.slice(plain.lastIndexOf('db started'));
    expect(finalFrame).to.match(/db started \(120 ms\)/);
    expect(finalFrame).to.match(/[✔√] cache started \(\d+ ms\)/);
    expect(finalFrame).to.match(/[✖×] migrate failed to start: exited 1 \(\d+ ms\)/);
    expect(finalFrame).to.include('api skipped: depends on migrate, which failed');
    expect(plain).to.include('listening on 5432');
    expect(plain).to.match(/rc: 1 failed: migrate \(exited 1\)\nrc: 1 skipped: api\nrc: change failed after \d+ ms: 2 started\n$/);
  });

  it('listr: a cancelled step is shown like a skipped one (not ✖), and apart in the summary', async () => {
    const es = await cancelledEvents(mustPlan([], { kind: 'up', targets: ['api', 'cache'] }), ['migrate'], ['cache']);
    const out = new PassThrough();
    const plain = stripAnsi(await render(new ListrRenderer(out), es, out));
    expect(plain).to.match(/↓ cache cancelled while starting: wait for ready: aborted|cache cancelled while starting: wait for ready: aborted/);
    expect(plain).not.to.match(/[✖×] cache/);
    expect(plain).to.match(/rc: 1 cancelled: cache \(wait for ready: aborted\)\n/);
  });

  it('listr: close() ends the display even if the event stream was cut mid-change', async () => {
    const es = await events(mustPlan([], { kind: 'up', targets: ['admin'] }));
    const out = new PassThrough();
    const r = new ListrRenderer(out);
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    r.handle(es[0]!);
    r.handle(es[1]!); // service-starting db, then nothing more
    await r.close();
    expect(stripAnsi(text)).to.include('starting db: interrupted (no outcome received)');
  });
});
