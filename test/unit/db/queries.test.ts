// db: queries (names by kind, dependencies both ways, pipelines), the graph view and its formats.
import { expect } from 'chai';
import { Db } from '../../../lib/db/db.js';
import { formatGraph, toDot, toMermaid } from '../../../lib/db/graph-format.js';
import { graphView, viewChildren, viewEdges, viewServices } from '../../../lib/db/graph-view.js';
import { dependencies, directConditions, edgeCondition, listNames, pipelineOf } from '../../../lib/db/queries.js';
import type { DbIndex, LongrunService } from '../../../lib/db/types.js';
import { validateDbIndex } from '../../../lib/db/validate.js';
import { sampleIndex } from './sample-index.js';

/** sampleIndex plus a pipeline: app (producer) -> log (consumer, pipeline-name applog). */
function withPipeline(): DbIndex {
  const index = sampleIndex();
  const app = index.services[2] as LongrunService;
  const log: LongrunService = { ...app, index: 3, name: 'log "x"', deps: [], rdeps: [2], producerFor: null, consumerFor: [2], pipelineName: 'applog' };
  app.deps = [1, 3];
  app.producerFor = 3;
  index.services.push(log);
  index.bundles.push({ name: 'applog', members: [2, 3], contents: ['app', 'log "x"'], flags: { essential: false }, source: '/src/log', pipeline: true });
  return index;
}

describe('db: queries', () => {
  const db = new Db(withPipeline(), '/c');
  it('lists names by kind in database order', () => {
    expect(listNames(db, 'oneshots')).to.deep.equal(['init']);
    expect(listNames(db, 'longruns')).to.deep.equal(['db', 'app', 'log "x"']);
    expect(listNames(db, 'all')).to.deep.equal(['init', 'db', 'app', 'log "x"', 'stack', 'applog']);
  });
  it('answers direct and transitive dependencies both ways', () => {
    expect(dependencies(db, [2])).to.deep.equal([1, 3]);
    expect(dependencies(db, [2], { all: true })).to.deep.equal([0, 1, 3]);
    expect(dependencies(db, [0], { reverse: true, all: true })).to.deep.equal([1, 2]);
    expect(dependencies(db, [1, 2])).to.deep.equal([0, 1, 3]);
  });
  it('finds the pipeline from any member', () => {
    const expected = { name: 'applog', members: [2, 3], links: [[2, 3]], last: 3 };
    expect(pipelineOf(db, 2)).to.deep.equal(expected);
    expect(pipelineOf(db, 3)).to.deep.equal(expected);
    expect(pipelineOf(db, 1)).to.equal(undefined);
  });
  it('accepts the consistent index and rejects a cyclic one', () => {
    expect(validateDbIndex(withPipeline())).to.equal(undefined);
    const cyclic = sampleIndex();
    cyclic.services[0]!.deps = [2];
    cyclic.services[2]!.rdeps = [0];
    expect(validateDbIndex(cyclic)).to.match(/cycle/);
  });
});

