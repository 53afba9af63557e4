// Pipelines with real processes: FIFOs per consumer, no line lost across producer exits and logger restarts.
import { expect } from 'chai';
import { existsSync, lstatSync, mkdirSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createFifoOps, type FifoOps } from '../../../lib/sys/fifo.js';
import { PipelineSet } from '../../../lib/log/pipelines.js';
import type { StdioTarget } from '../../../lib/log/types.js';
import { fixturesDir, rcBin, tempDir } from '../../helpers/paths.js';
import { Procs, exited, waitFor } from './proc.js';

const ticker = join(fixturesDir, 'log', 'ticker.mjs');

/** The fd a pipeline end routes to (a pipeline end is always a held fd). */
const fdOf = (target: StdioTarget): number => {
  if (typeof target !== 'number') throw new Error(`expected a pipe fd, got '${target}'`);
  return target;
};

describe('log/pipelines', function () {
  this.timeout(30_000);
  const procs = new Procs();
  let tmp: { path: string; cleanup: () => void };
  let sets: PipelineSet[];
  beforeEach(() => {
    tmp = tempDir('rc-pipes-');
    sets = [];
  });
  afterEach(async () => {
    await procs.killAll();
    for (const s of sets) s.close();
    tmp.cleanup();
  });

  const openSet = (specs: { consumer: string; producers: string[] }[], ops?: FifoOps): PipelineSet => {
    const set = new PipelineSet(join(tmp.path, 'pipes'), specs, ops);
    sets.push(set);
    const opened = set.open();
    expect(opened.ok, opened.ok ? '' : opened.error.message).to.equal(true);
    return set;
  };
  const logDir = (): string => join(tmp.path, 'log');
  const logged = (): string[] => {
    const f = join(logDir(), 'current');
    return existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(0, -1) : [];
  };
  const startLogger = (set: PipelineSet) =>
    procs.spawn(process.execPath, [rcBin, 'log', '-d', logDir(), '--timestamp', 'none'], { stdio: [set.routing('logger').stdin, 'ignore', 'inherit'] });

  it('close removes its FIFOs, but not a FIFO that replaced one of them at the same path', () => {
    const a = openSet([{ consumer: 'logger', producers: ['api'] }]);
    const b = openSet([{ consumer: 'other', producers: ['x'] }]);
    // A new daemon on a replaced live dir: its own FIFO under the same path as b's.
    rmSync(b.fifoPath('other'));
    const c = openSet([{ consumer: 'other', producers: ['y'] }]);
    a.close();
    b.close();
    expect(existsSync(a.fifoPath('logger'))).to.equal(false);
    expect(lstatSync(c.fifoPath('other')).isFIFO()).to.equal(true);
  });

  it('creates one FIFO per consumer and routes producers, consumers and chains', () => {
    const set = openSet([
      { consumer: 'logger', producers: ['api', 'worker'] },
      { consumer: 'shipper', producers: ['logger'] },
    ]);
    expect(lstatSync(set.fifoPath('logger')).isFIFO()).to.equal(true);
    expect(lstatSync(set.fifoPath('shipper')).isFIFO()).to.equal(true);
    const api = set.routing('api');
    expect(api.stdin).to.equal('ignore');
    expect(api.stdout).to.be.a('number');
    expect(api.stderr).to.equal('sink');
    const logger = set.routing('logger');
    expect(logger.stdin).to.be.a('number');
    expect(logger.stdout).to.be.a('number'); // a chain: logger also produces for shipper
    expect(set.routing('shipper')).to.deep.include({ stdout: 'sink', stderr: 'sink' });
    expect(set.routing('other')).to.deep.equal({ stdin: 'ignore', stdout: 'sink', stderr: 'sink' });
    // bytes written on a producer's end come out of its consumer's end
    writeSync(fdOf(set.routing('worker').stdout), 'hello\n');
    const buf = Buffer.alloc(16);
    const n = readSync(fdOf(logger.stdin), buf);
    expect(buf.toString('utf8', 0, n)).to.equal('hello\n');
    set.close();
    expect(existsSync(set.fifoPath('logger'))).to.equal(false);
  });

  it('reports a path in the way and inconsistent pipelines as errors', () => {
    mkdirSync(join(tmp.path, 'pipes'));
    writeFileSync(join(tmp.path, 'pipes', 'logger'), '');
    const blocked = new PipelineSet(join(tmp.path, 'pipes'), [{ consumer: 'logger', producers: ['a'] }]);
    const r = blocked.open();
    expect(r.ok === false && r.error.kind).to.equal('not-a-fifo');
    const twice = new PipelineSet(join(tmp.path, 'pipes2'), [
      { consumer: 'l1', producers: ['a'] },
      { consumer: 'l2', producers: ['a'] },
    ]);
    const t = twice.open();
    expect(t.ok === false && t.error).to.deep.include({ kind: 'invalid', message: "producer 'a' feeds both 'l1' and 'l2'" });
    expect(existsSync(join(tmp.path, 'pipes2'))).to.equal(false);
  });

  it('makes pipe ends blocking again before each spawn', () => {
    const cleared: number[] = [];
    const real = createFifoOps();
    const set = openSet([{ consumer: 'logger', producers: ['api'] }], { mkfifo: real.mkfifo.bind(real), clearNonBlock: (fd) => cleared.push(fd) });
    const out = fdOf(set.routing('api').stdout);
    const inp = fdOf(set.routing('logger').stdin);
    expect(cleared).to.deep.equal([out, inp]);
  });

  it('producers that exit or write before the logger runs lose nothing (no EOF, no EPIPE)', async () => {
    const set = openSet([{ consumer: 'logger', producers: ['p'] }]);
    const say = async (text: string) => {
      const sh = procs.spawn('sh', ['-c', `echo ${text}`], { stdio: ['ignore', fdOf(set.routing('p').stdout), 'inherit'] });
      expect(await exited(sh)).to.deep.equal({ code: 0, signal: null });
    };
    await say('early'); // no logger yet: the bytes wait in the pipe
    const logger = startLogger(set);
    await waitFor(() => logged().length === 1, 10_000, 'the early line');
    await say('second'); // a new producer process after the first one exited
    await waitFor(() => logged().length === 2, 10_000, 'the second line');
    expect(logger.exitCode).to.equal(null); // the producer exiting did not end its input
    expect(logged()).to.deep.equal(['early', 'second']);
  });

  it('a logger restarted ten times gets every line of its producer, in order, once', async () => {
    const set = openSet([{ consumer: 'logger', producers: ['ticker'] }]);
    const producer = procs.spawn(process.execPath, [ticker, '1'], { stdio: ['ignore', fdOf(set.routing('ticker').stdout), 'inherit'] });
    for (let restart = 0; restart < 10; restart++) {
      const logger = startLogger(set);
      const before = logged().length;
      await waitFor(() => logged().length > before + 20, 10_000, `logger ${restart} to write lines`);
      logger.kill('SIGTERM');
      expect(await exited(logger)).to.deep.equal({ code: 0, signal: null });
    }
    const last = startLogger(set);
    await waitFor(() => logged().length > 0 && !logged().at(-1)!.startsWith('end'), 10_000, 'the last logger');
    producer.kill('SIGTERM');
    expect((await exited(producer)).code).to.equal(0);
    await waitFor(() => logged().at(-1)?.startsWith('end') === true, 10_000, 'the end line');
    last.kill('SIGTERM');
    await exited(last);

    const lines = logged();
    const end = Number(lines.pop()!.split(' ')[1]);
    expect(end).to.be.greaterThan(200);
    const numbers = lines.map(Number);
    const wrong = numbers.findIndex((n, i) => n !== i + 1);
    expect(wrong, `line ${wrong + 1} is '${lines[wrong]}'`).to.equal(-1);
    expect(numbers.length).to.equal(end);
  });
});
