// Test helper for the demo: start its programs as rc would (cwd = service dir, RC_LIVE set), and poll them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sourceDbDir } from '../../helpers/paths.js';

export const demoDir = join(sourceDbDir, 'demo');

export class Procs {
  readonly all: ChildProcess[] = [];

  /** `sh ./run` in the service dir, stdout/stderr piped, fd 3 a pipe (notification-fd). */
  run(service: string, env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn('sh', ['./run'], { cwd: join(demoDir, service), env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    this.all.push(child);
    return child;
  }

  killAll(): Promise<void> {
    const alive = this.all.filter((c) => c.exitCode === null && c.signalCode === null);
    for (const c of alive) c.kill('SIGKILL');
    this.all.length = 0;
    return Promise.all(alive.map((c) => new Promise((r) => c.once('exit', r)))).then(() => undefined);
  }
}

/** Resolve with the text read on the child's fd 3 up to and including the first newline. */
export function readinessLine(child: ChildProcess, timeoutMs = 10_000): Promise<string> {
  const fd3 = child.stdio[3] as NodeJS.ReadableStream;
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no readiness newline within ${timeoutMs} ms`)), timeoutMs);
    fd3.setEncoding('utf8');
    fd3.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

export const exitOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Poll `probe` every 50 ms until it returns a value, or fail after the deadline. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Collect a stream's text as it arrives. */
export function collect(stream: NodeJS.ReadableStream | null): { text: () => string } {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (c: string) => (text += c));
  return { text: () => text };
}
