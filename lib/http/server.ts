// The HTTP server (fastify, loaded lazily by adapter.ts): limits and timeouts, the token check, JSON errors, the routes, one event subscription.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import { ExitCode } from '../core/exit-codes.js';
import { bodyOf, notFound, refusal, usage } from './errors.js';
import type { HttpAddress } from './address.js';
import type { StatusRow } from '../daemon/types.js';
import { sendError, type HttpContext, type HttpHost, type RouteDef } from './context.js';
import { createMetrics } from './metrics.js';
import { openApiRoute } from './openapi.js';
import { API_ROUTES } from './routes-api.js';
import { STATIC_ROUTES } from './routes-static.js';
import { STREAM_ROUTES } from './routes-stream.js';
import { SseHub } from './sse-hub.js';
import { SSE_DEFAULTS, type SseOptions } from './sse.js';
import { checkBearer } from './token.js';

export interface HttpServerOptions {
  address: HttpAddress;
  token: string | null;
  /** Add the daemon's process_* / nodejs_* metrics (off in unit tests). */
  processMetrics: boolean;
  maxEventStreams?: number;
  sse?: SseOptions;
}

export interface RunningHttpServer {
  /** Where it listens (the port the system chose for port 0). */
  address: HttpAddress;
  app: FastifyInstance;
  close(): Promise<void>;
}

const API_VERSION = '1.0.0';
/** Requests are small: names and flags. */
const BODY_LIMIT = 64 * 1024;
/** A client must send its whole request within this time (slow clients cannot hold a connection). */
const REQUEST_TIMEOUT_MS = 10_000;
const KEEP_ALIVE_MS = 5_000;
const MAX_CONNECTIONS = 256;

/** Every route, the OpenAPI document's own included. */
export function allRoutes(): RouteDef[] {
  const routes: RouteDef[] = [...API_ROUTES, ...STREAM_ROUTES, ...STATIC_ROUTES];
  routes.push(openApiRoute(() => routes, API_VERSION));
  return routes;
}

/** Bound to loopback, only loopback Host headers are served (a page elsewhere cannot read the API through DNS rebinding). */
function hostAllowed(bound: string, header: string | undefined): boolean {
  if (!['127.0.0.1', '::1', 'localhost'].includes(bound)) return true;
  const name = (header ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return name === 'localhost' || isIP(name) !== 0;
}

function guard(ctx: HttpContext, address: HttpAddress) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    void reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer');
    if (!hostAllowed(address.host, req.headers.host)) {
      await sendError(reply, { status: 421, exitCode: ExitCode.usage, message: `Host '${req.headers.host ?? ''}' is not served: rc listens on loopback only`, hint: 'use http://127.0.0.1:PORT/ or http://localhost:PORT/' });
      return;
    }
    if (req.method !== 'POST') return;
    const check = checkBearer(ctx.token, req.headers.authorization);
    if (check === 'missing' || check === 'wrong') void reply.header('www-authenticate', 'Bearer realm="rc"');
    if (check !== 'ok') await sendError(reply, refusal(check));
  };
}

/** The fastify app with every route; `registered` lists what fastify registered (HEAD aside), for the OpenAPI check. */
export function buildApp(ctx: HttpContext, address: HttpAddress): { app: FastifyInstance; registered: { method: string; url: string }[] } {
  const registered: { method: string; url: string }[] = [];
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_MS,
    connectionTimeout: 0,
    forceCloseConnections: true,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: true },
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, useDefaults: true } },
  });
  // Bodies are JSON only (a text/plain POST is what a cross-site form could send).
  app.removeContentTypeParser('text/plain');
  app.server.headersTimeout = REQUEST_TIMEOUT_MS;
  app.server.maxConnections = MAX_CONNECTIONS;
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') registered.push({ method, url: r.url });
  });
  app.addHook('onRequest', guard(ctx, address));
  app.setNotFoundHandler((req, reply) => sendError(reply, notFound(req.method, req.url)));
  app.setErrorHandler((e: Error & { statusCode?: number; validation?: unknown }, _req, reply) => {
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status === 500) ctx.host.message(`error: http: ${e.stack ?? e.message}`);
    const err = status === 500 ? { status, exitCode: ExitCode.system, message: 'internal error (logged by rc boot)' } : { ...usage(e.message.replace(/^body\//, 'body: '), 'see /api/v1/openapi.json'), status };
    return reply.code(status).send(bodyOf(err));
  });
  for (const r of allRoutes()) {
    app.route({ method: r.method, url: r.url, schema: r.schema, handler: (req, reply) => r.handle(ctx, req, reply) });
  }
  return { app, registered };
}

/** Build, subscribe and listen; a failure to listen is an error naming the address. */
export async function startHttpServer(host: HttpHost, o: HttpServerOptions): Promise<RunningHttpServer> {
  const metrics = createMetrics({ rows: () => rowsOf(host), typeOf: (n) => typeOfName(host, n), hasHealthCheck: (n) => hasHealthCheck(host, n) }, o.processMetrics);
  const hub = new SseHub(o.maxEventStreams ?? 64);
  const ctx: HttpContext = { host, token: o.token, hub, metrics, streams: new Set(), sse: o.sse ?? SSE_DEFAULTS };
  const { app } = buildApp(ctx, o.address);
  const unsubscribe = new AbortController();
  host.subscribe((e) => {
    if (e.kind === 'snapshot') return;
    if (e.kind === 'event') metrics.observe(e.event);
    hub.publish(e);
  }, unsubscribe.signal);
  const close = async (): Promise<void> => {
    unsubscribe.abort();
    for (const s of [...ctx.streams]) s.end();
    await app.close();
  };
  try {
    await app.listen({ host: o.address.host, port: o.address.port });
  } catch (e) {
    await close();
    throw e;
  }
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : o.address.port;
  return { address: { host: o.address.host, port }, app, close };
}

function typeOfName(host: HttpHost, name: string): string | undefined {
  const r = host.db.resolve(name);
  return r?.kind === 'atomic' ? host.db.service(r.index).type : undefined;
}

function rowsOf(host: HttpHost): StatusRow[] {
  const a = host.status([]);
  return a.ok ? a.value.data.services : [];
}

function hasHealthCheck(host: HttpHost, name: string): boolean {
  const r = host.db.resolve(name);
  if (r?.kind !== 'atomic') return false;
  const s = host.db.service(r.index);
  return s.type === 'longrun' && s.health !== undefined;
}
