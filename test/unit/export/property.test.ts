// Property: over random compiled dbs, the init containers are in a topological order and every edge is kept
// (compose: the right depends_on condition; Kubernetes: the dependency is an init container placed before).
import { expect } from 'chai';
import fc from 'fast-check';
import type { EdgeCondition } from '../../../lib/db/index.js';
import { exportGraph, independentOneshots, selectServices } from '../../../lib/export/index.js';
import { healthCheck, makeDb, tcp, type ServiceSpec } from './build-db.js';
import { compose, kube, pod, svc, type ComposeService } from './helpers.js';

/** Services s0..sN; each depends on a random subset of the ones before it (a DAG). */
const graphOf = (max: number) =>
  fc.integer({ min: 1, max }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, i) =>
      fc.record({
        type: fc.constantFrom<'oneshot' | 'longrun'>('oneshot', 'longrun'),
        deps: fc.subarray(Array.from({ length: i }, (_, k) => `s${k}`)),
        ready: fc.constantFrom<ServiceSpec['ready'] | undefined>(undefined, 'fd', tcp(8000 + i, 'svc')),
        health: fc.boolean(),
        conds: fc.array(fc.constantFrom<EdgeCondition>('ready', 'started', 'healthy'), { minLength: i, maxLength: i }),
      }),
    ),
  ),
);

interface Gen {
  type: 'oneshot' | 'longrun';
  deps: string[];
  ready: ServiceSpec['ready'] | undefined;
  health: boolean;
  conds: EdgeCondition[];
}

const graph = graphOf(9);

const specsOf = (gen: Gen[]): ServiceSpec[] =>
  gen.map((g, i) => ({
    name: `s${i}`,
    type: g.type,
    deps: g.deps,
    conditions: Object.fromEntries(g.deps.map((d) => [d, g.conds[Number(d.slice(1))]!])),
    ...(g.type === 'longrun' && g.ready ? { ready: g.ready } : {}),
    ...(g.type === 'longrun' && g.health ? { health: healthCheck({ kind: 'cmd', argv: ['true'] }) } : {}),
  }));

/** The compose condition the mapping promises for one edge. */
function expectedCondition(dep: ServiceSpec, condition: EdgeCondition): string {
  if (condition === 'started') return 'service_started';
  if (dep.type === 'oneshot') return 'service_completed_successfully';
  if (condition === 'healthy') return dep.ready || dep.health ? 'service_healthy' : 'service_started';
  return dep.ready ? 'service_healthy' : 'service_started';
}

describe('export property: order and edges', function () {
  this.timeout(60_000);

  it('Kubernetes: init containers in a topological order; every dependency placed before its dependent', () => {
    fc.assert(
      fc.property(graph, (gen) => {
        const specs = specsOf(gen);
        const spec = pod(kube(makeDb(specs)).doc);
        const init = (spec.initContainers ?? []).map((c) => c.name);
        const main = spec.containers.map((c) => c.name);
        for (const s of specs) {
          for (const d of s.deps ?? []) {
            // A dependency is always an init container (a oneshot or a sidecar) ...
            expect(init, `${d} (needed by ${s.name}) is an init container`).to.include(d);
            // ... placed before its dependent when that is an init container too.
            if (init.includes(s.name)) expect(init.indexOf(d)).to.be.below(init.indexOf(s.name));
            else expect(main).to.include(s.name);
          }
          const dependents = specs.filter((x) => x.deps?.includes(s.name));
          const sidecar = s.type === 'longrun' && dependents.length > 0;
          const c = [...(spec.initContainers ?? []), ...spec.containers].find((x) => x.name === s.name)!;
          expect(c.restartPolicy === 'Always', `${s.name} is a sidecar`).to.equal(sidecar);
          if (sidecar) {
            // Gated by the strongest condition its dependents ask for.
            const asks = dependents.map((x) => x.conditions?.[s.name] ?? 'ready');
            const gate = asks.includes('healthy') ? 'healthy' : asks.includes('ready') ? 'ready' : 'started';
            const gated = gate === 'started' ? false : gate === 'healthy' && s.health ? true : s.ready !== undefined;
            expect(c.startupProbe !== undefined, `${s.name} startupProbe (${gate})`).to.equal(gated);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('compose: every edge is a depends_on with the condition its dependency calls for, and no other', () => {
    fc.assert(
      fc.property(graph, (gen) => {
        const specs = specsOf(gen);
        const services = compose(makeDb(specs)).doc.services;
        for (const s of specs) {
          const expected = Object.fromEntries(
            (s.deps ?? []).map((d) => [d, { condition: expectedCondition(specs.find((x) => x.name === d)!, s.conditions?.[d] ?? 'ready') }]),
          );
          expect((svc(services, s.name).depends_on as ComposeService['depends_on'] | undefined) ?? {}).to.deep.equal(expected);
          expect(svc(services, s.name).restart).to.equal(s.type === 'oneshot' ? 'no' : 'unless-stopped');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('export property: flattened oneshots', () => {
  it('independentOneshots names exactly the oneshots with another oneshot unreachable both ways (brute force)', () => {
    fc.assert(
      fc.property(graphOf(90), (gen) => {
        const specs = specsOf(gen);
        const db = makeDb(specs);
        const sel = selectServices(db, []);
        if (!sel.ok) throw new Error(sel.error.message);
        const got = independentOneshots(exportGraph(db, sel.value, (names) => new Map(names.map((n) => [n, n]))));
        // Ancestors by plain sets, in index order (every dependency comes earlier).
        const anc = new Map<string, Set<string>>();
        for (const x of specs) anc.set(x.name, new Set((x.deps ?? []).flatMap((d) => [d, ...anc.get(d)!])));
        const reach = (from: string, to: string): boolean => anc.get(from)!.has(to);
        const oneshots = specs.filter((x) => x.type === 'oneshot').map((x) => x.name);
        const expected = oneshots.filter((a) => oneshots.some((b) => b !== a && !reach(a, b) && !reach(b, a)));
        expect([...got].sort()).to.deep.equal([...expected].sort());
      }),
      { numRuns: 100 },
    );
  });
});
