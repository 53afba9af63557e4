// rc export: one test per row of the mapping table (docs/export.md), each output validated (compose schema, kubernetes-models).
import { expect } from 'chai';
import { cmd, http, log, makeDb, tcp } from './build-db.js';
import { compose, container, initNames, kube, mainNames, pod, svc } from './helpers.js';

describe('export mapping', () => {
  it('oneshot: restart "no", dependents wait for service_completed_successfully; a regular init container in topological order', () => {
    const db = makeDb([
      { name: 'app', type: 'longrun', deps: ['migrate'] },
      { name: 'migrate', type: 'oneshot', deps: ['prepare'] },
      { name: 'prepare', type: 'oneshot' },
    ]);
    const c = compose(db).doc.services;
    expect(svc(c, 'migrate').restart).to.equal('no');
    expect(svc(c, 'migrate').entrypoint).to.deep.equal(['rc', 'run', 'migrate']);
    expect(svc(c, 'app').depends_on).to.deep.equal({ migrate: { condition: 'service_completed_successfully' } });
    expect(svc(c, 'migrate').depends_on).to.deep.equal({ prepare: { condition: 'service_completed_successfully' } });
    const k = kube(db).doc;
    expect(initNames(k)).to.deep.equal(['prepare', 'migrate']);
    expect(container(k, 'migrate')).to.not.have.property('restartPolicy');
    expect(container(k, 'migrate').command).to.deep.equal(['rc', 'run', 'migrate']);
  });

  it('a longrun something depends on: unless-stopped; a native sidecar (init container, restartPolicy Always)', () => {
    const db = makeDb([
      { name: 'db', type: 'longrun', ready: tcp(5432) },
      { name: 'app', type: 'longrun', deps: ['db'] },
    ]);
    expect(svc(compose(db).doc.services, 'db').restart).to.equal('unless-stopped');
    const k = kube(db).doc;
    expect(initNames(k)).to.deep.equal(['db']);
    expect(container(k, 'db').restartPolicy).to.equal('Always');
    expect(container(k, 'db').startupProbe.tcpSocket).to.deep.equal({ port: 5432 });
    expect(mainNames(k)).to.deep.equal(['app']);
  });

  it('a longrun nothing depends on: unless-stopped; a regular container', () => {
    const db = makeDb([{ name: 'web', type: 'longrun' }]);
    expect(svc(compose(db).doc.services, 'web').restart).to.equal('unless-stopped');
    const k = kube(db).doc;
    expect(mainNames(k)).to.deep.equal(['web']);
    expect(pod(k)).to.not.have.property('initContainers');
    expect(container(k, 'web')).to.not.have.property('restartPolicy');
  });

  it('ready-tcp / ready-http: healthcheck running rc probe, dependents service_healthy; tcpSocket / httpGet startup and readiness probes', () => {
    const db = makeDb([
      { name: 'db', type: 'longrun', ready: tcp(5432, 'db.local') },
      { name: 'api', type: 'longrun', deps: ['db'], ready: http('http://127.0.0.1:8080/health?deep=1') },
      { name: 'web', type: 'longrun', deps: ['api'] },
    ]);
    const c = compose(db).doc.services;
    expect(svc(c, 'db').healthcheck.test).to.deep.equal(['CMD', 'rc', 'probe', 'db']);
    expect(svc(c, 'api').healthcheck.interval).to.equal('2s');
    expect(svc(c, 'api').depends_on).to.deep.equal({ db: { condition: 'service_healthy' } });
    expect(svc(c, 'web').depends_on).to.deep.equal({ api: { condition: 'service_healthy' } });
    const k = kube(db).doc;
    expect(container(k, 'db').startupProbe.tcpSocket).to.deep.equal({ port: 5432, host: 'db.local' });
    expect(container(k, 'api').startupProbe.httpGet).to.deep.equal({ path: '/health?deep=1', port: 8080, scheme: 'HTTP' });
    expect(container(k, 'api').startupProbe.periodSeconds).to.equal(2);
    // A sidecar gates what follows with its startup probe; a regular container also gets a readiness probe.
    expect(container(k, 'api')).to.not.have.property('readinessProbe');
    const solo = kube(makeDb([{ name: 'api', type: 'longrun', ready: http('https://127.0.0.1/h') }])).doc;
    expect(container(solo, 'api').readinessProbe.httpGet).to.deep.equal({ path: '/h', port: 443, scheme: 'HTTPS' });
  });

  it('ready-cmd, notification-fd and ready-log: healthcheck and exec probe with rc probe', () => {
    const db = makeDb([
      { name: 'store', type: 'longrun', ready: 'fd' },
      { name: 'queue', type: 'longrun', ready: cmd('check-queue') },
      { name: 'search', type: 'longrun', ready: log('started in \\d+ ms') },
      { name: 'app', type: 'longrun', deps: ['store', 'queue', 'search'] },
    ]);
    const c = compose(db).doc.services;
    expect(svc(c, 'store').healthcheck.test).to.deep.equal(['CMD', 'rc', 'probe', 'store']);
    expect(svc(c, 'queue').healthcheck.interval).to.equal('500ms');
    expect(svc(c, 'search').healthcheck.test).to.deep.equal(['CMD', 'rc', 'probe', 'search']);
    expect(svc(c, 'app').depends_on).to.deep.equal({ store: { condition: 'service_healthy' }, queue: { condition: 'service_healthy' }, search: { condition: 'service_healthy' } });
    const k = kube(db).doc;
    expect(container(k, 'store').startupProbe.exec.command).to.deep.equal(['rc', 'probe', 'store']);
    expect(container(k, 'queue').startupProbe.exec.command).to.deep.equal(['rc', 'probe', 'queue']);
    expect(container(k, 'search').startupProbe.exec.command).to.deep.equal(['rc', 'probe', 'search']);
  });

  it('no readiness: dependents use service_started; a sidecar without a startupProbe', () => {
    const db = makeDb([
      { name: 'cache', type: 'longrun' },
      { name: 'app', type: 'longrun', deps: ['cache'] },
    ]);
    const c = compose(db).doc.services;
    expect(svc(c, 'app').depends_on).to.deep.equal({ cache: { condition: 'service_started' } });
    expect(svc(c, 'cache')).to.not.have.property('healthcheck');
    const k = kube(db).doc;
    expect(container(k, 'cache').restartPolicy).to.equal('Always');
    expect(container(k, 'cache')).to.not.have.property('startupProbe');
  });

  it('timeout-kill and down-signal: stop_grace_period and stop_signal; the largest grace period, a preStop for a non-TERM signal', () => {
    const db = makeDb([
      { name: 'pg', type: 'longrun', timeoutKill: 30_000, downSignal: 'SIGINT' },
      { name: 'web', type: 'longrun', timeoutKill: 1500 },
    ]);
    const c = compose(db).doc.services;
    expect(svc(c, 'pg').stop_grace_period).to.equal('30s');
    expect(svc(c, 'pg').stop_signal).to.equal('SIGINT');
    expect(svc(c, 'web').stop_grace_period).to.equal('1500ms');
    expect(svc(c, 'web')).to.not.have.property('stop_signal');
    const k = kube(db).doc;
    expect(pod(k).terminationGracePeriodSeconds).to.equal(30);
    expect(container(k, 'pg').lifecycle.preStop.exec.command).to.deep.equal(['sh', '-c', 'kill -s INT 1']);
    expect(container(k, 'web')).to.not.have.property('lifecycle');
  });

  it('timeout-up: healthcheck start_period; startup probe failureThreshold × periodSeconds covers it', () => {
    const db = makeDb([{ name: 'api', type: 'longrun', ready: http('http://127.0.0.1:80/'), timeoutUp: 25_000 }]);
    expect(svc(compose(db).doc.services, 'api').healthcheck.start_period).to.equal('25s');
    const probe = container(kube(db).doc, 'api').startupProbe;
    expect(probe.failureThreshold * probe.periodSeconds).to.be.at.least(25);
    expect((probe.failureThreshold - 1) * probe.periodSeconds).to.be.below(25);
  });

  it('bundles: a further target bundle is a compose profile (its own services only); Kubernetes has none', () => {
    const db = makeDb(
      [
        { name: 'db', type: 'longrun' },
        { name: 'app', type: 'longrun', deps: ['db'] },
        { name: 'admin', type: 'longrun', deps: ['db'] },
      ],
      [
        { name: 'default', members: ['app'] },
        { name: 'tools', members: ['admin'] },
        { name: 'bad name', members: ['admin'] },
      ],
    );
    const c = compose(db, ['default', 'tools']).doc.services;
    expect(svc(c, 'admin').profiles).to.deep.equal(['tools']);
    expect(svc(c, 'db')).to.not.have.property('profiles');
    expect(svc(c, 'app')).to.not.have.property('profiles');
    const bad = compose(db, ['default', 'bad name']);
    expect(svc(bad.doc.services, 'admin')).to.not.have.property('profiles');
    expect(bad.diagnostics.map((d) => d.message).join('\n')).to.match(/bundle bad name cannot be a compose profile/);
    expect(JSON.stringify(kube(db, ['default', 'tools']).doc)).to.not.match(/profile/);
  });
});
