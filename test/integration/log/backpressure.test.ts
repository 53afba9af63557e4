// The output multiplexer with real processes: a slow reader applies back-pressure, memory stays bounded.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, outRoot } from '../../helpers/paths.js';
import { Procs, collect, exited } from './proc.js';

const SERVICES = 10;
const BYTES_EACH = 20_000_000;
const LINE = 100;

/** Checks every line: whole, prefixed with the service that wrote it, numbers consecutive per service. */
class LineChecker {
  readonly next = new Map<string, number>();
  #carry = '';
  lines = 0;
  problems: string[] = [];

  feed(chunk: Buffer): void {
    const lines = (this.#carry + chunk.toString('latin1')).split('\n');
    this.#carry = lines.pop()!;
    for (const line of lines) this.#check(line);
  }

  #check(line: string): void {
    this.lines++;
    const m = /^(service-\d+) \| (service-\d+) (\d+) x+$/.exec(line);
    if (m === null || m[1] !== m[2] || line.length !== 'service-0 | '.length + LINE - 1) {
      if (this.problems.length < 5) this.problems.push(`malformed line ${this.lines}: ${line.slice(0, 120)}`);
      return;
    }
    const [, service = '', , seq] = m;
    const want = this.next.get(service) ?? 0;
    if (Number(seq) !== want && this.problems.length < 5) this.problems.push(`${service}: expected ${want}, got ${seq}`);
    this.next.set(service, Number(seq) + 1);
  }
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited
  }
}

describe('log/multiplexer back-pressure (real processes)', function () {
  this.timeout(60_000);
  const procs = new Procs();
  afterEach(() => procs.killAll());

  it('ten services writing 20 MB each to a slow reader: no line lost or mixed, RSS stays under 150 MB', async () => {
    const runner = procs.spawn(process.execPath, [join(fixturesDir, 'log', 'mux-runner.mjs'), outRoot, String(SERVICES), String(BYTES_EACH)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const report = collect(runner.stderr);
    let peakKb = 0;
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, rssKb(runner.pid!))), 25);
    const checker = new LineChecker();
    const out = runner.stdout!;
    // The slow reader: nothing at all for the first second, then at most 2 MB per 50 ms.
    out.pause();
    const stalled = setTimeout(() => out.resume(), 1000);
    let budget = 2_000_000;
    out.on('data', (chunk: Buffer) => {
      checker.feed(chunk);
      budget -= chunk.length;
      if (budget > 0) return;
      out.pause();
      setTimeout(() => {
        budget = 2_000_000;
        out.resume();
      }, 50);
    });
    // 'exit' can come before the slow reader has drained the pipe: wait for the end of stdout too.
    const ended = new Promise<void>((resolve) => out.once('end', () => resolve()));
    try {
      expect(await exited(runner)).to.deep.equal({ code: 0, signal: null });
      await ended;
    } finally {
      clearInterval(sampler);
      clearTimeout(stalled);
    }
    const stats = JSON.parse((await report).trim()) as { maxRssKb: number; pauses: number; lines: number };
    expect(checker.problems).to.deep.equal([]);
    expect(checker.lines).to.equal((SERVICES * BYTES_EACH) / LINE);
    for (let i = 0; i < SERVICES; i++) expect(checker.next.get(`service-${i}`)).to.equal(BYTES_EACH / LINE);
    expect(stats.pauses, 'the destination pushed back').to.be.greaterThan(0);
    expect(Math.max(peakKb, stats.maxRssKb), 'peak RSS (kB)').to.be.below(150 * 1024);
  });
});
