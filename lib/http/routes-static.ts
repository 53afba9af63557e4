// The routes that are not the JSON API proper: /metrics, the OpenAPI document, the graph layout, and the dashboard's files.
import type { RouteDef } from './context.js';
import { DASHBOARD_CSS, DASHBOARD_HTML } from './dashboard/page.js';
import { DASHBOARD_JS } from './dashboard/script.js';
import { layoutGraph } from './graph-layout.js';
import { graphSchema } from './schemas.js';

/** The dashboard loads only its own files (no CDN, no inline script). */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function asset(url: string, produces: RouteDef['produces'], body: string, summary: string): RouteDef {
  return {
    method: 'GET',
    url,
    summary,
    changes: false,
    produces,
    schema: {},
    handle: (_ctx, _req, reply) => reply.header('content-type', `${produces}; charset=utf-8`).header('content-security-policy', CSP).send(body),
  };
}

const metrics: RouteDef = {
  method: 'GET',
  url: '/metrics',
  summary: 'Prometheus metrics (text format 0.0.4): services, transitions, the daemon process',
  changes: false,
  produces: 'text/plain',
  schema: {},
  async handle(ctx, _req, reply) {
    const text = await ctx.metrics.text();
    return reply.header('content-type', ctx.metrics.registry.contentType).send(text);
  },
};

const graph: RouteDef = {
  method: 'GET',
  url: '/api/v1/graph',
  summary: 'The dependency graph of the compiled db, laid out in layers (dependencies left of their dependents)',
  changes: false,
  produces: 'application/json',
  schema: { response: { 200: graphSchema } },
  handle: (ctx) => layoutGraph(ctx.host.db.index.services),
};

export const STATIC_ROUTES: RouteDef[] = [
  metrics,
  graph,
  asset('/', 'text/html', DASHBOARD_HTML, 'The dashboard: services, graph, logs, actions'),
  asset('/dashboard.js', 'text/javascript', DASHBOARD_JS, 'The dashboard\'s script'),
  asset('/dashboard.css', 'text/css', DASHBOARD_CSS, 'The dashboard\'s style sheet'),
];
