// rc extensions on longruns (files s6-rc ignores): ready-tcp/ready-http/ready-cmd probes, ready-log, intervals, restart-delay.
import { quoteText } from '../core/names.js';
import { join } from 'node:path';
import { lexFile, readValue, type DefinitionContext } from './read-values.js';
import type { SourceProbeTarget, SourceReadiness } from './types.js';

export const READY_PROBES = ['ready-tcp', 'ready-http', 'ready-cmd', 'ready-log'] as const;
export const DEFAULT_READY_INTERVAL_MS = 200;

/** A millisecond value file; `positive` rejects 0. Invalid → source error, undefined. */
export function readMs(ctx: DefinitionContext, file: string, positive = false): number | undefined {
  if (!ctx.entries.has(file)) return undefined;
  const path = join(ctx.dir, file);
  const text = readValue(path, ctx.sink);
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text) && Number(text) <= 0xffffffff && (!positive || Number(text) > 0)) return Number(text);
  ctx.sink.error(path, `invalid ${path}`, { line: 1, hint: `expected ${positive ? 'a positive' : 'a'} number of milliseconds, found ${quoteText(text)}` });
  return undefined;
}

/** `host:port`, `[v6addr]:port` or a bare port (meaning 127.0.0.1). */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]:|([^:\s[\]]+):)?(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

type ProbeTarget = SourceProbeTarget | { kind: 'log'; pattern: string };

export function readTcp(ctx: DefinitionContext, path: string): SourceProbeTarget | undefined {
  const text = readValue(path, ctx.sink);
  if (text === undefined) return undefined;
  const hp = parseHostPort(text);
  if (hp) return { kind: 'tcp', ...hp };
  ctx.sink.error(path, `invalid ${path}: expected host:port`, { line: 1, hint: `found ${quoteText(text)}; examples: 127.0.0.1:5432, [::1]:8080, 8080` });
  return undefined;
}

export function readHttp(ctx: DefinitionContext, path: string): SourceProbeTarget | undefined {
  const text = readValue(path, ctx.sink);
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol === 'http:') return { kind: 'http', url: url.href };
  ctx.sink.error(path, `invalid ${path}: expected an http:// URL`, { line: 1, hint: `found ${quoteText(text)}; example: http://127.0.0.1:8080/healthz` });
  return undefined;
}

export function readCmd(ctx: DefinitionContext, path: string): SourceProbeTarget | undefined {
  const argv = lexFile(path, ctx.sink);
  if (argv === undefined) return undefined;
  if (argv.length > 0) return { kind: 'cmd', argv };
  ctx.sink.error(path, `${path} holds no command`, { hint: 'write a command line, lexed like a oneshot up file, e.g. pg_isready -q' });
  return undefined;
}

/** `ready-log`: one JavaScript regular expression (the whole file, trailing blanks trimmed), checked by compiling it. */
function readLogPattern(ctx: DefinitionContext, path: string): ProbeTarget | undefined {
  const pattern = readValue(path, ctx.sink);
  if (pattern === undefined) return undefined;
  if (pattern === '') {
    ctx.sink.error(path, `${path} holds no regular expression`, { line: 1, hint: 'write a JavaScript regular expression matched against each output line, e.g. ready to accept connections' });
    return undefined;
  }
  try {
    new RegExp(pattern);
  } catch (e) {
    ctx.sink.error(path, `invalid ${path}: ${(e as Error).message}`, { line: 1, hint: `found ${quoteText(pattern)}; JavaScript syntax, without slashes or flags, e.g. ^Ready on port \\d+` });
    return undefined;
  }
  return { kind: 'log', pattern };
}

function readProbe(ctx: DefinitionContext): ProbeTarget | undefined {
  const present = READY_PROBES.filter((f) => ctx.entries.has(f));
  if (present.length > 1) {
    ctx.sink.error(join(ctx.dir, present[1]!), `longrun ${ctx.name} has more than one readiness probe: ${present.join(', ')}`, { hint: `keep one of ${READY_PROBES.join(', ')}` });
    return undefined;
  }
  const file = present[0];
  if (file === undefined) return undefined;
  const path = join(ctx.dir, file);
  if (file === 'ready-log') return readLogPattern(ctx, path);
  return file === 'ready-tcp' ? readTcp(ctx, path) : file === 'ready-http' ? readHttp(ctx, path) : readCmd(ctx, path);
}

export function readExtensions(ctx: DefinitionContext): { readiness: SourceReadiness | null; restartDelay: number | null } {
  const target = readProbe(ctx);
  const intervalMs = readMs(ctx, 'ready-interval', true) ?? DEFAULT_READY_INTERVAL_MS;
  const timeoutMs = readMs(ctx, 'ready-timeout') ?? 0;
  const restartDelay = readMs(ctx, 'restart-delay') ?? null;
  if (target === undefined) {
    for (const f of ['ready-interval', 'ready-timeout']) {
      if (ctx.entries.has(f) && !READY_PROBES.some((p) => ctx.entries.has(p))) {
        ctx.sink.warn(join(ctx.dir, f), `${f} without ready-tcp, ready-http, ready-cmd or ready-log: ignored`);
      }
    }
    return { readiness: null, restartDelay };
  }
  if (target.kind === 'log' && ctx.entries.has('ready-interval')) ctx.sink.warn(join(ctx.dir, 'ready-interval'), 'ready-interval does not apply to ready-log (every line is matched): ignored');
  return { readiness: { ...target, intervalMs, timeoutMs }, restartDelay };
}
