// Demo data store: keys and values in one JSON file, served over HTTP on a Unix socket.
// GET /kv → all keys; GET|PUT|DELETE /kv/KEY. Ready (s6 protocol) once listening.
import { closeSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { dataDir, socketPath } from './kv.mjs';

const dir = dataDir();
const file = join(dir, 'store.json');
const sock = socketPath();
const log = (msg) => console.log(msg);

function load() {
  if (!existsSync(file)) return new Map();
  return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8'))));
}

const data = load();

function save() {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(Object.fromEntries(data), null, 1));
  renameSync(tmp, file);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://store');
  if (url.pathname === '/kv' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([...data.keys()].sort()));
    return;
  }
  const m = /^\/kv\/(.+)$/.exec(url.pathname);
  if (!m) return void res.writeHead(404).end('no such path\n');
  const key = decodeURIComponent(m[1]);
  if (req.method === 'GET') {
    if (!data.has(key)) return void res.writeHead(404).end('no such key\n');
    return void res.writeHead(200).end(data.get(key));
  }
  if (req.method === 'PUT') {
    data.set(key, await readBody(req));
    save();
    return void res.writeHead(204).end();
  }
  if (req.method === 'DELETE') {
    const had = data.delete(key);
    if (had) save();
    return void res.writeHead(had ? 204 : 404).end();
  }
  res.writeHead(405).end('method not allowed\n');
}

/** Fail if another store answers on the socket; remove a stale socket file otherwise. */
function claimSocket() {
  return new Promise((resolve, reject) => {
    if (!existsSync(sock)) return resolve();
    const probe = connect(sock);
    probe.on('connect', () => {
      probe.destroy();
      reject(new Error(`another store is already listening on ${sock}`));
    });
    probe.on('error', () => {
      unlinkSync(sock);
      resolve();
    });
  });
}

/** s6 readiness: a newline on the fd named in ./notification-fd (absent when run by hand). */
function notifyReady() {
  let fd = 3;
  try {
    fd = Number(readFileSync('notification-fd', 'utf8').trim()) || 3;
  } catch {}
  try {
    writeSync(fd, '\n');
    closeSync(fd);
  } catch {
    // not started by a supervisor that listens for readiness
  }
}

mkdirSync(dir, { recursive: true, mode: 0o700 });
await claimSocket();
const server = createServer((req, res) =>
  handle(req, res).catch((e) => res.writeHead(500).end(`${e.message}\n`)),
);
server.listen(sock, () => {
  log(`${data.size} keys loaded from ${file}; listening on ${sock}`);
  notifyReady();
});

function shutdown(signal) {
  log(`${signal}: closing`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
