// What rc wait waits for per service: the asked condition; for --healthy, direct names need a check, bundle members without one wait for ready/up.
import { expect } from 'chai';
import { waitTargets } from '../../../lib/daemon/wait-targets.js';
import { healthCheck, makeDb } from '../export/build-db.js';

const CHECK = healthCheck({ kind: 'cmd', argv: ['true'] });
const DB = makeDb(
  [
    { name: 'db', type: 'longrun', health: CHECK },
    { name: 'cache', type: 'longrun', health: healthCheck({ kind: 'tcp', host: '127.0.0.1', port: 6379 }) },
    { name: 'plain', type: 'longrun' },
    { name: 'init', type: 'oneshot' },
  ],
  [
    { name: 'app', members: ['db', 'plain', 'init'] },
    { name: 'unchecked', members: ['plain', 'init'] },
  ],
);

const HINT = "add health-cmd, health-http or health-tcp to the longrun's source directory (then recompile), or wait with --ready";
const byName = (r: ReturnType<typeof waitTargets>) => (r.ok ? r.value.data.map((t) => `${DB.service(t.index).name}:${t.until}`) : r.error.message);

describe('waitTargets (rc wait)', () => {
  it('passes any other condition through for every resolved service, bundles expanded', () => {
    expect(byName(waitTargets(DB, ['app', 'cache'], 'ready'))).to.deep.equal(['db:ready', 'plain:ready', 'init:ready', 'cache:ready']);
    expect(byName(waitTargets(DB, ['plain'], 'down'))).to.deep.equal(['plain:down']);
  });

  it('waits for the health of longruns named directly that have a check', () => {
    expect(byName(waitTargets(DB, ['db', 'cache'], 'healthy'))).to.deep.equal(['db:healthy', 'cache:healthy']);
  });

  it('in a bundle, waits for members without a check as --ready would (a oneshot: up)', () => {
    expect(byName(waitTargets(DB, ['app'], 'healthy'))).to.deep.equal(['db:healthy', 'plain:ready', 'init:up']);
  });

  it('refuses a longrun named directly without a check, and a oneshot, naming each with the fix (exit 100)', () => {
    const r = waitTargets(DB, ['db', 'plain', 'init'], 'healthy');
    expect(r).to.deep.equal({
      ok: false,
      error: {
        exitCode: 100,
        message: 'cannot wait for health: plain has no health check; init is a oneshot (oneshots have no health check; wait for it with --up)',
        hint: HINT,
      },
    });
  });

  it('refuses a direct name even when a bundle in the same request also holds it', () => {
    const r = waitTargets(DB, ['app', 'plain'], 'healthy');
    expect(r.ok ? null : r.error.message).to.equal('cannot wait for health: plain has no health check');
  });

  it('refuses a bundle in which no service has a check', () => {
    const r = waitTargets(DB, ['unchecked'], 'healthy');
    expect(r).to.deep.equal({ ok: false, error: { exitCode: 100, message: 'cannot wait for health: no service in unchecked has a health check', hint: HINT } });
  });

  it('an unknown name is exit 3 with a hint, before any health rule', () => {
    const r = waitTargets(DB, ['dbb', 'plain'], 'healthy');
    expect(r.ok ? null : r.error).to.deep.equal({ exitCode: 3, message: "unknown service name 'dbb'", hint: "did you mean 'db'?" });
  });
});
