// The environment of the benchmarks' timed child processes: the caller's, without NODE_EXTRA_CA_CERTS.
//
// NODE_EXTRA_CA_CERTS makes every Node process read and parse a CA bundle at start-up (on the
// development VM: `node -e 0` takes 86 ms with it, 29 ms without). That is a cost of the machine,
// not of rc, and it would swamp the figures that include a Node start-up (rc compile, rc status).

const VAR = 'NODE_EXTRA_CA_CERTS';

/** `env` (default: this process's) without NODE_EXTRA_CA_CERTS. */
export function benchEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out[VAR];
  return out;
}

/** The one-line note a benchmark prints when it removed the variable, else undefined. */
export function caCertsNote(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env[VAR] === undefined) return undefined;
  return `note: timed child processes run without ${VAR} (set here: it adds a CA bundle load to every Node start-up, a cost of this machine, not of rc)`;
}

/** Print caCertsNote() on stdout, if there is one. */
export function printCaCertsNote(): void {
  const note = caCertsNote();
  if (note !== undefined) process.stdout.write(`${note}\n`);
}
