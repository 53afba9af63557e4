// rc export: what cannot map is one located warning per item; --strict turns them into errors; selection and names.
import { expect } from 'chai';
import { ExitCode } from '../../../lib/core/index.js';
import { exportDb, strictly } from '../../../lib/export/index.js';
import { composeErrors, validateDeployment } from '../../helpers/export-validate.js';
import { makeDb, tcp } from './build-db.js';
import { compose, container, initNames, kube, mainNames, svc, warnings } from './helpers.js';

describe('export warnings and selection', () => {
  it("a oneshot's down script: a warning at the oneshot's source, in both formats", () => {
    const db = makeDb([{ name: 'init', type: 'oneshot', down: true }, { name: 'plain', type: 'oneshot' }]);
    for (const r of [compose(db), kube(db)]) {
      const w = warnings(r.diagnostics).filter((m) => m.includes('down script'));
      expect(w).to.have.length(1);
      expect(w[0]!).to.match(/^\/src\/init: oneshot init: its down script is not exported/);
    }
  });

  it('a log consumer is dropped, its producer kept, and edges through it are kept', () => {
    const db = makeDb([
      { name: 'base', type: 'oneshot' },
      { name: 'app-log', type: 'longrun', consumerFor: ['app'], deps: ['base'] },
      { name: 'app', type: 'longrun', deps: ['app-log'] },
    ]);
    const c = compose(db);
    expect(Object.keys(c.doc.services).sort()).to.deep.equal(['app', 'base']);
    expect(svc(c.doc.services, 'app').depends_on).to.deep.equal({ base: { condition: 'service_completed_successfully' } });
    expect(warnings(c.diagnostics).join('\n')).to.match(/\/src\/app-log: log consumer app-log is dropped: the output of app is left to the engine's logging \(docker compose logs\)/);
    const k = kube(db);
    expect([...initNames(k.doc), ...mainNames(k.doc)]).to.deep.equal(['base', 'app']);
    expect(warnings(k.diagnostics).join('\n')).to.match(/kubectl logs/);
  });

  it('runtime bundle switching and shutdown order: one warning each, at the db', () => {
    const db = makeDb(
      [{ name: 'db', type: 'longrun' }, { name: 'app', type: 'longrun', deps: ['db'] }],
      [{ name: 'default', members: ['app'] }, { name: 'maintenance', members: ['db'] }],
    );
    const w = warnings(compose(db).diagnostics);
    expect(w.filter((m) => m.startsWith('/compiled/db.json: runtime bundle switching'))).to.have.length(1);
    expect(w.join('\n')).to.match(/bundles maintenance are gone/);
    expect(w.filter((m) => m.includes('shutdown order across containers'))).to.have.length(1);
    expect(warnings(kube(db).diagnostics).join('\n')).to.match(/its sidecars \(db\) in reverse order/);
  });

  it('Kubernetes: parallel oneshots are flattened into one sequence, and it says so', () => {
    const db = makeDb([
      { name: 'a', type: 'oneshot' },
      { name: 'b', type: 'oneshot' },
      { name: 'c', type: 'oneshot', deps: ['a', 'b'] },
      { name: 'web', type: 'longrun', deps: ['c'] },
    ]);
    const k = kube(db);
    expect(initNames(k.doc)).to.deep.equal(['a', 'b', 'c']);
    const w = warnings(k.diagnostics).filter((m) => m.includes('one after the other'));
    expect(w).to.have.length(1);
    expect(w[0]!).to.match(/oneshots a, b do not depend on each other/);
    const chain = makeDb([{ name: 'a', type: 'oneshot' }, { name: 'b', type: 'oneshot', deps: ['a'] }]);
    expect(warnings(kube(chain).diagnostics).join('\n')).to.not.match(/one after the other/);
  });

  it("Kubernetes: a loopback probe warns (the kubelet probes the Pod's IP); only sidecars means an idle main container", () => {
    const db = makeDb([{ name: 'db', type: 'longrun', ready: tcp(5432) }, { name: 'seed', type: 'oneshot', deps: ['db'] }]);
    const k = kube(db);
    expect(warnings(k.diagnostics).join('\n')).to.match(/\/src\/db: db: the kubelet probes the Pod's IP, not 127\.0\.0\.1/);
    expect(mainNames(k.doc)).to.deep.equal(['rc-idle']);
    expect(container(k.doc, 'rc-idle').command[0]).to.equal('sh');
  });

  it('--strict: every warning becomes an error; info lines (renames) stay info', () => {
    const db = makeDb([{ name: 'Init_DB', type: 'oneshot', down: true }]);
    const r = exportDb(db, { format: 'kubernetes', image: 'x', targets: [], name: 't', imageCompiled: '/etc/rc/compiled' });
    if (!r.ok) throw new Error(r.error.message);
    const strict = strictly(r.value.diagnostics);
    expect(strict.filter((d) => d.severity === 'error')).to.have.length(1);
    expect(strict.filter((d) => d.severity === 'info').map((d) => d.message)).to.deep.equal(['Init_DB is named init-db in the export (the engine\'s naming rules)']);
  });

  it('selection: the bundle default, else everything; an unknown target is exit 3 with a hint', () => {
    const withDefault = makeDb([{ name: 'a', type: 'longrun' }, { name: 'b', type: 'longrun' }], [{ name: 'default', members: ['a'] }]);
    expect(Object.keys(compose(withDefault).doc.services)).to.deep.equal(['a']);
    expect(Object.keys(compose(withDefault, ['b']).doc.services)).to.deep.equal(['b']);
    const without = makeDb([{ name: 'a', type: 'longrun' }, { name: 'b', type: 'longrun' }]);
    expect(Object.keys(compose(without).doc.services)).to.deep.equal(['a', 'b']);
    const r = exportDb(withDefault, { format: 'compose', image: 'x', targets: ['bb'], name: 't', imageCompiled: '/etc/rc/compiled' });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error).to.deep.equal({ code: ExitCode.unknownName, message: 'unknown service name bb', hint: 'did you mean `b`?' });
  });

  it('names: Kubernetes container names are DNS-1123 labels, unique; rc run keeps the rc name', () => {
    const db = makeDb([{ name: 'Web_App', type: 'longrun' }, { name: 'web-app', type: 'longrun' }, { name: '_x', type: 'longrun' }]);
    const k = kube(db).doc;
    expect(mainNames(k)).to.deep.equal(['web-app', 'web-app-2', 'x']);
    expect(container(k, 'web-app').command).to.deep.equal(['rc', 'run', 'Web_App']);
  });

  it('the validators reject what the engines reject', () => {
    expect(composeErrors({ services: { a: { restart: 5 } } })).to.not.deep.equal([]);
    expect(composeErrors({ services: { a: { depends_on: { b: { condition: 'service_ready' } } } } })).to.not.deep.equal([]);
    expect(composeErrors({ name: 'x', services: { 'bad name': {} } })).to.not.deep.equal([]);
    expect(() => validateDeployment({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: {} } })).to.throw(/selector/);
  });
});
