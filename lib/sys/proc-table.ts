// Read /proc to find the live processes of a process group (tests, diagnostics, "nothing left" checks).
import { readdir, readFile } from 'node:fs/promises';
import { parseProcStat, type ProcStat } from './proc-stat.js';

/** Every process visible in /proc (those that vanish while reading are skipped). */
export async function listProcesses(): Promise<ProcStat[]> {
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
  return entries.filter((e): e is ProcStat => e !== null);
}

/** Live (not zombie) members of a process group. */
export async function processGroupMembers(pgid: number): Promise<ProcStat[]> {
  return (await listProcesses()).filter((p) => p.pgid === pgid && p.state !== 'Z' && p.state !== 'X');
}
