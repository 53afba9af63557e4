// Mocha global teardown: a handle left open after the last test (timer, socket, child, server) fails the run.
// Set RC_WHY_LEAKS=1 to record where every handle was created (why-is-node-running; slower).
const why = process.env.RC_WHY_LEAKS ? (await import('why-is-node-running')).default : undefined;

/** Milliseconds the event loop may stay alive after the last test before it counts as a leak. */
const GRACE_MS = Number(process.env.RC_LEAK_GRACE_MS ?? 2000);

export function mochaGlobalTeardown() {
  const timer = setTimeout(() => {
    const open = process.getActiveResourcesInfo();
    process.stderr.write(`\nleak-guard: the event loop is still alive ${GRACE_MS} ms after the last test; open: ${open.join(', ')}\n`);
    if (why) why({ error: (...a) => process.stderr.write(`${a.join(' ')}\n`) });
    else process.stderr.write('leak-guard: run with RC_WHY_LEAKS=1 to see where they were created\n');
    process.exit(1);
  }, GRACE_MS);
  timer.unref();
}
