// The commands every exported container runs: `rc run NAME` as its entrypoint, `rc probe NAME` as its check.
import { DEFAULT_COMPILED } from '../core/defaults.js';
import type { AtomicService, EdgeCondition, HealthCheck, ReadinessProbe } from '../db/types.js';
import type { ExportNode } from './types.js';
import { DEFAULT_CHECK_MS } from './durations.js';

const dbArgs = (imageCompiled: string): string[] => (imageCompiled === DEFAULT_COMPILED ? [] : ['-c', imageCompiled]);

/** `rc run [-c DB] NAME`: the service's own (rc) name, not its engine name. */
export const runCommand = (node: ExportNode, imageCompiled: string): string[] => ['rc', 'run', ...dbArgs(imageCompiled), node.service.name];

/** `rc probe [-c DB] [--health] NAME`: with --health, the health check must pass too. */
export const probeCommand = (node: ExportNode, imageCompiled: string, health = false): string[] => [
  'rc',
  'probe',
  ...dbArgs(imageCompiled),
  ...(health ? ['--health'] : []),
  node.service.name,
];

/** The service's health check (health-tcp / -http / -cmd), if any. */
export const healthOf = (node: ExportNode): HealthCheck | undefined => (node.service.type === 'longrun' ? node.service.health : undefined);

/** What `dependent` waits for on its edge to `dep` (rc's per-edge condition; default `ready`). */
export const edgeCondition = (dependent: AtomicService, dep: number): EdgeCondition => dependent.conditions?.[String(dep)] ?? 'ready';

/** The service's probe, when it has a polling one. */
export const probeOf = (node: ExportNode): ReadinessProbe | null => (node.service.type === 'longrun' ? node.service.readiness : null);

/** How often readiness is checked: the probe's interval, else once a second. */
export const checkIntervalMs = (node: ExportNode): number => probeOf(node)?.intervalMs || DEFAULT_CHECK_MS;

/** One check must answer within this: the probe's own try timeout (as rc's probes: at least 1 s, at least the interval). */
export const checkTimeoutMs = (node: ExportNode): number => Math.max(1000, checkIntervalMs(node));

/** Where services meet as under `rc boot`: a volume shared by every container, mounted at the live dir. */
export const SHARED_VOLUME = 'rc-live';
export const SHARED_PATH = '/run/rc';
