// How a longrun's ./run and ./finish are started: argv, cwd, environment, stdio, output hook-up.
import { join } from 'node:path';
import { signalNumber } from '../core/signals.js';
import type { LongrunService } from '../db/types.js';
import type { ChildHandle, SpawnRequest } from './spawner.js';
import type { OutputSink, StdioRouting } from './types.js';

export const DEFAULT_STDIO: StdioRouting = { stdin: 'ignore', stdout: 'sink', stderr: 'sink' };

/** The daemon's environment plus RC_NAME (built per spawn, so nothing is kept per service). */
export const serviceEnv = (base: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv => ({ ...base, RC_NAME: name });

/** `./run NAME` in the service dir, with the notification pipe when configured. */
export function runRequest(service: LongrunService, dir: string, env: NodeJS.ProcessEnv, stdio: StdioRouting): SpawnRequest {
  return {
    file: join(dir, 'run'),
    args: [service.name],
    argv0: 'run',
    cwd: dir,
    env: serviceEnv(env, service.name),
    stdio,
    notificationFd: service.notificationFd,
  };
}

/**
 * s6's finish arguments: `finish EXITCODE SIGNAL NAME`, EXITCODE = 256 when the run was
 * killed by a signal, SIGNAL = the signal number (0 after a normal exit).
 */
export function finishArgs(name: string, code: number | null, signal: string | null): string[] {
  const sig = signal ? signalNumber(signal as NodeJS.Signals) : 0;
  return [String(signal ? 256 : (code ?? 0)), String(sig), name];
}

export function finishRequest(
  service: LongrunService,
  dir: string,
  env: NodeJS.ProcessEnv,
  stdio: StdioRouting,
  exit: { code: number | null; signal: string | null },
): SpawnRequest {
  return {
    file: join(dir, 'finish'),
    args: finishArgs(service.name, exit.code, exit.signal),
    argv0: 'finish',
    cwd: dir,
    env: serviceEnv(env, service.name),
    stdio,
  };
}

/** Hand the child's piped output streams to the sink under the service's name. */
export function attachOutput(child: ChildHandle, name: string, output: OutputSink): void {
  if (child.stdout) output.attach(name, 'stdout', child.stdout);
  if (child.stderr) output.attach(name, 'stderr', child.stderr);
}

/** s6's death-tally exit code: the code, or 128 + signal number. */
export function tallyCode(code: number | null, signal: string | null): number {
  return signal ? 128 + signalNumber(signal as NodeJS.Signals) : (code ?? 0);
}
