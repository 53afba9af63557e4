// Property: over random compiled dbs, the init containers are in a topological order and every edge is kept
// (compose: the right depends_on condition; Kubernetes: the dependency is an init container placed before).
import { expect } from 'chai';
import fc from 'fast-check';
import { makeDb, tcp, type ServiceSpec } from './build-db.js';
import { compose, kube, pod, svc, type ComposeService } from './helpers.js';

/** Services s0..sN; each depends on a random subset of the ones before it (a DAG). */
const graph = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, i) =>
      fc.record({
        type: fc.constantFrom<'oneshot' | 'longrun'>('oneshot', 'longrun'),
        deps: fc.subarray(Array.from({ length: i }, (_, k) => `s${k}`)),
        ready: fc.constantFrom<ServiceSpec['ready'] | undefined>(undefined, 'fd', tcp(8000 + i, 'svc')),
      }),
    ),
  ),
);

const specsOf = (gen: { type: 'oneshot' | 'longrun'; deps: string[]; ready: ServiceSpec['ready'] | undefined }[]): ServiceSpec[] =>
  gen.map((g, i) => ({ name: `s${i}`, type: g.type, deps: g.deps, ...(g.type === 'longrun' && g.ready ? { ready: g.ready } : {}) }));

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
          const sidecar = s.type === 'longrun' && specs.some((x) => x.deps?.includes(s.name));
          const c = [...(spec.initContainers ?? []), ...spec.containers].find((x) => x.name === s.name)!;
          expect(c.restartPolicy === 'Always', `${s.name} is a sidecar`).to.equal(sidecar);
          if (sidecar) expect(c.startupProbe !== undefined, `${s.name} startupProbe`).to.equal(s.ready !== undefined);
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
            (s.deps ?? []).map((d) => {
              const dep = specs.find((x) => x.name === d)!;
              const condition = dep.type === 'oneshot' ? 'service_completed_successfully' : dep.ready ? 'service_healthy' : 'service_started';
              return [d, { condition }];
            }),
          );
          expect((svc(services, s.name).depends_on as ComposeService['depends_on'] | undefined) ?? {}).to.deep.equal(expected);
          expect(svc(services, s.name).restart).to.equal(s.type === 'oneshot' ? 'no' : 'unless-stopped');
        }
      }),
      { numRuns: 150 },
    );
  });
});
