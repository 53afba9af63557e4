// Export both ways, parse the YAML back, validate it (compose schema, kubernetes-models) and give handy views.
import { expect } from 'chai';
import { parse } from 'yaml';
import type { Diagnostic } from '../../../lib/core/index.js';
import type { Db } from '../../../lib/db/index.js';
import { exportDb, type ExportFormat } from '../../../lib/export/index.js';
import { badDurations, composeErrors, validateDeployment } from '../../helpers/export-validate.js';

/** The parts of a parsed compose file the tests read (fields a test reads are there, or the test fails). */
export interface ComposeService {
  image: string;
  entrypoint: string[];
  restart: string;
  depends_on: Record<string, { condition: string }>;
  healthcheck: { test: string[]; interval: string; timeout: string; retries: number; start_period: string };
  stop_grace_period: string;
  stop_signal: string;
  profiles: string[];
}
export interface ComposeDoc {
  services: Record<string, ComposeService>;
}

interface Probe {
  exec: { command: string[] };
  tcpSocket: { port: number; host?: string };
  httpGet: { path: string; port: number; scheme: string };
  periodSeconds: number;
  failureThreshold: number;
}
export interface Container {
  name: string;
  command: string[];
  restartPolicy: string;
  startupProbe: Probe;
  readinessProbe: Probe;
  livenessProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
}
export interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
  terminationGracePeriodSeconds: number;
}
export interface DeploymentDoc {
  spec: { template: { spec: PodSpec } };
}

export interface Exported<D> {
  doc: D;
  diagnostics: Diagnostic[];
}

function run(db: Db, format: ExportFormat, targets: string[], image = 'app:1'): Exported<unknown> {
  const r = exportDb(db, { format, image, targets, name: 'test', imageCompiled: '/etc/rc/compiled' });
  if (!r.ok) throw new Error(r.error.message);
  const doc = parse(r.value.yaml) as ComposeDoc;
  if (format === 'compose') {
    expect(composeErrors(doc), 'compose schema').to.deep.equal([]);
    expect(badDurations(doc), 'compose durations').to.deep.equal([]);
  }
  else validateDeployment(doc);
  return { doc, diagnostics: r.value.diagnostics };
}

export const compose = (db: Db, targets: string[] = []): Exported<ComposeDoc> => run(db, 'compose', targets) as Exported<ComposeDoc>;
export const kube = (db: Db, targets: string[] = []): Exported<DeploymentDoc> => run(db, 'kubernetes', targets) as Exported<DeploymentDoc>;

/** One compose service (fails the test when it is not there). */
export function svc(services: Record<string, ComposeService>, name: string): ComposeService {
  const s = services[name];
  if (s === undefined) throw new Error(`no compose service ${name} in ${Object.keys(services).join(', ')}`);
  return s;
}

/** The Pod spec of a Deployment. */
export const pod = (doc: DeploymentDoc): PodSpec => doc.spec.template.spec;
export const initNames = (doc: DeploymentDoc): string[] => (pod(doc).initContainers ?? []).map((c) => c.name);
export const mainNames = (doc: DeploymentDoc): string[] => pod(doc).containers.map((c) => c.name);
export function container(doc: DeploymentDoc, name: string): Container {
  const c = [...(pod(doc).initContainers ?? []), ...pod(doc).containers].find((x) => x.name === name);
  if (c === undefined) throw new Error(`no container ${name}`);
  return c;
}

export const warnings = (list: Diagnostic[]): string[] => list.filter((d) => d.severity === 'warning').map((d) => `${d.file}: ${d.message}`);
