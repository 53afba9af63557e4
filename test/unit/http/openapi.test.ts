// The OpenAPI document describes exactly the routes fastify registers: same paths, same methods, tokens on every POST.
import { expect } from 'chai';
import type { HttpContext } from '../../../lib/http/context.js';
import { openApiDocument, openApiPath } from '../../../lib/http/openapi.js';
import { allRoutes, buildApp } from '../../../lib/http/server.js';

describe('http OpenAPI document', () => {
  it('lists every registered route and nothing else', async () => {
    const { app, registered } = buildApp({ token: null } as unknown as HttpContext, { host: '127.0.0.1', port: 0 });
    await app.ready();
    const doc = openApiDocument(allRoutes(), '1') as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).to.deep.equal(registered.map((r) => `${r.method} ${openApiPath(r.url)}`).sort());
    expect(documented).to.include.members(['GET /api/v1/services', 'GET /api/v1/services/{name}', 'GET /api/v1/plan', 'POST /api/v1/change', 'POST /api/v1/services/{name}/restart', 'POST /api/v1/services/{name}/svc', 'GET /api/v1/events', 'GET /api/v1/services/{name}/logs', 'GET /metrics', 'GET /api/v1/openapi.json', 'GET /']);
    await app.close();
  });

  it('marks every POST as needing the bearer token, and no GET', () => {
    const doc = openApiDocument(allRoutes(), '1') as { paths: Record<string, Record<string, { security?: unknown; parameters: { name: string; in: string }[] }>> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.security !== undefined, `${method} ${path}`).to.equal(method === 'post');
        for (const name of path.match(/\{(\w+)\}/g) ?? []) expect(op.parameters.some((p) => p.in === 'path' && `{${p.name}}` === name), `${path} ${name}`).to.equal(true);
      }
    }
  });
});
