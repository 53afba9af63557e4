// The compose mapping: one service per rc service, each running `rc run NAME` from the image (docs/export.md).
import { warning, type Diagnostic } from '../core/diagnostics.js';
import type { Db } from '../db/db.js';
import type { EdgeCondition } from '../db/types.js';
import { SHARED_PATH, SHARED_VOLUME, checkIntervalMs, checkTimeoutMs, edgeCondition, healthOf, probeCommand, runCommand } from './commands.js';
import { composeDuration } from './durations.js';
import type { ExportGraph, ExportNode, ExportOptions } from './types.js';

type Condition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

/** Whether compose has a health check for the service: it has readiness or a health check. */
export const hasHealthcheck = (node: ExportNode): boolean => node.service.type === 'longrun' && (node.ready !== 'none' || healthOf(node) !== undefined);

/**
 * What a dependent waits for: the edge's condition `started` → service_started; else a oneshot to
 * complete; `ready` on a longrun with readiness, or `healthy` on one with a health check → service_healthy
 * (the compose health check is `rc probe [--health]`); anything else → service_started.
 */
export function composeCondition(dep: ExportNode, condition: EdgeCondition = 'ready'): Condition {
  if (condition === 'started') return 'service_started';
  if (dep.service.type === 'oneshot') return 'service_completed_successfully';
  if (condition === 'healthy') return hasHealthcheck(dep) ? 'service_healthy' : 'service_started';
  return dep.ready === 'none' ? 'service_started' : 'service_healthy';
}

/** docker compose reports an unhealthy container but never restarts it (only Swarm does). */
export function unhealthyRestarts(graph: ExportGraph): Diagnostic[] {
  return graph.nodes
    .filter((n) => healthOf(n)?.action === 'restart')
    .map((n) =>
      warning(n.service.source, `${n.service.name}: docker compose does not restart an unhealthy container (its health check only marks it unhealthy)`, {
        hint: 'restart it from outside (e.g. autoheal), or use --format kubernetes (a livenessProbe)',
      }),
    );
}

/** Compose's profile names: `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`. */
const PROFILE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Target bundles beyond the first that compose can hold as profiles; the others are reported. */
export function composeProfiles(db: Db, graph: ExportGraph, diagnostics: Diagnostic[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const [name, members] of graph.optional) {
    if (members.size === 0) continue;
    if (PROFILE.test(name)) out.set(name, members);
    else {
      diagnostics.push(
        warning(db.bundle(name)?.source ?? name, `bundle ${name} cannot be a compose profile (names match ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$): its services are always started`),
      );
    }
  }
  return out;
}

/** `rc probe NAME` (with --health and the health check's timing when it has one); start_period covers timeout-up. */
function healthcheck(node: ExportNode, o: ExportOptions): Record<string, unknown> | undefined {
  if (!hasHealthcheck(node)) return undefined;
  const h = healthOf(node);
  const start = Math.max(node.service.timeoutUp, h?.startPeriodMs ?? 0);
  return {
    test: ['CMD', ...probeCommand(node, o.imageCompiled, h !== undefined)],
    interval: composeDuration(h?.intervalMs || checkIntervalMs(node)),
    timeout: composeDuration(h ? Math.max(1000, h.timeoutMs) : checkTimeoutMs(node)),
    retries: h?.retries ?? 3,
    ...(start > 0 ? { start_period: composeDuration(start) } : {}),
  };
}

function composeService(node: ExportNode, graph: ExportGraph, profiles: Map<string, Set<number>>, o: ExportOptions): Record<string, unknown> {
  const s = node.service;
  const dependsOn = Object.fromEntries(
    node.deps.map((d) => graph.byIndex.get(d)!).map((dep) => [dep.name, { condition: composeCondition(dep, edgeCondition(s, dep.index)) }]),
  );
  const inProfiles = [...profiles].filter(([, members]) => members.has(node.index)).map(([name]) => name);
  const health = healthcheck(node, o);
  return {
    image: o.image,
    entrypoint: runCommand(node, o.imageCompiled),
    // A small init as PID 1 reaps orphans and passes signals on to rc run.
    init: true,
    restart: s.type === 'oneshot' ? 'no' : 'unless-stopped',
    ...(node.deps.length > 0 ? { depends_on: dependsOn } : {}),
    ...(health ? { healthcheck: health } : {}),
    ...(s.type === 'longrun' && s.timeoutKill > 0 ? { stop_grace_period: composeDuration(s.timeoutKill) } : {}),
    ...(s.type === 'longrun' && s.downSignal !== 'SIGTERM' ? { stop_signal: s.downSignal } : {}),
    ...(inProfiles.length > 0 ? { profiles: inProfiles } : {}),
    environment: { RC_LIVE: SHARED_PATH },
    volumes: [`${SHARED_VOLUME}:${SHARED_PATH}`],
  };
}

/** The compose document (a plain object for the YAML writer). */
export function composeDocument(db: Db, graph: ExportGraph, o: ExportOptions, diagnostics: Diagnostic[]): { doc: Record<string, unknown>; profiles: Set<string> } {
  const profiles = composeProfiles(db, graph, diagnostics);
  const services = Object.fromEntries(graph.nodes.map((n) => [n.name, composeService(n, graph, profiles, o)]));
  return {
    doc: { name: o.name, services, volumes: { [SHARED_VOLUME]: {} } },
    profiles: new Set(profiles.keys()),
  };
}
