// The native floor (benchmarks/native/floor.c): finding its source, compiling it with cc -O2, reading its report.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What floor.c prints (one JSON object; times in ms). */
export interface FloorReport {
  n: number;
  start_spawned_ms: number;
  start_running_ms: number;
  restarts: number;
  restart_p50_ms: number;
  restart_p95_ms: number;
  respawn_p50_ms: number;
  stop_all_ms: number;
  reaped: number;
  pss_mib: number;
}

const FIELDS: readonly (keyof FloorReport)[] = ['n', 'start_spawned_ms', 'start_running_ms', 'restarts', 'restart_p50_ms', 'restart_p95_ms', 'respawn_p50_ms', 'stop_all_ms', 'reaped', 'pss_mib'];

/** benchmarks/native/floor.c of this checkout: looked for above the built file (dist/benchmarks/ or .build/NAME/benchmarks/). */
export function floorSource(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'benchmarks', 'native', 'floor.c');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`benchmarks/native/floor.c not found above ${dirname(fileURLToPath(import.meta.url))}`);
    dir = up;
  }
}

/** Compile floor.c into DIR/floor with `cc -O2`; throws with cc's message when it fails. */
export function compileFloor(dir: string): string {
  const out = join(dir, 'floor');
  const r = spawnSync('cc', ['-O2', '-Wall', '-o', out, floorSource()], { encoding: 'utf8' });
  if (r.error) throw new Error(`cc could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`cc -O2 floor.c failed (exit ${r.status}): ${r.stderr.trim()}`);
  return out;
}

/** Parse the floor's stdout (its last line); throws when a field is missing or not a number. */
export function parseFloorReport(stdout: string): FloorReport {
  const line = stdout.trim().split('\n').pop() ?? '';
  const data = JSON.parse(line) as Record<string, unknown>;
  for (const f of FIELDS) {
    if (typeof data[f] !== 'number') throw new Error(`the floor's report has no number "${f}": ${line}`);
  }
  return data as unknown as FloorReport;
}
