// Health checks (rc extensions health-tcp, health-http, health-cmd): one try each, with its outcome's text.
import type { HealthCheck } from '../db/types.js';
import type { CheckOutcome, HealthAttempt } from './health.js';
import { httpTry, settleOnce, tcpTry, type ProbeContext } from './probes.js';

/** At most this much of a check command's output is kept (its end: the last lines say why). */
export const MAX_CHECK_OUTPUT = 2048;

const timedOut = (ms: number) => (): CheckOutcome => ({ ok: false, output: `timed out after ${ms} ms` });

/** After the check's exit, its output pipes get this long to deliver what is left (a background child may hold them). */
const OUTPUT_GRACE_MS = 100;

/** What a check command writes (its last MAX_CHECK_OUTPUT bytes), and whether its pipes have closed. */
class Collected {
  text = '';
  #open = 0;
  #onClosed: (() => void) | null = null;

  add(stream: NodeJS.ReadableStream | null): void {
    if (!stream) return;
    this.#open++;
    stream.on('data', (chunk: Buffer | string) => {
      this.text += chunk.toString();
      if (this.text.length > 2 * MAX_CHECK_OUTPUT) this.text = this.text.slice(-MAX_CHECK_OUTPUT);
    });
    stream.on('error', () => undefined);
    stream.once('close', () => {
      if (--this.#open === 0) this.#onClosed?.();
    });
  }

  /** Call `fn` once every pipe has closed (at once if they have). */
  whenClosed(fn: () => void): void {
    if (this.#open === 0) fn();
    else this.#onClosed = fn;
  }
}

function cmd(argv: string[], ctx: ProbeContext, ms: number): HealthAttempt {
  return (signal) =>
    settleOnce(ctx.clock, ms, signal, timedOut(ms), (done) => {
      const child = ctx.spawner.spawn({
        file: argv[0] ?? 'true',
        args: argv.slice(1),
        cwd: ctx.dir,
        env: ctx.env,
        stdio: { stdin: 'ignore', stdout: 'sink', stderr: 'sink' },
      });
      const out = new Collected();
      out.add(child.stdout);
      out.add(child.stderr);
      let ended = false;
      child.onEnd((end) => {
        ended = true;
        if (end.kind === 'spawn-error') return done({ ok: false, output: `cannot run ${argv[0]}: ${end.message}` });
        const report = (): void => {
          grace.cancel();
          const text = out.text.slice(-MAX_CHECK_OUTPUT).trim();
          const how = end.signal !== null ? `killed by ${end.signal}` : `exit ${end.code}`;
          done({ ok: end.code === 0, output: end.code === 0 ? text : `${how}${text ? `: ${text}` : ''}` });
        };
        const grace = ctx.clock.setTimer(OUTPUT_GRACE_MS, report);
        out.whenClosed(report);
      });
      // On timeout or stop: the whole process group of the check goes.
      return () => {
        if (!ended && child.pid !== undefined) ctx.spawner.killGroup(child.pid, 'SIGKILL');
      };
    });
}

/** Build the attempt function of a health check; one try lasts at most `timeoutMs`. */
export function healthAttempt(check: HealthCheck, ctx: ProbeContext): HealthAttempt {
  const ms = check.timeoutMs;
  switch (check.kind) {
    case 'tcp':
      return (signal) => tcpTry(check.host, check.port, ctx.clock, ms, signal);
    case 'http':
      return (signal) => httpTry(check.url, ctx.clock, ms, signal);
    case 'cmd':
      return cmd(check.argv, ctx, ms);
  }
}

/** A short human description, for messages. */
export function describeHealthCheck(check: HealthCheck): string {
  switch (check.kind) {
    case 'tcp':
      return `health-tcp ${check.host}:${check.port}`;
    case 'http':
      return `health-http ${check.url}`;
    case 'cmd':
      return `health-cmd ${check.argv.join(' ')}`;
  }
}
