// Test helpers for real processes: spawn tracking (killed in afterEach), exit and polling.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export class Procs {
  readonly #all = new Set<ChildProcess>();

  spawn(cmd: string, args: string[], options: SpawnOptions): ChildProcess {
    const child = spawn(cmd, args, options);
    this.#all.add(child);
    child.once('exit', () => this.#all.delete(child));
    return child;
  }

  /** SIGKILL whatever is still running and wait for it. */
  async killAll(): Promise<void> {
    const left = [...this.#all];
    for (const c of left) c.kill('SIGKILL');
    await Promise.all(left.map(exited));
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function exited(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Poll `check` every 10 ms until it returns true, or fail after `ms`. */
export async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Everything a stream says, as a string, once it ends. */
export function collect(stream: NodeJS.ReadableStream | null): Promise<string> {
  return new Promise((resolve) => {
    if (stream === null) return resolve('');
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    stream.on('end', () => resolve(text));
  });
}
