// plan: properties over random DAGs (every edge respected, exactly the target state reached).
import { expect } from 'chai';
import fc from 'fast-check';
import type { ServiceDriver, TransitionResult } from '../../../lib/engine/driver.js';
import { executePlan } from '../../../lib/engine/execute.js';
import { plan } from '../../../lib/plan/plan.js';
import { reach } from '../../../lib/plan/select.js';
import type { Plan, PlanGraph, PlanKind, PlanRequest } from '../../../lib/plan/types.js';
import { graphFromDeps } from './graph-fixture.js';

interface Case {
  graph: PlanGraph;
  up: Set<number>;
  request: PlanRequest;
  force: boolean;
  /** Services whose first transition fails. */
  failing: Set<number>;
}

/** A random DAG (deps point to lower indices), a dependency-closed up set, and a request. */
const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc
    .record({
      deps: fc.tuple(...Array.from({ length: n }, (_, i) => fc.uniqueArray(fc.nat({ max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 3 }))),
      types: fc.array(fc.constantFrom<'oneshot' | 'longrun'>('oneshot', 'longrun'), { minLength: n, maxLength: n }),
      essential: fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((a) => a.map((e, i) => e && i % 4 === 0)),
      up: fc.uniqueArray(fc.nat({ max: n - 1 })),
      targets: fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 4 }),
      kind: fc.constantFrom<PlanKind>('up', 'down', 'change', 'restart'),
      deps2: fc.boolean(),
      force: fc.boolean(),
      failing: fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 2 }),
    })
    .map((r) => {
      const graph = graphFromDeps(r.deps, r.types, r.essential);
      const up = new Set(reach(graph, r.up, 'deps').keys());
      return { graph, up, request: { kind: r.kind, targets: r.targets, deps: r.deps2 }, force: r.force, failing: new Set(r.failing) };
    }),
);

function mustPlan(c: Case): Plan {
  const r = plan(c.graph, { up: c.up }, c.request, { force: c.force });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** What should be up after the change, computed independently of the planner. */
function expectedUp(c: Case): Set<number> {
  const { graph, up, request } = c;
  const closure = (roots: Iterable<number>, dir: 'deps' | 'rdeps') => new Set(reach(graph, roots, dir).keys());
  const keepFrom = (stopping: Set<number>): Set<number> => {
    if (c.force) return new Set();
    const essentials = [...stopping].filter((i) => graph.services[i]!.flags.essential);
    return new Set(reach(graph, essentials, 'deps', (i) => stopping.has(i)).keys());
  };
  const minus = (a: Set<number>, b: Set<number>) => new Set([...a].filter((x) => !b.has(x)));
  switch (request.kind) {
    case 'up':
      return new Set([...up, ...closure(request.targets, 'deps')]);
    case 'down': {
      const stopping = new Set([...closure(request.targets, 'rdeps')].filter((i) => up.has(i)));
      return minus(up, minus(stopping, keepFrom(stopping)));
    }
    case 'change': {
      const wanted = closure(request.targets, 'deps');
      return new Set([...wanted, ...keepFrom(minus(up, wanted))]);
    }
    case 'restart':
      return new Set([...up, ...closure(request.targets.filter((t) => !up.has(t)), 'deps')]);
  }
}

/** A restart without --deps restarts its targets in place, under their up dependents. */
const inPlace = (c: Case): boolean => c.request.kind === 'restart' && c.request.deps !== true;

describe('plan (property, random DAGs)', () => {
  it('every step waits for its neighbours in the plan, in both directions', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const p = mustPlan(c);
        const stopStep = new Map(p.steps.filter((s) => s.phase === 'stop').map((s) => [s.index, s.id]));
        const startStep = new Map(p.steps.filter((s) => s.phase === 'start').map((s) => [s.index, s.id]));
        for (const s of p.steps) {
          const svc = c.graph.services[s.index]!;
          if (s.phase === 'start') {
            // a service starts only after all its deps are started, or are up and stay up
            for (const d of svc.deps) {
              if (startStep.has(d)) expect(s.after).to.include(startStep.get(d));
              else expect(c.up.has(d) && !stopStep.has(d), `dep ${d} of ${s.index} is up`).to.equal(true);
            }
          } else {
            // a service stops only after all its up dependents are stopped
            for (const r of svc.rdeps) {
              if (!c.up.has(r)) continue;
              if (stopStep.has(r)) expect(s.after).to.include(stopStep.get(r));
              else expect(inPlace(c), `rdep ${r} of ${s.index} stays up`).to.equal(true);
            }
          }
          for (const a of s.after) expect(p.steps[a]!.wave).to.be.lessThan(s.wave);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('executing the plan respects every edge and reaches exactly the target state; failures keep the recorded state exact', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.scheduler(), fc.boolean(), fc.nat({ max: 3 }), async (c, s, withFailures, jobs) => {
        const p = mustPlan(c);
        const live = new Set(c.up); // the driver's truth
        const recorded = new Set(c.up); // what the engine reported through onStateChange
        const calls = new Set<number>();
        const services = c.graph.services;
        const transition = (action: 'start' | 'stop' | 'restart', i: number): Promise<TransitionResult> => {
          if (action !== 'stop') for (const d of services[i]!.deps) expect(live.has(d), `start ${i}: dep ${d} up`).to.equal(true);
          if (action === 'stop' && !inPlace(c)) for (const r of services[i]!.rdeps) expect(live.has(r), `stop ${i}: rdep ${r} down`).to.equal(false);
          const fails = withFailures && c.failing.has(i) && !calls.has(i);
          calls.add(i);
          return s.schedule(Promise.resolve(fails ? ({ ok: false, reason: 'exit-code', exitCode: 1, message: 'x' } as const) : ({ ok: true } as const))).then((r) => {
            if (r.ok && action === 'stop') live.delete(i);
            else if (r.ok) live.add(i);
            return r;
          });
        };
        const driver: ServiceDriver = { start: (i) => transition('start', i), stop: (i) => transition('stop', i), restart: (i) => transition('restart', i) };
        const summary = await s.waitFor(
          executePlan(p, driver, { jobs, timeouts: () => 0, onEvent: () => {}, onStateChange: (i, isUp) => (isUp ? recorded.add(i) : recorded.delete(i)) }),
        );
        expect([...recorded].sort()).to.deep.equal([...live].sort());
        if (!withFailures || c.failing.size === 0) {
          expect(summary.ok).to.equal(true);
          expect([...live].sort()).to.deep.equal([...expectedUp(c)].sort());
        }
        if (!inPlace(c)) {
          for (const i of live) for (const d of services[i]!.deps) expect(live.has(d), `${i} up without ${d}`).to.equal(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
