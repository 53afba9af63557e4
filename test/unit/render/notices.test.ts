// render/notices and LogRenderer: the words for supervisors' and the daemon's events, plain and as JSON lines.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import type { DaemonEvent } from '../../../lib/daemon/events.js';
import { LogRenderer } from '../../../lib/render/log-renderer.js';
import { plainLine } from '../../../lib/render/plain.js';

const sup = (e: Record<string, unknown>): DaemonEvent => ({ service: 'api', time: 0, ...e }) as DaemonEvent;

describe('render: supervisor and daemon events', () => {
  it('names a death with its code or signal, not a stop that was asked for', () => {
    expect(plainLine(sup({ type: 'exited', pid: 1, code: 3, signal: null, expected: false }))).to.equal('api died (exit code 3)');
    expect(plainLine(sup({ type: 'exited', pid: 1, code: null, signal: 'SIGSEGV', expected: false }))).to.equal('api died (killed by SIGSEGV)');
    expect(plainLine(sup({ type: 'exited', pid: 1, code: 0, signal: null, expected: true }))).to.equal(undefined);
  });

  it('says a restart and its throttle, a give-up, a lost readiness, a lock wait', () => {
    expect(plainLine(sup({ type: 'throttled', delayMs: 674 }))).to.equal('api will restart in 674 ms (restart throttle)');
    expect(plainLine(sup({ type: 'spawned', pid: 9, restart: true }))).to.equal('api restarted (pid 9)');
    expect(plainLine(sup({ type: 'spawned', pid: 9, restart: false }))).to.equal(undefined);
    expect(plainLine(sup({ type: 'permanent-failure', reason: 'finish exited 125 (permanent failure)' }))).to.equal(
      'api gave up: finish exited 125 (permanent failure); it stays down until asked up again',
    );
    expect(plainLine(sup({ type: 'not-ready', reason: 'timeout', message: 'api: readiness probe timed out after 5000 ms' }))).to.equal('api not ready: readiness probe timed out after 5000 ms');
    expect(plainLine(sup({ type: 'lock-busy', path: '/l', message: 'api: lock-fd: /l is held; waiting' }))).to.equal('api: lock-fd: /l is held; waiting');
  });

  it('says health changes (issue 12): healthy, unhealthy with the last line of the output and what follows', () => {
    const h = (health: string, output: string, action = 'restart') => plainLine(sup({ type: 'health-changed', health, output, checkedAt: 5, action }));
    expect(h('healthy', 'OK')).to.equal('api is healthy');
    expect(h('unhealthy', 'exit 1: first\nconnection refused\n\n')).to.equal('api is unhealthy (connection refused): restarting it');
    expect(h('unhealthy', '', 'none')).to.equal('api is unhealthy: left running (health-action none)');
    expect(h('unhealthy', 'x'.repeat(300))).to.equal(`api is unhealthy (${'x'.repeat(200)}…): restarting it`);
    const out = new PassThrough();
    new LogRenderer(out, { format: 'json', timestamps: false, quiet: true, wallNow: () => 0 }).handle(sup({ type: 'health-changed', health: 'unhealthy', output: 'o', checkedAt: 5, action: 'none' }));
    expect(JSON.parse(String(out.read()))).to.deep.include({ level: 'warning', line: 'api is unhealthy (o): left running (health-action none)' });
  });

  it('names a halt by its origin and code, and what a request made wanted', () => {
    expect(plainLine({ type: 'halt-requested', code: 9, origin: { kind: 'client', pid: 12 } })).to.equal('halt requested by rc halt (pid 12), exit code 9');
    expect(plainLine({ type: 'halt-requested', code: 3, origin: { kind: 'service', name: 'app', pid: 40 } })).to.equal('halt requested by rc halt from the service app (pid 40), exit code 3');
    expect(plainLine({ type: 'wanted-changed', by: 'change maintenance', up: ['maint'], down: ['api', 'migrate'] })).to.equal('now wanted (change maintenance): up maint; down api, migrate');
    expect(plainLine({ type: 'recorded', service: 'api', up: true })).to.equal(undefined);
  });

  it('LogRenderer: "rc: " lines with an optional hint, or one JSON object per line with level, time and the event', () => {
    const out = new PassThrough();
    const plain = new LogRenderer(out, { format: 'plain', timestamps: false, quiet: false, wallNow: () => 0 });
    plain.message('error', "unknown service name 'defualt'", "did you mean 'default'?");
    plain.handle(sup({ type: 'exited', pid: 1, code: 3, signal: null, expected: false }));
    expect(String(out.read())).to.equal("rc: unknown service name 'defualt'\n  hint: did you mean 'default'?\nrc: api died (exit code 3)\n");
    const json = new PassThrough();
    const j = new LogRenderer(json, { format: 'json', timestamps: true, quiet: true, wallNow: () => 0 });
    j.handle({ type: 'service-starting', step: 0, index: 0, name: 'api', action: 'start' });
    j.handle(sup({ type: 'exited', pid: 1, code: 3, signal: null, expected: false }));
    const lines = String(json.read()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.deep.include({ source: 'rc', level: 'warning', time: '1970-01-01T00:00:00.000Z', line: 'api died (exit code 3)' });
    expect((lines[0]!['event'] as { type: string }).type).to.equal('exited');
  });
});
