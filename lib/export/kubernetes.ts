// The Kubernetes mapping: one Deployment, one Pod; oneshots and sidecars as init containers in a topological order.
import { warning, type Diagnostic } from '../core/diagnostics.js';
import type { Db } from '../db/db.js';
import type { EdgeCondition } from '../db/types.js';
import { SHARED_PATH, SHARED_VOLUME, checkIntervalMs, checkTimeoutMs, edgeCondition, healthOf, probeCommand, probeOf, runCommand } from './commands.js';
import { seconds } from './durations.js';
import type { ExportGraph, ExportNode, ExportOptions } from './types.js';

/** When rc waits without limit (timeout-up 0), a startup probe still gives up: after an hour. */
export const UNLIMITED_STARTUP_MS = 3_600_000;

const LOCAL = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '']);

type Target = { kind: 'tcp'; host: string; port: number } | { kind: 'http'; url: string } | { kind: string };

/** tcpSocket / httpGet for a TCP or HTTP target, else exec `rc probe [--health] NAME`. */
function handler(target: Target | null, node: ExportNode, o: ExportOptions, health: boolean): Record<string, unknown> {
  if (target !== null && 'port' in target) return { tcpSocket: { port: target.port, ...(LOCAL.has(target.host) ? {} : { host: target.host }) } };
  if (target !== null && 'url' in target) {
    const u = new URL(target.url);
    const https = u.protocol === 'https:';
    const port = u.port ? Number(u.port) : https ? 443 : 80;
    return { httpGet: { path: `${u.pathname}${u.search}`, port, scheme: https ? 'HTTPS' : 'HTTP', ...(LOCAL.has(u.hostname) ? {} : { host: u.hostname }) } };
  }
  return { exec: { command: probeCommand(node, o.imageCompiled, health) } };
}

const RANK: Record<EdgeCondition, number> = { started: 0, ready: 1, healthy: 2 };

/** What the dependents of a sidecar wait for: the strongest of their edges' conditions (one startup probe gates them all). */
export function gateOf(node: ExportNode, graph: ExportGraph): EdgeCondition {
  const wanted = node.rdeps.map((r) => edgeCondition(graph.byIndex.get(r)!.service, node.index));
  return wanted.reduce<EdgeCondition>((a, b) => (RANK[b] > RANK[a] ? b : a), 'started');
}

/** The startup probe: readiness (or readiness and health, for a `healthy` gate); its threshold allows timeout-up. */
function startupProbe(node: ExportNode, graph: ExportGraph, o: ExportOptions): Record<string, unknown> | undefined {
  const gate = node.sidecar ? gateOf(node, graph) : 'ready';
  const health = gate === 'healthy' && healthOf(node) !== undefined;
  if (gate === 'started' || (node.ready === 'none' && !health)) return undefined;
  const periodSeconds = seconds(checkIntervalMs(node));
  const up = Math.max(node.service.timeoutUp, health ? healthOf(node)!.startPeriodMs : 0) || UNLIMITED_STARTUP_MS;
  const target = health ? null : probeOf(node);
  return {
    ...handler(target, node, o, health),
    periodSeconds,
    timeoutSeconds: seconds(checkTimeoutMs(node)),
    failureThreshold: Math.max(1, Math.ceil(up / (periodSeconds * 1000))),
  };
}

/** After start-up: a health check with action restart is a livenessProbe, one only reported a readinessProbe; else readiness. */
function laterProbes(node: ExportNode, o: ExportOptions): Record<string, unknown> {
  const h = healthOf(node);
  if (h !== undefined) {
    const probe = { ...handler(h, node, o, true), periodSeconds: seconds(h.intervalMs), timeoutSeconds: seconds(h.timeoutMs), failureThreshold: Math.max(1, h.retries) };
    return h.action === 'restart' ? { livenessProbe: probe } : { readinessProbe: probe };
  }
  if (node.sidecar || node.ready === 'none') return {};
  return { readinessProbe: { ...handler(probeOf(node), node, o, false), periodSeconds: seconds(checkIntervalMs(node)), timeoutSeconds: seconds(checkTimeoutMs(node)) } };
}

function probes(node: ExportNode, graph: ExportGraph, o: ExportOptions): Record<string, unknown> {
  if (node.service.type !== 'longrun') return {};
  const startup = startupProbe(node, graph, o);
  return { ...(startup ? { startupProbe: startup } : {}), ...laterProbes(node, o) };
}

