// The OpenAPI 3.1 document served at /api/v1/openapi.json, built from the same route records fastify registers.
import type { RouteDef } from './context.js';

type Schema = { properties?: Record<string, unknown>; required?: readonly string[] } & Record<string, unknown>;

export const OPENAPI_URL = '/api/v1/openapi.json';

/** fastify's /a/:name → OpenAPI's /a/{name}. */
export const openApiPath = (url: string): string => url.replace(/:([A-Za-z_]+)/g, '{$1}');

function parameters(schema: Schema | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, s]) => ({ name, in: where, required: where === 'path' || (schema.required ?? []).includes(name), schema: s }));
}

function responses(r: RouteDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const declared = (r.schema.response ?? {}) as Record<string, unknown>;
  const ok = declared['200'];
  out['200'] = { description: 'success', content: { [r.produces]: ok ? { schema: ok } : {} } };
  for (const [code, schema] of Object.entries(declared)) {
    if (code !== '200') out[code.toUpperCase()] = { description: 'error: {exitCode, message, hint} with the CLI\'s exit codes', content: { 'application/json': { schema } } };
  }
  if (r.changes) {
    out['401'] = { description: 'no token, or a wrong one' };
    out['403'] = { description: 'changing requests are disabled (rc boot runs without --http-token-file)' };
  }
  return out;
}

function operation(r: RouteDef): unknown {
  const body = r.schema.body as Schema | undefined;
  return {
    summary: r.summary,
    parameters: [...parameters(r.schema.params as Schema | undefined, 'path'), ...parameters(r.schema.querystring as Schema | undefined, 'query')],
    ...(body ? { requestBody: { required: !(Array.isArray(body['type']) && body['type'].includes('null')), content: { 'application/json': { schema: body } } } } : {}),
    ...(r.changes ? { security: [{ bearer: [] }] } : {}),
    responses: responses(r),
  };
}

export function openApiDocument(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) (paths[openApiPath(r.url)] ??= {})[r.method.toLowerCase()] = operation(r);
  return {
    openapi: '3.1.0',
    info: { title: 'rc daemon HTTP API', version, description: 'Reading needs no token; every POST needs Authorization: Bearer TOKEN (rc boot --http-token-file).' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

/** The route that serves the document (it describes itself too). */
export function openApiRoute(all: () => readonly RouteDef[], version: string): RouteDef {
  let doc: Record<string, unknown> | null = null;
  return {
    method: 'GET',
    url: OPENAPI_URL,
    summary: 'This document',
    changes: false,
    produces: 'application/json',
    schema: {},
    handle: () => (doc ??= openApiDocument(all(), version)),
  };
}
