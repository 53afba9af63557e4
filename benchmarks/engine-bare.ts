// Baseline for benchmarks/engine.ts: a bare Node script that spawns the same processes as the db, with no orchestration.
// Usage: node engine-bare.js COMPILED  → prints {"upMs": N} once every oneshot has exited 0 and every longrun is spawned,
// then kills the longruns and exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DbIndex } from '../lib/db/types.js';

const dir = process.argv[2]!;
const index = JSON.parse(readFileSync(join(dir, 'db.json'), 'utf8')) as DbIndex;
const t0 = performance.now();
const longruns: ChildProcess[] = [];
const waits: Promise<void>[] = [];
for (const s of index.services) {
  const cwd = join(dir, 'servicedirs', s.name);
  if (s.type === 'longrun') {
    const child = spawn(join(cwd, 'run'), [], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    longruns.push(child);
    waits.push(new Promise((resolve) => child.once('spawn', () => resolve())));
  } else if (s.up.length > 0) {
    const child = spawn(s.up[0]!, s.up.slice(1), { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    waits.push(new Promise((resolve) => child.once('exit', () => resolve())));
  }
}
await Promise.all(waits);
const upMs = performance.now() - t0;
for (const c of longruns) {
  try {
    process.kill(-c.pid!, 'SIGKILL');
  } catch {
    // gone
  }
}
process.stdout.write(`${JSON.stringify({ upMs })}\n`);
process.exit(0);
