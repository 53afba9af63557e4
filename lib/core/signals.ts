// Signal names and numbers (Linux), parsing as s6-supervise does: a name with or without SIG, or a number.
import { constants } from 'node:os';

const byName = constants.signals as Record<string, number>;
const byNumber = new Map<number, NodeJS.Signals>();
for (const [name, num] of Object.entries(byName)) if (!byNumber.has(num)) byNumber.set(num, name as NodeJS.Signals);

/** Parse `TERM`, `SIGTERM`, `sigterm` or `15`. Returns undefined when not a signal. */
export function parseSignal(text: string): NodeJS.Signals | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return byNumber.get(Number(t));
  const up = t.toUpperCase();
  const name = up.startsWith('SIG') ? up : `SIG${up}`;
  return name in byName ? (name as NodeJS.Signals) : undefined;
}

export const signalNumber = (sig: NodeJS.Signals): number => byName[sig] ?? 0;
export const signalName = (num: number): NodeJS.Signals | undefined => byNumber.get(num);
