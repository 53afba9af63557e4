// Installed on import by the entry point (rc.ts, bundled as rc-fast.js): a reader that goes away (`rc boot --help | head -2`) is not a crash.
//
// Without a listener, a write to a closed pipe makes Node throw an unhandled 'error' (EPIPE) from
// wherever the write happened (commander's help, a table). Here EPIPE on stdout or stderr is
// ignored: the command ends as it would have, with its own exit code. Commands that stream until
// interrupted stop on it themselves (withDaemon in commands/daemon-client.ts), and rc boot keeps
// running with that output dropped (lib/log/multiplexer.ts). Any other stream error still throws.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
