// The streaming routes: /api/v1/events (every daemon event, SSE) and a service's logs (recent lines, or followed as SSE).
import type { FastifyReply } from 'fastify';
import { ExitCode } from '../core/exit-codes.js';
import { sendAnswer, sendError, type HttpContext, type RouteDef } from './context.js';
import * as s from './schemas.js';
import { SseStream } from './sse.js';

const errors = { '4xx': s.errorSchema, '5xx': s.errorSchema };
const busy = { status: 503, exitCode: ExitCode.system, message: 'too many event streams are open', hint: 'close another /api/v1/events stream, or try again later' };

/** Take the response over from fastify and open an SSE stream on it, tracked for the adapter's close. */
function openStream(ctx: HttpContext, reply: FastifyReply): SseStream {
  reply.hijack();
  const stream = new SseStream(reply.raw, ctx.sse);
  ctx.streams.add(stream);
  stream.onClose(() => ctx.streams.delete(stream));
  return stream;
}

const events: RouteDef = {
  method: 'GET',
  url: '/api/v1/events',
  summary: 'Server-Sent Events: a `snapshot` (the status), then every daemon event as an `event`, in order',
  changes: false,
  produces: 'text/event-stream',
  schema: { response: errors },
  handle(ctx, _req, reply) {
    if (ctx.hub.full) return sendError(reply, busy);
    const status = ctx.host.status([]);
    if (!status.ok) return sendError(reply, { status: 500, ...status.error });
    const stream = openStream(ctx, reply);
    ctx.hub.add(stream, { kind: 'snapshot', ...status.value.data });
  },
};

const logs: RouteDef = {
  method: 'GET',
  url: '/api/v1/services/:name/logs',
  summary: 'A service\'s recent output lines (?lines=N, default 100); with ?follow=1, those then every new line as SSE `log` events',
  changes: false,
  produces: 'application/json',
  schema: { params: s.nameParamsSchema, querystring: s.logsQuerySchema, response: { 200: s.logsSchema, ...errors } },
  handle(ctx, req, reply) {
    const { name } = req.params as { name: string };
    const { lines, follow } = req.query as { lines: number; follow?: string };
    const recent = ctx.host.logs([name], lines);
    if (!recent.ok || (follow !== '1' && follow !== 'true')) return sendAnswer(reply, recent, (_c, d) => d);
    const stream = openStream(ctx, reply);
    const gone = new AbortController();
    stream.onClose(() => gone.abort());
    ctx.host.followLogs([name], lines, { signal: gone.signal, onEvent: (e) => void stream.send(e.kind, e) });
  },
};

export const STREAM_ROUTES: RouteDef[] = [events, logs];