describe('db: graph view and formats', () => {
  const db = new Db(withPipeline(), '/c');
  it('draws bundles as clusters and leaves other nodes loose', () => {
    const view = graphView(db);
    const top = viewChildren(view);
    expect(top.bundles.map((c) => c.name)).to.deep.equal(['applog', 'stack']);
    expect(top.services.map((s) => s.index)).to.deep.equal([0]);
    expect(viewEdges(view).find((e) => e.from.index === 2 && e.to.index === 3)?.kind).to.equal('pipeline');
  });
  it('nests a bundle only where a contents names it, never because its members are a subset', () => {
    const index = sampleIndex();
    const b = (name: string, members: number[], contents: string[]) => ({ name, members, contents, flags: { essential: false }, source: `/src/${name}`, pipeline: false });
    // backend = {init, db}; maintenance = {db} ⊂ backend but declared by nobody; default names app and backend.
    index.bundles = [b('backend', [0, 1], ['init', 'db']), b('maintenance', [1], ['db']), b('default', [0, 1, 2], ['app', 'backend']), b('stack', [1, 2], ['db', 'app'])];
    const view = graphView(new Db(index, '/c'));
    expect(view.parent('b:maintenance')).to.equal(undefined);
    expect(view.parent('b:backend')).to.equal('b:default');
    expect(view.parent('b:stack')).to.equal(undefined);
    expect(viewChildren(view).bundles.map((c) => c.name)).to.deep.equal(['maintenance', 'stack', 'default']);
    expect(view.parent('s:db')).to.equal('b:maintenance');
    expect(view.parent('s:init')).to.equal('b:backend');
    expect(view.parent('s:app')).to.equal('b:stack');
    expect(toDot(view)).to.match(/label="default";[^}]*subgraph "cluster_\d+" \{\s*label="backend";/);
    expect(toDot(view)).to.match(/label="maintenance"; style=rounded;\s*"db" \[shape=ellipse\];\s*\}/);
  });
  it('restricts to a closure', () => {
    const view = graphView(db, [1]);
    expect(viewServices(view).map((n) => n.name)).to.deep.equal(['init', 'db']);
    expect(viewChildren(view).bundles).to.deep.equal([]);
  });
  it('escapes names in dot and mermaid', () => {
    const view = graphView(db);
    expect(toDot(view)).to.include('"log \\"x\\"" [shape=ellipse]').and.to.include('"app" -> "log \\"x\\"" [style=dashed, label="pipe"]');
    expect(toMermaid(view)).to.include('n3(["log #quot;x#quot;"])').and.to.include('n2 -. pipe .-> n3');
    expect((JSON.parse(formatGraph(view, 'json')) as { nodes: unknown[] }).nodes).to.have.length(4);
  });
});

describe('db: edge conditions (issue 12)', () => {
  /** app waits for db to be started; db waits for init (ready, the default). */
  function withConditions(): DbIndex {
    const index = sampleIndex();
    index.services[2]!.conditions = { '1': 'started' };
    return index;
  }
  const db = new Db(withConditions(), '/c');
  it('answers the condition of each edge, ready by default, and the direct ones of a query both ways', () => {
    expect(edgeCondition(db.service(2), 1)).to.equal('started');
    expect(edgeCondition(db.service(1), 0)).to.equal('ready');
    expect([...directConditions(db, [2])]).to.deep.equal([[1, 'started']]);
    expect([...directConditions(db, [1], true)]).to.deep.equal([[2, 'started']]);
    expect([...directConditions(db, [1])]).to.deep.equal([[0, 'ready']]);
  });
  it('shows non-default conditions in dot, mermaid and JSON, and leaves default edges as they were', () => {
    const view = graphView(db);
    expect(toDot(view)).to.include('"app" -> "db" [style=dotted, label="started"];').and.to.include('"db" -> "init";');
    expect(toMermaid(view)).to.include('n2 -. started .-> n1').and.to.include('n1 --> n0');
    const json = JSON.parse(formatGraph(view, 'json')) as { edges: unknown[] };
    expect(json.edges).to.deep.equal([
      { from: 'db', to: 'init', kind: 'dependency' },
      { from: 'app', to: 'db', kind: 'dependency', condition: 'started' },
    ]);
  });
  it('validates conditions: only dependencies, only started or healthy', () => {
    expect(validateDbIndex(withConditions())).to.equal(undefined);
    const notDep = withConditions();
    notDep.services[2]!.conditions = { '0': 'started' };
    expect(validateDbIndex(notDep)).to.match(/services\[2\]\.conditions: 0 is not one of its dependencies/);
    const word = withConditions();
    (word.services[2]!.conditions as Record<string, string>)['1'] = 'ready';
    expect(validateDbIndex(word)).to.match(/"ready" is not started or healthy/);
  });
});
