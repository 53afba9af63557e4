// Parse and check one request line: anything a client may send becomes a Request or a reason, never a throw.
import { err, ok, type Result } from '../core/result.js';
import {
  PROTOCOL_VERSION,
  type ListFilter,
  type Request,
  type SvcCommand,
  type TransitionFlags,
  type WaitCondition,
} from './protocol.js';

export interface RequestProblem {
  /** The request's id when it could be read, so the error reply can name it. */
  id: number | null;
  message: string;
}

type Obj = Record<string, unknown>;
const SVC_LETTERS = new Set('udorkthiabq12pcyx'.split(''));
const LIST_FILTERS: readonly ListFilter[] = ['all', 'up', 'down'];
const WAIT_CONDITIONS: readonly WaitCondition[] = ['up', 'ready', 'healthy', 'down'];

class Bad extends Error {}

function strings(o: Obj, key: string, required: boolean): string[] {
  const v = o[key];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.length > 0)) {
    throw new Bad(`'${key}' must be an array of non-empty strings`);
  }
  if (required && v.length === 0) throw new Bad(`'${key}' must name at least one service`);
  return v as string[];
}

function bool(o: Obj, key: string): boolean {
  const v = o[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new Bad(`'${key}' must be a boolean`);
  return v;
}

function uint(o: Obj, key: string, fallback: number, max = 2 ** 31 - 1): number {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new Bad(`'${key}' must be an integer between 0 and ${max}`);
  }
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, allowed: readonly T[], fallback: T): T {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new Bad(`'${key}' must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function flags(o: Obj): TransitionFlags {
  return {
    dryRun: bool(o, 'dryRun'),
    force: bool(o, 'force'),
    timeoutMs: uint(o, 'timeoutMs', 0),
    jobs: uint(o, 'jobs', 0),
    noWait: bool(o, 'noWait'),
  };
}

function absolutePath(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !v.startsWith('/')) throw new Bad(`'${key}' must be an absolute path`);
  return v;
}

function updateFields(o: Obj): { compiled?: string; source?: string[]; convfile?: string } {
  const compiled = absolutePath(o, 'compiled');
  const source = o['source'] === undefined ? undefined : strings(o, 'source', true);
  if (source?.some((s) => !s.startsWith('/'))) throw new Bad("'source' must be absolute paths");
  if ((compiled === undefined) === (source === undefined)) throw new Bad("give exactly one of 'compiled' and 'source'");
  const convfile = absolutePath(o, 'convfile');
  return { ...(compiled !== undefined ? { compiled } : {}), ...(source !== undefined ? { source } : {}), ...(convfile !== undefined ? { convfile } : {}) };
}

function svcCommands(o: Obj): SvcCommand[] {
  const v = o['commands'];
  if (!Array.isArray(v) || v.length === 0 || !v.every((c) => typeof c === 'string' && SVC_LETTERS.has(c))) {
    throw new Bad(`'commands' must be a non-empty array of s6-svc letters (${[...SVC_LETTERS].join('')})`);
  }
  return v as SvcCommand[];
}

function build(o: Obj, id: number): Request {
  const v = PROTOCOL_VERSION;
  const op = o['op'];
  switch (op) {
    case 'change':
      return { v, id, op, targets: strings(o, 'targets', true), ...flags(o) };
    case 'up':
    case 'down':
      return { v, id, op, names: strings(o, 'names', true), ...flags(o) };
    case 'restart':
      return { v, id, op, names: strings(o, 'names', true), deps: bool(o, 'deps'), ...flags(o) };
    case 'status':
      return { v, id, op, names: strings(o, 'names', false) };
    case 'list':
      return { v, id, op, names: strings(o, 'names', false), filter: oneOf(o, 'filter', LIST_FILTERS, 'all') };
    case 'wait':
      return {
        v, id, op,
        names: strings(o, 'names', true),
        until: oneOf(o, 'until', WAIT_CONDITIONS, 'up'),
        timeoutMs: uint(o, 'timeoutMs', 0),
      };
    case 'svc':
      return { v, id, op, names: strings(o, 'names', true), commands: svcCommands(o) };
    case 'halt':
      return {
        v, id, op,
        code: uint(o, 'code', 0, 255),
        wait: o['wait'] === undefined || bool(o, 'wait'),
        ...(o['pid'] !== undefined ? { pid: uint(o, 'pid', 0) } : {}),
      };
    case 'logs':
      return { v, id, op, names: strings(o, 'names', false), lines: uint(o, 'lines', 100), follow: bool(o, 'follow') };
    case 'subscribe':
      return { v, id, op };
    case 'scan':
      return { v, id, op, timeoutMs: uint(o, 'timeoutMs', 0) };
    case 'update': {
      const { dryRun, timeoutMs, jobs, noWait } = flags(o);
      return { v, id, op, ...updateFields(o), dryRun, timeoutMs, jobs, noWait };
    }
    default:
      throw new Bad(typeof op === 'string' ? `unknown op '${op}'` : "missing 'op'");
  }
}

/** Parse one line (without its newline) into a Request. */
export function parseRequest(line: string): Result<Request, RequestProblem> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return err({ id: null, message: 'malformed request: not valid JSON' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err({ id: null, message: 'malformed request: expected a JSON object' });
  }
  const o = value as Obj;
  const id = typeof o['id'] === 'number' && Number.isSafeInteger(o['id']) ? o['id'] : null;
  if (id === null) return err({ id: null, message: "malformed request: 'id' must be an integer" });
  if (!('v' in o) || o['v'] === undefined) {
    return err({ id, message: `malformed request: the protocol version field 'v' is missing (this daemon speaks v${PROTOCOL_VERSION}: send "v":${PROTOCOL_VERSION})` });
  }
  if (o['v'] !== PROTOCOL_VERSION) {
    return err({ id, message: `unsupported protocol version ${JSON.stringify(o['v'])} (this daemon speaks v${PROTOCOL_VERSION})` });
  }
  try {
    return ok(build(o, id));
  } catch (e) {
    if (e instanceof Bad) return err({ id, message: `bad request: ${e.message}` });
    throw e;
  }
}
