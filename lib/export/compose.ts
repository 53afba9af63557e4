// The compose mapping: one service per rc service, each running `rc run NAME` from the image (docs/export.md).
import { warning, type Diagnostic } from '../core/diagnostics.js';
import type { Db } from '../db/db.js';
import { SHARED_PATH, SHARED_VOLUME, checkIntervalMs, checkTimeoutMs, probeCommand, runCommand } from './commands.js';
import { composeDuration } from './durations.js';
import type { ExportGraph, ExportNode, ExportOptions } from './types.js';

type Condition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

/** What a dependent waits for: a oneshot to complete, a longrun with readiness to be healthy, else to start. */
export function composeCondition(dep: ExportNode): Condition {
  if (dep.service.type === 'oneshot') return 'service_completed_successfully';
  return dep.ready === 'none' ? 'service_started' : 'service_healthy';
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

function healthcheck(node: ExportNode, o: ExportOptions): Record<string, unknown> | undefined {
  if (node.service.type !== 'longrun' || node.ready === 'none') return undefined;
  return {
    test: ['CMD', ...probeCommand(node, o.imageCompiled)],
    interval: composeDuration(checkIntervalMs(node)),
    timeout: composeDuration(checkTimeoutMs(node)),
    retries: 3,
    ...(node.service.timeoutUp > 0 ? { start_period: composeDuration(node.service.timeoutUp) } : {}),
  };
}

function composeService(node: ExportNode, graph: ExportGraph, profiles: Map<string, Set<number>>, o: ExportOptions): Record<string, unknown> {
  const s = node.service;
  const dependsOn = Object.fromEntries(
    node.deps.map((d) => graph.byIndex.get(d)!).map((dep) => [dep.name, { condition: composeCondition(dep) }]),
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
