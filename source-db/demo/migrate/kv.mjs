// Demo: where the store keeps its data and socket, and a tiny client for it (HTTP over a Unix socket).
// Every service dir of the demo holds an identical copy of this file: rc copies service
// directories one by one, so a service cannot import from a sibling's folder.
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** DEMO_DATA_DIR, else $RC_LIVE/demo-data (the daemon exports RC_LIVE), else a temp folder. */
export function dataDir(env = process.env) {
  if (env.DEMO_DATA_DIR) return env.DEMO_DATA_DIR;
  if (env.RC_LIVE) return join(env.RC_LIVE, 'demo-data');
  return join(tmpdir(), `rc-demo-data-${process.getuid?.() ?? 'user'}`);
}

export const socketPath = (env = process.env) => join(dataDir(env), 'store.sock');

/** One request to the store; resolves { status, body } or rejects on a connection error. */
export function kv(method, key, value, env = process.env) {
  const path = key === undefined ? '/kv' : `/kv/${encodeURIComponent(key)}`;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socketPath(env), method, path, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('store did not answer within 5 s')));
    req.on('error', reject);
    req.end(value);
  });
}

/** The value of a key, or null when it is not set. */
export async function get(key, env) {
  const r = await kv('GET', key, undefined, env);
  if (r.status === 404) return null;
  if (r.status !== 200) throw new Error(`store: GET ${key}: HTTP ${r.status} ${r.body}`);
  return r.body;
}

export async function put(key, value, env) {
  const r = await kv('PUT', key, value, env);
  if (r.status !== 204) throw new Error(`store: PUT ${key}: HTTP ${r.status} ${r.body}`);
}

export async function del(key, env) {
  const r = await kv('DELETE', key, undefined, env);
  if (r.status !== 204 && r.status !== 404) throw new Error(`store: DELETE ${key}: HTTP ${r.status} ${r.body}`);
}

/** Every key starting with `prefix`, sorted. */
export async function keys(prefix = '', env) {
  const r = await kv('GET', undefined, undefined, env);
  if (r.status !== 200) throw new Error(`store: list: HTTP ${r.status} ${r.body}`);
  return JSON.parse(r.body).filter((k) => k.startsWith(prefix));
}
