// renderUpdate: what differs, then the waves under each db with reasons; JSON for tools.
import { expect } from 'chai';
import type { UpdateResultData } from '../../../lib/daemon/types.js';
import { plan } from '../../../lib/plan/index.js';
import { renderUpdate, updateToJson } from '../../../lib/render/index.js';
import { graphOf } from '../plan/graph-fixture.js';

function data(): UpdateResultData {
  const g = graphOf([{ name: 'a' }, { name: 'b' }]);
  const stop = plan(g, { up: new Set([0, 1]) }, { kind: 'down', targets: [0, 1] });
  const start = plan(g, { up: new Set() }, { kind: 'up', targets: [1] });
  if (!stop.ok || !start.ok) throw new Error('plan');
  stop.value.steps[0]!.reason = { kind: 'removed' };
  stop.value.steps[1]!.reason = { kind: 'changed', fields: ['files: run', 'timeoutUp'] };
  start.value.steps[0]!.reason = { kind: 'changed', fields: ['files: run', 'timeoutUp'] };
  return {
    db: '/etc/rc/c2', removed: ['a'], changed: [{ name: 'b', from: 'b', fields: ['files: run', 'timeoutUp'] }], renamed: [{ from: 'x', name: 'y' }],
    unchanged: 3, added: ['d'], stop: stop.value, start: start.value, summaries: [], switched: false, diagnostics: [], notes: ['a note'],
  };
}

describe('render/update-text', () => {
  it('text: the differences, then each phase\'s waves with reasons', () => {
    expect(renderUpdate(data(), 'text').split('\n')).to.deep.equal([
      'update to /etc/rc/c2:',
      '  removed    a',
      '  changed    b (files: run, timeoutUp)',
      '  renamed    x -> y (unchanged: kept running)',
      '  added      d',
      '  unchanged  3 services',
      'under the database in use:',
      'stop wave 1:',
      '  stop    a  longrun  removed from the new db',
      '  stop    b  longrun  changed: files: run, timeoutUp',
      'under the new database:',
      'start wave 1:',
      '  start   b  longrun  changed: files: run, timeoutUp',
      'note: a note',
    ]);
  });

  it('json: the plans as PlanJson, reasons as words and as data', () => {
    const j = updateToJson(data());
    expect(j.type).to.equal('update');
    expect(j).not.to.have.property('summaries');
    expect(j.stop.waves[0]!.steps.map((s) => [s.name, s.reason, s.why.kind])).to.deep.equal([['a', 'removed from the new db', 'removed'], ['b', 'changed: files: run, timeoutUp', 'changed']]);
  });
});
