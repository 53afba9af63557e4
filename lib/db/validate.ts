// validateDbIndex: checks that parsed JSON really is a consistent DbIndex (shape, ranges, deps vs rdeps, no cycle).
import { parseSignal } from '../core/signals.js';
import { FORMAT_VERSION, type DbIndex } from './types.js';

type Obj = Record<string, unknown>;

/** Thrown internally to stop at the first inconsistency; never escapes validateDbIndex. */
class Invalid extends Error {}

const fail = (where: string, what: string): never => {
  throw new Invalid(`${where}: ${what}`);
};
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown, where: string): Obj => (isObj(v) ? v : fail(where, 'expected an object'));
const str = (o: Obj, k: string, where: string): string =>
  typeof o[k] === 'string' ? o[k] : fail(where, `${k} must be a string`);
const bool = (o: Obj, k: string, where: string): boolean =>
  typeof o[k] === 'boolean' ? o[k] : fail(where, `${k} must be a boolean`);
const uint = (o: Obj, k: string, where: string): number => {
  const v = o[k];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : fail(where, `${k} must be a non-negative integer`);
};
const nullableUint = (o: Obj, k: string, where: string): number | null => (o[k] === null ? null : uint(o, k, where));
const strArray = (o: Obj, k: string, where: string): string[] => {
  const v = o[k];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(where, `${k} must be an array of strings`);
  return v as string[];
};

/** A sorted, duplicate-free array of indices below n. */
function indexArray(o: Obj, k: string, n: number, where: string): number[] {
  const v = o[k];
  if (!Array.isArray(v)) return fail(where, `${k} must be an array of service indices`);
  let prev = -1;
  for (const x of v as unknown[]) {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= n) return fail(where, `${k} holds ${String(x)}, not an index below ${n}`);
    if (x <= prev) return fail(where, `${k} must be sorted without duplicates`);
    prev = x;
  }
  return v as number[];
}

function checkFlags(o: Obj, where: string): void {
  bool(obj(o.flags, `${where}.flags`), 'essential', `${where}.flags`);
}

/** The target of a readiness probe or health check; `log` only where `allowLog`. */
function checkTarget(r: Obj, where: string, what: string, allowLog: boolean): void {
  switch (r.kind) {
    case 'tcp':
      str(r, 'host', where);
      if (uint(r, 'port', where) > 65535) fail(where, 'port out of range');
      return;
    case 'http':
      str(r, 'url', where);
      return;
    case 'cmd':
      if (strArray(r, 'argv', where).length === 0) fail(where, 'argv must not be empty');
      return;
    case 'log':
      if (allowLog) return checkPattern(r, where);
      return fail(where, `unknown ${what} kind "log"`);
    default:
      fail(where, `unknown ${what} kind ${JSON.stringify(r.kind)}`);
  }
}

function checkPattern(r: Obj, where: string): void {
  try {
    new RegExp(str(r, 'pattern', where));
  } catch {
    fail(where, 'pattern is not a valid regular expression');
  }
}

function checkReadiness(v: unknown, where: string): void {
  if (v === null) return;
  const r = obj(v, where);
  uint(r, 'intervalMs', where);
  uint(r, 'timeoutMs', where);
  checkTarget(r, where, 'readiness', true);
}

function checkHealth(v: unknown, where: string): void {
  if (v === undefined) return;
  const h = obj(v, where);
  if (uint(h, 'intervalMs', where) === 0) fail(where, 'intervalMs must be positive');
  if (uint(h, 'timeoutMs', where) === 0) fail(where, 'timeoutMs must be positive');
  if (uint(h, 'retries', where) === 0) fail(where, 'retries must be positive');
  uint(h, 'startPeriodMs', where);
  if (h.action !== 'restart' && h.action !== 'none') fail(where, 'action must be restart or none');
  checkTarget(h, where, 'health check', false);
}

/** Non-default edge conditions: keys are dependency indices of this service, values started or healthy. */
function checkConditions(s: Obj, where: string): void {
  if (s.conditions === undefined) return;
  const c = obj(s.conditions, `${where}.conditions`);
  const deps = s.deps as number[];
  for (const [k, v] of Object.entries(c)) {
    if (!/^\d+$/.test(k) || !deps.includes(Number(k))) fail(`${where}.conditions`, `${k} is not one of its dependencies`);
    if (v !== 'started' && v !== 'healthy') fail(`${where}.conditions`, `${JSON.stringify(v)} is not started or healthy`);
  }
}

function checkLongrun(s: Obj, n: number, where: string): void {
  bool(s, 'hasFinish', where);
  nullableUint(s, 'notificationFd', where);
  nullableUint(s, 'lockFd', where);
  uint(s, 'timeoutKill', where);
  uint(s, 'timeoutFinish', where);
  uint(s, 'maxDeathTally', where);
  if (parseSignal(str(s, 'downSignal', where)) === undefined) fail(where, 'downSignal is not a signal');
  nullableUint(s, 'restartDelay', where);
  checkReadiness(s.readiness, `${where}.readiness`);
  checkHealth(s.health, `${where}.health`);
  const p = nullableUint(s, 'producerFor', where);
  if (p !== null && p >= n) fail(where, `producerFor ${p} is not an index below ${n}`);
  indexArray(s, 'consumerFor', n, where);
  if (s.pipelineName !== null) str(s, 'pipelineName', where);
}

