// /metrics: one prom-client registry per daemon (no global state): service gauges read at scrape time, counters and histograms fed by the events.
//
// Series of services that an `rc update` removed, renamed or retyped go away at the next scrape:
// the per-service gauges and counters are rebuilt from the status rows at every scrape, and the
// oneshot histograms (fed by events) drop the series of services the db served now lacks.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DaemonEvent } from '../daemon/events.js';
import type { StatusRow } from '../daemon/types.js';

/** What the metrics read from the daemon. */
export interface MetricsSource {
  /** Every service's status row, now. */
  rows(): StatusRow[];
  /** The type of a service by name (oneshot / longrun), or undefined when the db no longer has it. */
  typeOf(name: string): string | undefined;
  /** Whether the service has a health check (health-cmd / -http / -tcp). */
  hasHealthCheck(name: string): boolean;
}

export interface DaemonMetrics {
  readonly registry: Registry;
  /** Feed one daemon event (deaths, transition durations). */
  observe(e: DaemonEvent): void;
  /** The text format, as served at /metrics. */
  text(): Promise<string>;
}

const LABELS = ['service', 'type'] as const;
/** Transitions run from milliseconds (a oneshot) to minutes (a slow readiness). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

function serviceGauges(registry: Registry, src: MetricsSource): void {
  new Gauge({
    name: 'rc_service_up',
    help: 'Whether rc records the service as up (1) or down (0).',
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.rows()) this.set({ service: r.name, type: r.type }, r.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'rc_service_ready',
    help: 'Whether a longrun with readiness reporting is ready (1) or not (0); absent for services without readiness.',
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.rows()) if (r.ready !== null) this.set({ service: r.name, type: r.type }, r.ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'rc_service_healthy',
    help: 'For services with a health check: 1 when the current run is healthy, 0 otherwise (starting, unhealthy, or not running).',
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.rows()) if (src.hasHealthCheck(r.name)) this.set({ service: r.name, type: r.type }, r.health === 'healthy' ? 1 : 0);
    },
  });
  new Counter({
    name: 'rc_service_restarts_total',
    help: 'Times the supervisor restarted the longrun\'s run after it exited.',
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.rows()) if (r.type === 'longrun') this.inc({ service: r.name, type: r.type }, r.restarts);
    },
  });
}

/** A registry for one daemon; `processMetrics` adds the daemon's own process_* and nodejs_* metrics. */
export function createMetrics(source: MetricsSource, processMetrics: boolean): DaemonMetrics {
  const registry = new Registry();
  // One status read per scrape, shared by every collector (not one per metric).
  let rows: StatusRow[] | null = null;
  const src: MetricsSource = { ...source, rows: () => (rows ??= source.rows()) };
  serviceGauges(registry, src);
  // Deaths by longrun, kept here and written out at each scrape for the longruns the db has now.
  const deathCounts = new Map<string, number>();
  new Counter({
    name: 'rc_service_deaths_total',
    help: 'Exits of the longrun\'s run that rc did not ask for (crashes and unexpected exits).',
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const name of deathCounts.keys()) if (src.typeOf(name) !== 'longrun') deathCounts.delete(name);
      for (const r of src.rows()) if (r.type === 'longrun') this.inc({ service: r.name, type: r.type }, deathCounts.get(r.name) ?? 0);
    },
  });
  const transitions = new Histogram({
    name: 'rc_transition_duration_seconds',
    help: 'How long service transitions took, by action (start, stop, restart), type and outcome.',
    labelNames: ['action', 'type', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const oneshots = new Histogram({
    name: 'rc_oneshot_duration_seconds',
    help: 'How long a oneshot\'s up or down script ran, by service and action.',
    labelNames: ['service', 'action', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const stale = new StaleSeries(source);
  const observe = (e: DaemonEvent): void => {
    if (e.type === 'exited' && !e.expected) return void deathCounts.set(e.service, (deathCounts.get(e.service) ?? 0) + 1);
    if (e.type !== 'service-started' && e.type !== 'service-stopped' && e.type !== 'service-failed') return;
    const type = src.typeOf(e.name) ?? 'unknown';
    const outcome = e.type === 'service-failed' ? 'failed' : 'ok';
    const seconds = e.durationMs / 1000;
    transitions.observe({ action: e.action, type, outcome }, seconds);
    if (type !== 'oneshot') return;
    const labels = { service: e.name, action: e.action, outcome };
    stale.track(e.name, 'oneshot', `oneshot ${e.action} ${outcome}`, () => oneshots.remove(labels));
    oneshots.observe(labels, seconds);
  };
  const text = async (): Promise<string> => {
    rows = null;
    stale.prune();
    try {
      return await registry.metrics();
    } finally {
      rows = null;
    }
  };
  return { registry, observe, text };
}

/** The event-fed series of each service, with how to remove them; pruned when the db no longer has the service with the type they were made for. */
class StaleSeries {
  /** By service name: the type its series were made for, and one remover per series (by metric and label set). */
  private readonly series = new Map<string, { type: string; removers: Map<string, () => void> }>();

  constructor(private readonly source: Pick<MetricsSource, 'typeOf'>) {}

  /** Remember the series `key` (a metric and its labels) of `service`, made while it was a `type`; `remove` drops it. */
  track(service: string, type: string, key: string, remove: () => void): void {
    let s = this.series.get(service);
    if (s === undefined || s.type !== type) {
      if (s !== undefined) for (const r of s.removers.values()) r();
      this.series.set(service, (s = { type, removers: new Map() }));
    }
    if (!s.removers.has(key)) s.removers.set(key, remove);
  }

  /** Drop the series of every service the db served now does not have (or has with another type). */
  prune(): void {
    for (const [service, s] of this.series) {
      if (this.source.typeOf(service) === s.type) continue;
      for (const remove of s.removers.values()) remove();
      this.series.delete(service);
    }
  }
}
