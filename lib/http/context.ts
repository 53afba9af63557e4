// What the HTTP routes share: the daemon (as an adapter host with its db), the token, the SSE fan-out, the metrics.
import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { AdapterHost, Answer } from '../daemon/types.js';
import { bodyOf, fromApi, type HttpError } from './errors.js';
import type { DaemonMetrics } from './metrics.js';
import type { SseHub } from './sse-hub.js';
import type { SseOptions, SseStream } from './sse.js';

/** The daemon as the HTTP adapter sees it: the typed API plus the compiled db (for the graph). */
export type HttpHost = AdapterHost;

export interface HttpContext {
  readonly host: HttpHost;
  /** null: changing requests are disabled (no --http-token-file). */
  readonly token: string | null;
  readonly hub: SseHub;
  readonly metrics: DaemonMetrics;
  /** Every open SSE stream, ended when the daemon closes the adapter. */
  readonly streams: Set<SseStream>;
  readonly sse: SseOptions;
}

/** One route: registered with fastify and described in the OpenAPI document from this same record. */
export interface RouteDef {
  method: 'GET' | 'POST';
  /** fastify syntax: /api/v1/services/:name */
  url: string;
  summary: string;
  /** Changes state: needs the bearer token. */
  changes: boolean;
  /** The content type of a successful answer. */
  produces: 'application/json' | 'text/event-stream' | 'text/plain' | 'text/html' | 'text/javascript' | 'text/css';
  schema: FastifySchema;
  handle(ctx: HttpContext, req: FastifyRequest, reply: FastifyReply): unknown;
}

export const sendError = (reply: FastifyReply, e: HttpError): FastifyReply => reply.code(e.status).send(bodyOf(e));

/** Send an answer of the daemon API: its data shaped by `shape`, or its error with the matching HTTP status. */
export function sendAnswer<T>(reply: FastifyReply, a: Answer<T>, shape: (exitCode: number, data: T) => unknown): FastifyReply {
  return a.ok ? reply.code(200).send(shape(a.value.exitCode, a.value.data)) : sendError(reply, fromApi(a.error));
}

/** A comma-separated list of names (`?names=a,b`), blanks dropped. */
export const splitNames = (text: string | undefined): string[] => (text ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** Aborted when the client goes away before its answer was sent (a running transition is then cancelled, as with the CLI). */
export function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}