function checkService(v: unknown, i: number, n: number): void {
  const where = `services[${i}]`;
  const s = obj(v, where);
  if (s.index !== i) fail(where, `index must be ${i}`);
  if (str(s, 'name', where) === '') fail(where, 'name must not be empty');
  checkFlags(s, where);
  indexArray(s, 'deps', n, where);
  indexArray(s, 'rdeps', n, where);
  uint(s, 'timeoutUp', where);
  uint(s, 'timeoutDown', where);
  str(s, 'source', where);
  checkConditions(s, where);
  if (s.type === 'oneshot') {
    strArray(s, 'up', where);
    strArray(s, 'down', where);
  } else if (s.type === 'longrun') {
    checkLongrun(s, n, where);
  } else {
    fail(where, `type must be oneshot or longrun, not ${JSON.stringify(s.type)}`);
  }
}

function checkBundle(v: unknown, i: number, n: number): void {
  const where = `bundles[${i}]`;
  const b = obj(v, where);
  if (str(b, 'name', where) === '') fail(where, 'name must not be empty');
  indexArray(b, 'members', n, where);
  strArray(b, 'contents', where);
  checkFlags(b, where);
  str(b, 'source', where);
  bool(b, 'pipeline', where);
}

/** deps and rdeps must mirror each other exactly; pipeline links must point at longruns that agree. */
function checkLinks(index: DbIndex): void {
  const { services } = index;
  const rdepCount = new Uint32Array(services.length);
  for (const s of services) {
    for (const d of s.deps) {
      if (d === s.index) fail(`services[${s.index}]`, 'depends on itself');
      if (!binaryHas(services[d]!.rdeps, s.index)) fail(`services[${d}]`, `rdeps lacks ${s.index}, which depends on it`);
      rdepCount[d]!++;
    }
  }
  for (const s of services) {
    if (s.rdeps.length !== rdepCount[s.index]) fail(`services[${s.index}]`, 'rdeps holds a service that does not depend on it');
    if (s.type !== 'longrun') continue;
    if (s.producerFor !== null) {
      const c = services[s.producerFor]!;
      if (c.type !== 'longrun' || !c.consumerFor.includes(s.index)) fail(`services[${s.index}]`, 'producerFor is not declared back');
    }
    for (const p of s.consumerFor) {
      const ps = services[p]!;
      if (ps.type !== 'longrun' || ps.producerFor !== s.index) fail(`services[${s.index}]`, 'consumerFor is not declared back');
    }
  }
}

function binaryHas(sorted: number[], x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Kahn's algorithm: a compiled db must be acyclic, or the engine could wait forever. */
function checkAcyclic(index: DbIndex): void {
  const { services } = index;
  const pending = new Uint32Array(services.length);
  const ready: number[] = [];
  for (const s of services) {
    pending[s.index] = s.deps.length;
    if (s.deps.length === 0) ready.push(s.index);
  }
  let done = 0;
  while (ready.length > 0) {
    const i = ready.pop()!;
    done++;
    for (const r of services[i]!.rdeps) if (--pending[r]! === 0) ready.push(r);
  }
  if (done !== services.length) fail('services', 'the dependency graph has a cycle');
}

function checkNames(index: DbIndex): void {
  const seen = new Set<string>();
  for (const name of [...index.services.map((s) => s.name), ...index.bundles.map((b) => b.name)]) {
    if (seen.has(name)) fail('names', `${JSON.stringify(name)} is defined twice`);
    seen.add(name);
  }
}

/** Validate parsed JSON as a DbIndex. Returns a message naming the first problem, or undefined when valid. */
export function validateDbIndex(value: unknown): string | undefined {
  try {
    const top = obj(value, 'index');
    if (top.format !== 'rc-compiled-db') return 'not an rc compiled database (format is not "rc-compiled-db")';
    if (top.version !== FORMAT_VERSION) {
      return `unsupported format version ${JSON.stringify(top.version)} (this rc reads version ${FORMAT_VERSION}): recompile the source`;
    }
    strArray(top, 'sources', 'index');
    if (!Array.isArray(top.services)) return 'index: services must be an array';
    if (!Array.isArray(top.bundles)) return 'index: bundles must be an array';
    const n = top.services.length;
    top.services.forEach((s, i) => checkService(s, i, n));
    top.bundles.forEach((b, i) => checkBundle(b, i, n));
    const index = value as DbIndex;
    checkNames(index);
    checkLinks(index);
    checkAcyclic(index);
    return undefined;
  } catch (e) {
    if (e instanceof Invalid) return e.message;
    throw e;
  }
}