/** A down-signal other than TERM: sent to `rc run` (PID 1 of the container) before the kubelet's TERM. */
function preStop(node: ExportNode): Record<string, unknown> {
  const s = node.service;
  if (s.type !== 'longrun' || s.downSignal === 'SIGTERM') return {};
  return { lifecycle: { preStop: { exec: { command: ['sh', '-c', `kill -s ${s.downSignal.slice(3)} 1`] } } } };
}

function container(node: ExportNode, graph: ExportGraph, o: ExportOptions): Record<string, unknown> {
  return {
    name: node.name,
    image: o.image,
    command: runCommand(node, o.imageCompiled),
    ...(node.sidecar ? { restartPolicy: 'Always' } : {}),
    env: [{ name: 'RC_LIVE', value: SHARED_PATH }],
    volumeMounts: [{ name: SHARED_VOLUME, mountPath: SHARED_PATH }],
    ...probes(node, graph, o),
    ...preStop(node),
  };
}

/** Probes the kubelet sends to the Pod's IP while the service listens on loopback only. */
export function loopbackProbes(graph: ExportGraph): Diagnostic[] {
  return graph.nodes.flatMap((n) =>
    [probeOf(n), healthOf(n) ?? null].flatMap((p) => {
      const host = p?.kind === 'tcp' ? p.host : p?.kind === 'http' ? new URL(p.url).hostname : null;
      if (host === null || !['127.0.0.1', 'localhost', '::1'].includes(host)) return [];
      const what = `${p!.kind === 'tcp' ? 'tcpSocket' : 'httpGet'} probe (${'retries' in p! ? 'health' : 'ready'}-${p!.kind})`;
      return [
        warning(n.service.source, `${n.service.name}: the kubelet probes the Pod's IP, not ${host}: the service must listen on all interfaces for its ${what}`, {
          hint: 'listen on 0.0.0.0, or use a -cmd check (an exec probe runs inside the container)',
        }),
      ];
    }),
  );
}

/** The largest timeout-kill, in whole seconds (the Pod has one grace period); undefined = the default 30 s. */
function gracePeriod(graph: ExportGraph): number | undefined {
  const kills = graph.nodes.map((n) => (n.service.type === 'longrun' ? n.service.timeoutKill : 0)).filter((ms) => ms > 0);
  return kills.length > 0 ? seconds(Math.max(...kills)) : undefined;
}

/** A Pod needs one regular container: when every longrun is a sidecar (or none exists), one that waits for TERM. */
export const IDLE_CONTAINER = 'rc-idle';
const idle = (o: ExportOptions): Record<string, unknown> => ({
  name: IDLE_CONTAINER,
  image: o.image,
  command: ['sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'],
});

export function kubernetesDocument(_db: Db, graph: ExportGraph, o: ExportOptions): Record<string, unknown> {
  const init = graph.nodes.filter((n) => n.service.type === 'oneshot' || n.sidecar);
  const main = graph.nodes.filter((n) => n.service.type === 'longrun' && !n.sidecar);
  const labels = { 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/managed-by': 'rc-export' };
  const grace = gracePeriod(graph);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, labels },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { 'app.kubernetes.io/name': o.name } },
      template: {
        metadata: { labels },
        spec: {
          ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
          ...(init.length > 0 ? { initContainers: init.map((n) => container(n, graph, o)) } : {}),
          containers: main.length > 0 ? main.map((n) => container(n, graph, o)) : [idle(o)],
          volumes: [{ name: SHARED_VOLUME, emptyDir: {} }],
        },
      },
    },
  };
}

/** A sidecar whose dependents ask for different conditions: one startup probe gates them all, at the strongest. */
export function mixedGates(graph: ExportGraph): Diagnostic[] {
  return graph.nodes
    .filter((n) => n.sidecar)
    .flatMap((n) => {
      const asks = n.rdeps.map((r) => graph.byIndex.get(r)!).map((d) => `${d.service.name} (${edgeCondition(d.service, n.index)})`);
      const kinds = new Set(n.rdeps.map((r) => edgeCondition(graph.byIndex.get(r)!.service, n.index)));
      if (kinds.size < 2) return [];
      return [
        warning(n.service.source, `${n.service.name}: its dependents wait for different conditions (${asks.join(', ')}), but a Pod gates them all on one startup probe: all wait for ${gateOf(n, graph)}`),
      ];
    });
}
