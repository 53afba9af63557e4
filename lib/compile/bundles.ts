// Flatten bundles into atomic member sets (iteratively), reporting undefined members and bundle cycles.
import { closestName, showName } from '../core/names.js';
import { invisibleCharHint } from '../source/list-file.js';
import type { DiagnosticSink } from '../source/sink.js';
import type { NameRef, SourceBundle, SourceService } from '../source/types.js';

/** The names a lookup may suggest, and the atomic index of each atomic name. */
export interface NameTable {
  byName: ReadonlyMap<string, SourceService>;
  indexOf: ReadonlyMap<string, number>;
}

export function didYouMean(name: string, names: NameTable): string | undefined {
  const close = closestName(name, names.byName.keys());
  return close !== undefined && close !== name ? `did you mean \`${close}\`?` : undefined;
}

export function undefinedName(ref: NameRef, context: string, names: NameTable, sink: DiagnosticSink): void {
  const hint = invisibleCharHint(ref.name) ?? didYouMean(ref.name, names);
  sink.error(ref.file, `${context}: undefined service name ${showName(ref.name)}`, { line: ref.line, hint });
}

interface Frame {
  bundle: SourceBundle;
  next: number;
  acc: Set<number>;
}

/**
 * Resolve every bundle to its sorted atomic members. Iterative DFS over bundle contents with
 * memoisation, so deep nesting cannot overflow the stack.
 */
export function flattenBundles(bundles: readonly SourceBundle[], names: NameTable, sink: DiagnosticSink): Map<string, number[]> {
  const done = new Map<string, number[]>();
  const active = new Set<string>();
  for (const root of bundles) {
    if (done.has(root.name)) continue;
    const stack: Frame[] = [{ bundle: root, next: 0, acc: new Set() }];
    active.add(root.name);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const ref = top.bundle.contents[top.next++];
      if (ref === undefined) {
        stack.pop();
        active.delete(top.bundle.name);
        const members = [...top.acc].sort((a, b) => a - b);
        done.set(top.bundle.name, members);
        if (stack.length > 0) for (const m of members) stack[stack.length - 1]!.acc.add(m);
        continue;
      }
      const target = names.byName.get(ref.name);
      if (target === undefined) {
        undefinedName(ref, `during resolution of bundle ${top.bundle.name}`, names, sink);
      } else if (target.type === 'oneshot' || target.type === 'longrun') {
        top.acc.add(names.indexOf.get(ref.name)!);
      } else if (target.type === 'bundle') {
        const known = done.get(target.name);
        if (known !== undefined) for (const m of known) top.acc.add(m);
        else if (active.has(target.name)) reportBundleCycle(stack, target.name, ref, sink);
        else {
          active.add(target.name);
          stack.push({ bundle: target, next: 0, acc: new Set() });
        }
      }
    }
  }
  return done;
}

function reportBundleCycle(stack: Frame[], again: string, ref: NameRef, sink: DiagnosticSink): void {
  const from = stack.findIndex((f) => f.bundle.name === again);
  const loop = [...stack.slice(from).map((f) => f.bundle.name), again];
  sink.error(ref.file, `cyclic bundle definition: resolution of ${stack[0]!.bundle.name} encountered a cycle involving ${again}`, {
    line: ref.line,
    hint: `the loop is ${loop.join(' -> ')}`,
  });
}
