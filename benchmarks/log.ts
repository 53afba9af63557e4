// Log benchmarks: prefixer throughput (ten producers → multiplexer → /dev/null) and the same
// through a pipeline into `rc log`.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { OutputMultiplexer } from '../lib/log/multiplexer.js';
import { PipelineSet } from '../lib/log/pipelines.js';
import { benchEnv, printCaCertsNote } from './child-env.js';
import { median } from './stats.js';
import type { BenchResult } from './types.js';

const outRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const producerJs = join(process.cwd(), 'test', 'fixtures', 'log', 'producer.mjs');
const rcJs = join(outRoot, 'cli', 'rc.js');
const PRODUCERS = 10;
const LINE = 100;

/** A Writable that writes synchronously to /dev/null (as process.stdout does when it is /dev/null). */
function devNull(): { stream: Writable; close: () => void } {
  const fd = openSync('/dev/null', 'w');
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      writeSync(fd, chunk);
      cb();
    },
  });
  return { stream, close: () => closeSync(fd) };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((res) => (child.exitCode !== null || child.signalCode !== null ? res() : child.once('exit', () => res())));
}

async function prefixer(bytesEach: number): Promise<BenchResult[]> {
  const out = devNull();
  const mux = new OutputMultiplexer({ stdout: out.stream, stderr: out.stream, format: 'plain', timestamps: false, color: false });
  const names = Array.from({ length: PRODUCERS }, (_, i) => `service-${i}`);
  mux.setNames(names);
  const t0 = performance.now();
  const children = names.map((name) => ({ name, child: spawn(process.execPath, [producerJs, name, String(bytesEach), String(LINE), 'same'], { stdio: ['ignore', 'pipe', 'inherit'], env: benchEnv() }) }));
  for (const { name, child } of children) mux.attach(name, 'stdout', child.stdout);
  await Promise.all(children.map(({ child }) => exited(child)));
  await mux.idle();
  const secs = (performance.now() - t0) / 1000;
  out.close();
  const { bytes, lines } = mux.stats();
  return [
    { name: 'log: prefixer, 10 producers × 100-byte lines → /dev/null', value: bytes / 1e6 / secs, unit: 'MB/s', target: '>= 100' },
    { name: 'log: prefixer lines/s', value: Math.round(lines / secs), unit: 'lines/s' },
  ];
}

function dirBytes(dir: string): number {
  let n = 0;
  if (!existsSync(dir)) return 0;
  for (const f of readdirSync(dir)) if (f === 'current' || f.endsWith('.s')) n += statSync(join(dir, f)).size;
  return n;
}

async function throughRcLog(bytesEach: number): Promise<BenchResult[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'rc-bench-log-'));
  const producers = Array.from({ length: PRODUCERS }, (_, i) => `p${i}`);
  const pipes = new PipelineSet(join(tmp, 'pipes'), [{ consumer: 'logger', producers }]);
  const opened = pipes.open();
  if (!opened.ok) throw new Error(opened.error.message);
  const logDir = join(tmp, 'log');
  const t0 = performance.now();
  const logger = spawn(process.execPath, [rcJs, 'log', '-d', logDir, '--max-size', '100000000', '--max-files', '100'], {
    stdio: [pipes.routing('logger').stdin, 'ignore', 'inherit'],
    env: benchEnv(),
  });
  const children = producers.map((name) => spawn(process.execPath, [producerJs, name, String(bytesEach), String(LINE), 'same'], { stdio: ['ignore', pipes.routing(name).stdout as number, 'inherit'], env: benchEnv() }));
  const input = bytesEach * PRODUCERS;
  // Each line gains an ISO-8601 stamp and a space (25 bytes) in the files.
  const expected = input + (input / LINE) * 25;
  try {
    while (dirBytes(logDir) < expected) await new Promise((r) => setTimeout(r, 10));
    const secs = (performance.now() - t0) / 1000;
    return [
      { name: 'log: pipeline, 10 producers → rc log (ISO stamps), input', value: input / 1e6 / secs, unit: 'MB/s' },
      { name: 'log: pipeline into rc log lines/s', value: Math.round(input / LINE / secs), unit: 'lines/s' },
    ];
  } finally {
    for (const c of children) c.kill('SIGKILL');
    logger.kill('SIGTERM');
    await Promise.all([...children, logger].map(exited));
    pipes.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `rc log` start-up: spawn, log one line from stdin, exit at EOF (median of 5). */
async function rcLogStartup(): Promise<BenchResult[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'rc-bench-log-'));
  const times: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const child = spawn(process.execPath, [rcJs, 'log', '-d', tmp], { stdio: ['pipe', 'ignore', 'inherit'], env: benchEnv() });
      child.stdin.end('one line\n');
      await exited(child);
      times.push(performance.now() - t0);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return [{ name: 'log: rc log start, write one line, exit (median of 5)', value: median(times), unit: 'ms' }];
}

export async function run(): Promise<BenchResult[]> {
  printCaCertsNote();
  return [...(await prefixer(30_000_000)), ...(await throughRcLog(20_000_000)), ...(await rcLogStartup())];
}
