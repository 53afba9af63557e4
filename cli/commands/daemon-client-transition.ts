// Shared by rc change/up/down/restart: the common flags, progress rendering of the streamed events, exit codes.
import type { Command } from 'commander';
import type { RequestBody, StreamEvent, TransitionOp } from '../../lib/control/index.js';
import type { Plan } from '../../lib/plan/index.js';
import type { EventRenderer } from '../../lib/render/index.js';
import { action, parseUint } from '../run-action.js';
import { addLiveOption, reportError, withDaemon, writeOut, type LiveOptions } from './daemon-client.js';

export interface TransitionCliOptions extends LiveOptions {
  dryRun?: boolean;
  timeout?: number;
  force?: boolean;
  json?: boolean;
  jobs?: number;
  /** commander's --no-wait sets this to false. */
  wait?: boolean;
}

export const TRANSITION_EXIT_CODES = 'Exit codes: 0 done, 1 a transition failed (summary names the failed and skipped services), 2 the global timeout expired, 3 unknown name, 100 usage, 111 no daemon (or busy, with --no-wait).';

/** One of rc change/up/down/restart, as data. */
export interface TransitionCommandSpec<O extends TransitionCliOptions> {
  name: string;
  description: string;
  /** The names argument: [syntax, description]. */
  argument: [string, string];
  /** Options of this command only (before the shared ones). */
  options?: (cmd: Command) => void;
  /** Whether --force applies (bringing essential services down). */
  force: boolean;
  /** What the command does, for --help (the exit codes and examples follow). */
  about: string;
  examples: string[];
  /** The request to send for the names and options given. */
  request(names: string[], opts: O): RequestBody<TransitionOp>;
}

/** Register a transition command: its argument and options, the shared flags, help text and action. */
export function registerTransition<O extends TransitionCliOptions>(program: Command, spec: TransitionCommandSpec<O>): Command {
  const cmd = program.command(spec.name).description(spec.description).argument(...spec.argument);
  spec.options?.(cmd);
  addTransitionOptions(cmd, spec.force);
  cmd.addHelpText('after', `\n${spec.about}\n\n${TRANSITION_EXIT_CODES}\n\nExamples:\n${spec.examples.map((e) => `  ${e}\n`).join('').trimEnd()}`);
  cmd.action(action(async (names: string[], opts: O) => runTransitionCommand(spec.request(names, opts), opts)));
  return cmd;
}

/** --dry-run, --timeout, --json, --jobs, --no-wait, --live (and --force when it applies). */
export function addTransitionOptions(cmd: Command, withForce: boolean): Command {
  cmd
    .option('--dry-run', 'print the plan (stop waves, then start waves, with the reason for each service) and change nothing')
    .option('--timeout <ms>', 'global timeout for the whole transition; in-flight transitions are cancelled cleanly (exit 2); 0 = none', parseUint('--timeout'), 0)
    .option('--json', 'machine-readable output: NDJSON events (the plan as JSON with --dry-run)')
    .option('--jobs <n>', 'at most N transitions at once; 0 = no limit', parseUint('--jobs'), 0)
    .option('--no-wait', 'fail at once (exit 111) if another transition is running, instead of queueing');
  if (withForce) cmd.option('--force', 'bring essential services (flag-essential) down too');
  return addLiveOption(cmd);
}

export async function pickRenderer(json: boolean): Promise<EventRenderer> {
  const render = await import('../../lib/render/index.js');
  if (json) return new render.JsonRenderer(process.stdout);
  // listr2 only on a TTY of a known, usable width: on a 0-column one it prints a character per line.
  if (render.progressStyle(process.stdout, process.env) === 'listr') return new (await render.loadListrRenderer())(process.stdout);
  return new render.PlainRenderer(process.stdout);
}

async function printPlan(plan: Plan, json: boolean): Promise<number> {
  const { renderPlan } = await import('../../lib/render/index.js');
  await writeOut(`${renderPlan(plan, json ? 'json' : 'text')}\n`);
  return 0;
}

/** Send one transition request, render its progress, return its exit code. */
export async function runTransitionCommand(body: RequestBody<TransitionOp>, opts: TransitionCliOptions): Promise<number> {
  const full = { ...body, dryRun: opts.dryRun === true, timeoutMs: opts.timeout ?? 0, jobs: opts.jobs ?? 0, noWait: opts.wait === false, force: opts.force === true };
  const json = opts.json === true;
  return withDaemon(opts, async (client) => {
    const renderer = full.dryRun ? null : await pickRenderer(json);
    const onEvent = (e: StreamEvent): void => {
      if (e.kind === 'event') renderer?.handle(e.event);
      else if (e.kind === 'output') renderer?.serviceOutput(e.service, e.line);
    };
    const onQueued = (position: number, running: string): void => {
      const ahead = position === 1 ? '' : ` and ${position - 1} more queued`;
      process.stderr.write(`rc: waiting: the daemon is busy with '${running}'${ahead}\n`);
    };
    const reply = await client.call(full, { onEvent, onQueued });
    await renderer?.close();
    if (reply.type === 'error') return reportError(reply, json);
    if (full.dryRun && reply.data.plan) return printPlan(reply.data.plan, json);
    await writeOut('');
    return reply.exitCode;
  });
}
