// rc export of health checks (health-tcp/-http/-cmd) and per-edge conditions (dependencies.d/NAME: ready|started|healthy).
import { expect } from 'chai';
import { healthCheck, makeDb, tcp } from './build-db.js';
import { compose, container, kube, svc, warnings } from './helpers.js';

describe('export: health checks and per-edge conditions', () => {
  it('compose: a health check makes the healthcheck `rc probe --health`, with its timing; restart-on-unhealthy is a warning', () => {
    const db = makeDb([{ name: 'db', type: 'longrun', ready: tcp(5432), timeoutUp: 10_000, health: healthCheck({ kind: 'cmd', argv: ['pg_isready'] }) }]);
    const c = compose(db);
    expect(svc(c.doc.services, 'db').healthcheck).to.deep.equal({
      test: ['CMD', 'rc', 'probe', '--health', 'db'],
      interval: '5s',
      timeout: '2s',
      retries: 4,
      start_period: '20s',
    });
    expect(warnings(c.diagnostics).join('\n')).to.match(/\/src\/db: db: docker compose does not restart an unhealthy container/);
    const reported = compose(makeDb([{ name: 'db', type: 'longrun', health: healthCheck({ kind: 'tcp', host: '127.0.0.1', port: 5432 }, 'none') }]));
    expect(warnings(reported.diagnostics).join('\n')).to.not.match(/does not restart/);
  });

  it('compose: per-edge conditions: started → service_started, healthy → service_healthy, ready as before', () => {
    const db = makeDb([
      { name: 'db', type: 'longrun', ready: tcp(5432), health: healthCheck({ kind: 'cmd', argv: ['pg_isready'] }) },
      { name: 'cache', type: 'longrun', health: healthCheck({ kind: 'cmd', argv: ['ping'] }) },
      { name: 'init', type: 'oneshot' },
      { name: 'app', type: 'longrun', deps: ['db', 'cache', 'init'], conditions: { db: 'started', cache: 'healthy', init: 'started' } },
      { name: 'web', type: 'longrun', deps: ['db', 'cache'] },
    ]);
    const services = compose(db).doc.services;
    expect(svc(services, 'app').depends_on).to.deep.equal({
      db: { condition: 'service_started' },
      cache: { condition: 'service_healthy' },
      init: { condition: 'service_started' },
    });
    // `ready` (the default) on a service without readiness is `started`, even with a health check.
    expect(svc(services, 'web').depends_on).to.deep.equal({ db: { condition: 'service_healthy' }, cache: { condition: 'service_started' } });
  });

  it('Kubernetes: a health check is a livenessProbe (action restart) or a readinessProbe (action none)', () => {
    const db = makeDb([
      { name: 'api', type: 'longrun', health: healthCheck({ kind: 'http', url: 'http://10.0.0.1:8080/live' }) },
      { name: 'worker', type: 'longrun', health: healthCheck({ kind: 'cmd', argv: ['check'] }, 'none') },
    ]);
    const k = kube(db).doc;
    expect(container(k, 'api').livenessProbe).to.deep.equal({
      httpGet: { path: '/live', port: 8080, scheme: 'HTTP', host: '10.0.0.1' },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 4,
    });
    expect(container(k, 'api')).to.not.have.property('startupProbe');
    expect(container(k, 'worker').readinessProbe.exec.command).to.deep.equal(['rc', 'probe', '--health', 'worker']);
    expect(container(k, 'worker')).to.not.have.property('livenessProbe');
  });

  it("Kubernetes: a sidecar's startup probe follows what its dependents wait for; mixed conditions are a warning", () => {
    const started = kube(makeDb([{ name: 'db', type: 'longrun', ready: tcp(5432, 'db') }, { name: 'app', type: 'longrun', deps: ['db'], conditions: { db: 'started' } }]));
    expect(container(started.doc, 'db')).to.not.have.property('startupProbe');
    const healthy = kube(
      makeDb([
        { name: 'db', type: 'longrun', ready: tcp(5432, 'db'), health: healthCheck({ kind: 'cmd', argv: ['pg_isready'] }) },
        { name: 'app', type: 'longrun', deps: ['db'], conditions: { db: 'healthy' } },
        { name: 'seed', type: 'oneshot', deps: ['db'] },
      ]),
    );
    expect(container(healthy.doc, 'db').startupProbe.exec.command).to.deep.equal(['rc', 'probe', '--health', 'db']);
    expect(container(healthy.doc, 'db').livenessProbe.exec.command).to.deep.equal(['rc', 'probe', '--health', 'db']);
    expect(warnings(healthy.diagnostics).join('\n')).to.match(/\/src\/db: db: its dependents wait for different conditions \(app \(healthy\), seed \(ready\)\), .* all wait for healthy/);
  });
});
