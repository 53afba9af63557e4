// An OutputSink that also hands every whole line to a listener (a oneshot's output, shown to the client of the change).
import { StringDecoder } from 'node:string_decoder';
import type { OutputSink } from '../supervise/types.js';
import type { OutputListener } from './service-set.js';

const MAX_PENDING = 64 * 1024;

/** Lines of `source`, split on newlines (a very long line is cut), passed to `emit`; the rest at end. */
function forwardLines(source: NodeJS.ReadableStream, emit: (line: string) => void): void {
  let pending = '';
  const decoder = new StringDecoder('utf8');
  source.on('data', (chunk: Buffer | string) => {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      emit(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
    if (pending.length > MAX_PENDING) {
      emit(pending);
      pending = '';
    }
  });
  source.on('end', () => {
    pending += decoder.end();
    if (pending !== '') emit(pending);
    pending = '';
  });
}

export function teeSink(main: OutputSink, listener: OutputListener): OutputSink {
  return {
    attach(service, stream, source) {
      // Both consumers read the same 'data' events; back-pressure stays with the main sink.
      main.attach(service, stream, source);
      forwardLines(source, (line) => listener(service, stream, line));
    },
  };
}
