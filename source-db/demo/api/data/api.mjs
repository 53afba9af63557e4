// Demo HTTP API on 127.0.0.1:$DEMO_API_PORT (default 8787), backed by the store.
//   GET /health  200 when the store answers and the schema is migrated, else 503 (ready-http polls it)
//   GET /notes   all notes          POST /notes  {"text": "..."} → 201 with the note
//   GET /notes/N one note           GET /        a short help text
// Access log lines go to stdout (the pipeline to api-log, which timestamps them); lifecycle
// messages to stderr.
import { createServer } from 'node:http';
import { get, keys, put } from './kv.mjs';

const SCHEMA = 2;
const port = Number(process.env.DEMO_API_PORT ?? 8787);
const host = process.env.DEMO_API_HOST ?? '127.0.0.1';

const send = (res, status, body) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);

async function health(res) {
  try {
    const version = Number((await get('schema:version')) ?? 0);
    if (version < SCHEMA) return send(res, 503, { ok: false, reason: `schema at version ${version}, need ${SCHEMA}` });
    return send(res, 200, { ok: true, schema: version });
  } catch (e) {
    return send(res, 503, { ok: false, reason: `store unreachable: ${e.message}` });
  }
}

function readJson(req) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(body));
      } catch {
        resolve(null);
      }
    });
  });
}

async function notes(req, res, id) {
  if (req.method === 'GET' && id === undefined) {
    const all = await Promise.all((await keys('notes:')).map((k) => get(k)));
    return send(res, 200, all.filter(Boolean).map((n) => JSON.parse(n)).sort((a, b) => a.id - b.id));
  }
  if (req.method === 'GET') {
    const note = await get(`notes:${id}`);
    return note === null ? send(res, 404, { error: `no note ${id}` }) : send(res, 200, JSON.parse(note));
  }
  if (req.method === 'POST' && id === undefined) {
    const body = await readJson(req);
    if (!body || typeof body.text !== 'string') return send(res, 400, { error: 'expected {"text": "..."}' });
    const ids = (await keys('notes:')).map((k) => Number(k.slice(6)));
    const note = { id: Math.max(0, ...ids) + 1, text: body.text };
    await put(`notes:${note.id}`, JSON.stringify(note));
    return send(res, 201, note);
  }
  return send(res, 405, { error: 'method not allowed' });
}

async function route(req, res) {
  const path = new URL(req.url ?? '/', 'http://api').pathname;
  if (path === '/health') return health(res);
  const visits = Number((await get('counter:visits')) ?? 0) + 1;
  await put('counter:visits', String(visits));
  if (path === '/notes') return notes(req, res);
  const m = /^\/notes\/(\d+)$/.exec(path);
  if (m) return notes(req, res, Number(m[1]));
  if (path === '/') return send(res, 200, { visits, try: ['GET /notes', 'POST /notes {"text":"hi"}', 'GET /health'] });
  return send(res, 404, { error: `no route ${path}` });
}

const server = createServer((req, res) => {
  const t0 = performance.now();
  res.on('finish', () =>
    console.log(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - t0).toFixed(1)}ms`),
  );
  route(req, res).catch((e) => send(res, 500, { error: e.message }));
});
server.on('error', (e) => {
  console.error(`cannot listen on ${host}:${port}: ${e.message}`);
  process.exit(111);
});
server.listen(port, host, () => console.error(`listening on http://${host}:${port}`));

function shutdown(signal) {
  console.error(`${signal}: closing`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
