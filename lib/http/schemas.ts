// JSON schemas of the HTTP API: fastify validates requests and serializes answers with them; the OpenAPI document reuses them.

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;
const nullable = (type: string) => ({ type: [type, 'null'] }) as const;
/** Any JSON object, serialized as is (plans and summaries have their own documented types). */
const anyObject = { type: 'object', additionalProperties: true } as const;

export const errorSchema = {
  type: 'object',
  required: ['exitCode', 'message'],
  properties: { exitCode: int, message: str, hint: str },
} as const;

/** One row of `rc status --json`. */
export const statusRowSchema = {
  type: 'object',
  required: ['name', 'type', 'up', 'wanted', 'state', 'pid', 'sinceMs', 'ready', 'restarts', 'lastExit', 'essential', 'health', 'healthCheckedAt'],
  properties: {
    name: str,
    type: { type: 'string', enum: ['oneshot', 'longrun'] },
    up: bool,
    wanted: bool,
    state: str,
    pid: nullable('integer'),
    sinceMs: nullable('number'),
    ready: nullable('boolean'),
    restarts: int,
    lastExit: {
      type: ['object', 'null'],
      properties: { code: nullable('integer'), signal: nullable('string') },
    },
    essential: bool,
    /** The health check's verdict on the current run; null without a check or when nothing runs. */
    health: { type: ['string', 'null'], enum: ['starting', 'healthy', 'unhealthy', null] },
    healthCheckedAt: nullable('number'),
  },
} as const;

export const daemonInfoSchema = {
  type: 'object',
  required: ['pid', 'live', 'db', 'busy', 'busyMs', 'waitingFor', 'queued', 'startedAt'],
  properties: {
    pid: int,
    live: str,
    db: str,
    busy: nullable('string'),
    busyMs: nullable('number'),
    waitingFor: { type: 'array', items: { type: 'object', properties: { name: str, what: str, sinceMs: { type: 'number' } } } },
    queued: int,
    startedAt: { type: 'number' },
  },
} as const;

export const servicesSchema = {
  type: 'object',
  required: ['daemon', 'services'],
  properties: { daemon: daemonInfoSchema, services: { type: 'array', items: statusRowSchema } },
} as const;

export const serviceSchema = { type: 'object', required: ['service'], properties: { service: statusRowSchema } } as const;

export const transitionSchema = {
  type: 'object',
  required: ['exitCode', 'notes'],
  properties: { exitCode: int, summary: anyObject, notes: { type: 'array', items: str } },
} as const;

export const planSchema = {
  type: 'object',
  required: ['exitCode', 'plan', 'notes'],
  properties: { exitCode: int, plan: anyObject, notes: { type: 'array', items: str } },
} as const;

export const okSchema = { type: 'object', required: ['exitCode'], properties: { exitCode: int } } as const;

export const logsSchema = {
  type: 'object',
  required: ['lines'],
  properties: {
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['service', 'stream', 'line', 'time'],
        properties: { service: str, stream: { type: 'string', enum: ['stdout', 'stderr'] }, line: str, time: { type: 'number' } },
      },
    },
  },
} as const;

export const graphSchema = {
  type: 'object',
  required: ['width', 'height', 'nodes', 'edges'],
  properties: {
    width: { type: 'number' },
    height: { type: 'number' },
    nodes: {
      type: 'array',
      items: { type: 'object', required: ['name', 'type', 'layer', 'x', 'y'], properties: { name: str, type: str, layer: int, x: { type: 'number' }, y: { type: 'number' } } },
    },
    edges: { type: 'array', items: { type: 'array', items: str, minItems: 2, maxItems: 2 } },
  },
} as const;

const names = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 256 }, maxItems: 10000 } as const;
/** What every transition body may carry (the flags of rc change/up/down/restart). */
const transitionFlags = {
  force: bool,
  timeoutMs: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 },
  jobs: { type: 'integer', minimum: 0, maximum: 65535 },
} as const;

export const changeBodySchema = {
  type: 'object',
  required: ['targets'],
  additionalProperties: false,
  properties: { targets: names, ...transitionFlags },
} as const;

export const actionBodySchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { ...transitionFlags, deps: bool },
} as const;

export const svcBodySchema = {
  type: 'object',
  required: ['letters'],
  additionalProperties: false,
  properties: { letters: { type: 'string', pattern: '^[udorkthiabq12pcyx]{1,17}$' } },
} as const;

export const nameParamsSchema = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 256 } } } as const;
export const actionParamsSchema = {
  type: 'object',
  required: ['name', 'action'],
  properties: { name: nameParamsSchema.properties.name, action: { type: 'string', enum: ['up', 'down', 'restart'] } },
} as const;

export const servicesQuerySchema = { type: 'object', additionalProperties: false, properties: { names: { type: 'string', maxLength: 65536 } } } as const;
export const planQuerySchema = { type: 'object', required: ['change'], additionalProperties: false, properties: { change: { type: 'string', minLength: 1, maxLength: 65536 } } } as const;
export const logsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { lines: { type: 'integer', minimum: 0, maximum: 10000, default: 100 }, follow: { type: 'string', enum: ['0', '1', 'true', 'false'] } },
} as const;
