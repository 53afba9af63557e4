// Read /proc to find the live processes of a process group (tests, diagnostics, "nothing left" checks).
import { readdir, readFile } from 'node:fs/promises';

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** One letter: R, S, D, Z, T, ... */
  state: string;
  comm: string;
}

/** Parse /proc/PID/stat; the command name may hold spaces and parentheses. */
export function parseProcStat(text: string): ProcEntry | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  const pid = Number(text.slice(0, open).trim());
  const [state, ppid, pgid, sid] = [rest[0] ?? '', Number(rest[1]), Number(rest[2]), Number(rest[3])];
  if (!Number.isInteger(pid) || !Number.isInteger(pgid)) return null;
  return { pid, ppid, pgid, sid, state, comm: text.slice(open + 1, close) };
}

/** Every process visible in /proc (those that vanish while reading are skipped). */
export async function listProcesses(): Promise<ProcEntry[]> {
  const names = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  const entries = await Promise.all(
    names.map(async (n) => {
      try {
        return parseProcStat(await readFile(`/proc/${n}/stat`, 'utf8'));
      } catch {
        return null;
      }
    }),
  );
  return entries.filter((e): e is ProcEntry => e !== null);
}

/** Live (not zombie) members of a process group. */
export async function processGroupMembers(pgid: number): Promise<ProcEntry[]> {
  return (await listProcesses()).filter((p) => p.pgid === pgid && p.state !== 'Z' && p.state !== 'X');
}
