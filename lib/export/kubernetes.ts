// The Kubernetes mapping: one Deployment, one Pod; oneshots and sidecars as init containers in a topological order.
import { warning, type Diagnostic } from '../core/diagnostics.js';
import type { Db } from '../db/db.js';
import { SHARED_PATH, SHARED_VOLUME, checkIntervalMs, checkTimeoutMs, probeCommand, probeOf, runCommand } from './commands.js';
import { seconds } from './durations.js';
import type { ExportGraph, ExportNode, ExportOptions } from './types.js';

/** When rc waits without limit (timeout-up 0), a startup probe still gives up: after an hour. */
export const UNLIMITED_STARTUP_MS = 3_600_000;

const LOCAL = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '']);

/** The probe handler: tcpSocket / httpGet for ready-tcp / ready-http, else exec `rc probe NAME`. */
function handler(node: ExportNode, o: ExportOptions): Record<string, unknown> {
  const p = probeOf(node);
  if (p?.kind === 'tcp') return { tcpSocket: { port: p.port, ...(LOCAL.has(p.host) ? {} : { host: p.host }) } };
  if (p?.kind === 'http') {
    const u = new URL(p.url);
    const https = u.protocol === 'https:';
    const port = u.port ? Number(u.port) : https ? 443 : 80;
    return { httpGet: { path: `${u.pathname}${u.search}`, port, scheme: https ? 'HTTPS' : 'HTTP', ...(LOCAL.has(u.hostname) ? {} : { host: u.hostname }) } };
  }
  return { exec: { command: probeCommand(node, o.imageCompiled) } };
}

/** Startup and readiness probes; the startup probe allows timeout-up (failureThreshold × periodSeconds). */
function probes(node: ExportNode, o: ExportOptions): Record<string, unknown> {
  if (node.service.type !== 'longrun' || node.ready === 'none') return {};
  const periodSeconds = seconds(checkIntervalMs(node));
  const timeoutSeconds = seconds(checkTimeoutMs(node));
  const up = node.service.timeoutUp > 0 ? node.service.timeoutUp : UNLIMITED_STARTUP_MS;
  const failureThreshold = Math.max(1, Math.ceil(up / (periodSeconds * 1000)));
  const h = handler(node, o);
  return {
    startupProbe: { ...h, periodSeconds, timeoutSeconds, failureThreshold },
    ...(node.sidecar ? {} : { readinessProbe: { ...h, periodSeconds, timeoutSeconds } }),
  };
}

/** A down-signal other than TERM: sent to `rc run` (PID 1 of the container) before the kubelet's TERM. */
function preStop(node: ExportNode): Record<string, unknown> {
  const s = node.service;
  if (s.type !== 'longrun' || s.downSignal === 'SIGTERM') return {};
  return { lifecycle: { preStop: { exec: { command: ['sh', '-c', `kill -s ${s.downSignal.slice(3)} 1`] } } } };
}

function container(node: ExportNode, o: ExportOptions): Record<string, unknown> {
  return {
    name: node.name,
    image: o.image,
    command: runCommand(node, o.imageCompiled),
    ...(node.sidecar ? { restartPolicy: 'Always' } : {}),
    env: [{ name: 'RC_LIVE', value: SHARED_PATH }],
    volumeMounts: [{ name: SHARED_VOLUME, mountPath: SHARED_PATH }],
    ...probes(node, o),
    ...preStop(node),
  };
}

/** Probes the kubelet sends to the Pod's IP while the service listens on loopback only. */
export function loopbackProbes(graph: ExportGraph): Diagnostic[] {
  return graph.nodes.flatMap((n) => {
    const p = probeOf(n);
    const host = p?.kind === 'tcp' ? p.host : p?.kind === 'http' ? new URL(p.url).hostname : null;
    if (host === null || !['127.0.0.1', 'localhost', '::1'].includes(host)) return [];
    return [
      warning(n.service.source, `${n.service.name}: the kubelet probes the Pod's IP, not ${host}: the service must listen on all interfaces for its ${p!.kind === 'tcp' ? 'tcpSocket' : 'httpGet'} probe`, {
        hint: 'listen on 0.0.0.0, or use ready-cmd (an exec probe runs inside the container)',
      }),
    ];
  });
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
          ...(init.length > 0 ? { initContainers: init.map((n) => container(n, o)) } : {}),
          containers: main.length > 0 ? main.map((n) => container(n, o)) : [idle(o)],
          volumes: [{ name: SHARED_VOLUME, emptyDir: {} }],
        },
      },
    },
  };
}
