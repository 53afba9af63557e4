// What the oneshot waiter costs: one oneshot (`true`, and a `#!/bin/sh` script) run by the OneshotRunner
// directly (the floor) and under the waiter that records its outcome in LIVE/oneshots, interleaved, medians.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OneshotRunner } from '../lib/supervise/oneshot.js';
import { createSpawner } from '../lib/supervise/launcher.js';
import type { OutputSink } from '../lib/supervise/types.js';
import { median } from './stats.js';
import type { BenchResult } from './types.js';

const RUNS = 200;
const CONCURRENT = 200;

/** Output is read and dropped. */
const sink: OutputSink = { attach: (_service, _stream, source) => void source.resume() };

export async function run(): Promise<BenchResult[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'rc-bench-oneshot-'));
  try {
    const records = join(tmp, 'oneshots');
    mkdirSync(records, { mode: 0o700 });
    const script = join(tmp, 'up');
    writeFileSync(script, '#!/bin/sh\nexit 0\n');
    chmodSync(script, 0o755);
    const spawner = createSpawner({ env: process.env }); // what rc boot uses (posix_spawn where koffi loads)
    const runners = { direct: new OneshotRunner({ spawner }), waiter: new OneshotRunner({ spawner, records: { dir: records, shell: '/bin/sh' } }) };
    const once = async (mode: keyof typeof runners, argv: string[]): Promise<number> => {
      const t0 = performance.now();
      const r = await runners[mode].run({ name: 'bench', dir: tmp, argv, timeoutMs: 0, output: sink, direction: 'up' });
      if (!r.ok) throw new Error(`oneshot failed: ${r.message}`);
      return performance.now() - t0;
    };
    const results: BenchResult[] = [];
    for (const [label, argv] of [['`true`', ['true']], ['`#!/bin/sh` script', [script]]] as const) {
      const samples = { direct: [] as number[], waiter: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        // Interleaved, so the machine's load weighs on both alike.
        samples.direct.push(await once('direct', [...argv]));
        samples.waiter.push(await once('waiter', [...argv]));
      }
      results.push({ name: `oneshot ${label}, directly: median per run (${RUNS})`, value: median(samples.direct), unit: 'ms' });
      results.push({ name: `oneshot ${label}, under the waiter: median per run`, value: median(samples.waiter), unit: 'ms' });
    }
    for (const mode of ['direct', 'waiter'] as const) {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CONCURRENT }, () => once(mode, ['true'])));
      results.push({ name: `${CONCURRENT} concurrent \`true\` oneshots, ${mode === 'direct' ? 'directly' : 'under the waiter'}: wall`, value: performance.now() - t0, unit: 'ms' });
    }
    return results;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
