// ListrRenderer: listr2 on a TTY, a line per service (spinner while it moves, ✔ / ✖ / skipped, duration).
//
// listr2 runs tasks; we only observe. Each plan step becomes a task whose function waits for the
// step's outcome, which the engine events settle. A task that has not moved yet is shown as
// waiting (no spinner); `service-starting`/`service-stopping` put it back to started (spinner).
import type { Writable } from 'node:stream';
import type { WriteStream } from 'node:tty';
import { DefaultRenderer, Listr, ListrLogger, ListrTaskState, ProcessOutput, type ListrSimpleRenderer, type ListrTask, type ListrTaskWrapper } from 'listr2';
import { isEngineEvent, type DaemonEvent } from '../daemon/events.js';
import type { ChangePhase, EngineEvent, ExecutionSummary, PlanSummary } from '../engine/events.js';
import { describeKeepReason, describeSkipReason, failedLine, formatDuration, verb, wasCancelled } from './phrases.js';
import { plainLine } from './plain.js';
import type { EventRenderer, RendererOptions } from './renderer.js';
import { renderSummary } from './summary.js';

type Outcome = { kind: 'done'; title: string } | { kind: 'skipped'; message: string } | { kind: 'failed'; message: string };
type Wrapper = ListrTaskWrapper<unknown, typeof StreamRenderer, ListrSimpleRenderer>;
type Task = ListrTask<unknown, typeof StreamRenderer, ListrSimpleRenderer>;

/** listr2's default renderer, told it may draw on the stream we give it (the CLI only picks us on a TTY). */
class StreamRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/** One plan step as a listr task: its title, its wrapper once listr runs it, and its outcome. */
class StepTask {
  wrapper: Wrapper | undefined;
  moving = false;
  settled = false;
  title: string;
  readonly outcome: Promise<Outcome>;
  #resolve!: (o: Outcome) => void;

  constructor(title: string) {
    this.title = title;
    this.outcome = new Promise((resolve) => (this.#resolve = resolve));
  }

  settle(o: Outcome): void {
    this.settled = true;
    this.#resolve(o);
  }

  /** Called by listr. */
  async run(t: Wrapper): Promise<void> {
    this.wrapper = t;
    t.title = this.title;
    if (!this.moving) t.task.state$ = ListrTaskState.WAITING;
    const o = await this.outcome;
    if (o.kind === 'skipped') return t.skip(o.message.replaceAll('%', '%%'));
    t.task.state$ = ListrTaskState.STARTED;
    if (o.kind === 'failed') {
      t.title = o.message;
      throw new Error(o.message);
    }
    t.title = o.title;
  }

  move(title: string): void {
    this.moving = true;
    this.title = title;
    if (this.wrapper) {
      this.wrapper.title = title;
      this.wrapper.task.state$ = ListrTaskState.STARTED;
    }
  }
}

export class ListrRenderer implements EventRenderer {
  readonly #out: Writable;
  readonly #prefix: string;
  readonly #steps = new Map<number, StepTask>();
  /** The latest task of each service name, for serviceOutput. */
  readonly #byName = new Map<string, StepTask>();
  readonly #notes: string[] = [];
  #run: Promise<unknown> | undefined;
  /** The summary of each change that ended (rc update runs two). */
  readonly #summaries: { summary: ExecutionSummary; phase?: ChangePhase }[] = [];

  constructor(out: Writable, options: RendererOptions = {}) {
    this.#out = out;
    this.#prefix = options.prefix ?? 'rc';
  }

  handle(e: DaemonEvent): void {
    if (isEngineEvent(e)) return this.#engine(e);
    // A death, a restart, a give-up: under the service's task while it shows, else after the display.
    const line = plainLine(e);
    if (line === undefined) return;
    const task = 'service' in e ? this.#byName.get(e.service) : undefined;
    if (task?.wrapper && !task.settled) task.wrapper.output = line;
    else this.#notes.push(`${this.#prefix}: ${line}`);
  }

  #engine(e: EngineEvent): void {
    switch (e.type) {
      case 'change-started':
        return this.#begin(e.plan);
      case 'service-starting':
      case 'service-stopping':
        return this.#steps.get(e.step)?.move(`${verb(e.action, 'ing')} ${e.name}`);
      case 'service-started':
      case 'service-stopped':
        return this.#steps.get(e.step)?.settle({ kind: 'done', title: `${e.name} ${verb(e.action, 'ed')} (${formatDuration(e.durationMs)})` });
      case 'service-failed':
        // A cancelled step is shown like a skipped one (↓), not as a failure (✖).
        return this.#steps.get(e.step)?.settle({ kind: wasCancelled(e.failure) ? 'skipped' : 'failed', message: failedLine(e) });
      case 'service-skipped':
        return this.#steps.get(e.step)?.settle({ kind: 'skipped', message: `${e.name} skipped: ${describeSkipReason(e.reason)}` });
      case 'service-kept':
        return;
      case 'timeout':
        this.#notes.push(`${this.#prefix}: ${plainLine(e)}`);
        return;
      case 'change-done':
        this.#summaries.push({ summary: e.summary, ...(e.phase ? { phase: e.phase } : {}) });
        return;
    }
  }

  serviceOutput(name: string, line: string): void {
    const task = this.#byName.get(name);
    if (task?.wrapper) task.wrapper.output = line;
    else this.#notes.push(`${name}: ${line}`);
  }

  /** Ends the display; a step whose outcome never came (the stream was cut) is shown as interrupted. */
  async close(): Promise<void> {
    for (const task of this.#steps.values()) {
      if (!task.settled) task.settle({ kind: 'failed', message: `${task.title}: interrupted (no outcome received)` });
    }
    await this.#run;
    const lines = [...this.#notes, ...this.#summaries.map((s) => renderSummary(s.summary, this.#prefix, s.phase))];
    if (lines.length > 0) this.#out.write(`${lines.join('\n')}\n`);
  }

  #begin(plan: PlanSummary): void {
    const tasks: Task[] = plan.steps.map((s) => {
      const task = new StepTask(`${verb(s.action, 'base')} ${s.name}`);
      this.#steps.set(s.id, task);
      this.#byName.set(s.name, task);
      return { title: task.title, task: (_ctx, t) => task.run(t), rendererOptions: { persistentOutput: true, outputBar: 3 } };
    });
    for (const k of plan.kept) {
      const message = `${k.name} kept up: ${describeKeepReason(k.reason)}`;
      tasks.push({ title: k.name, task: (_ctx, t) => t.skip(message) });
    }
    if (tasks.length === 0) return;
    const stream = this.#out as unknown as WriteStream;
    const listr = new Listr(tasks, {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: StreamRenderer,
      fallbackRendererCondition: false,
      silentRendererCondition: false,
      rendererOptions: {
        logger: new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(stream, stream, { dump: [] }) }),
        collapseErrors: false,
      },
    });
    // rc update runs two changes: close() waits for both displays.
    this.#run = Promise.all([this.#run, listr.run().catch(() => undefined)]);
  }
}
