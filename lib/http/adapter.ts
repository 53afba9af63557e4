// `rc boot --http`: the HTTP adapter over the typed daemon API; fastify and prom-client are loaded only when it starts.
import type { Adapter } from '../daemon/types.js';
import { urlOf, type HttpAddress } from './address.js';
import { readTokenFile } from './token.js';

export interface HttpAdapterOptions {
  address: HttpAddress;
  /** --http-token-file; absent: changing requests are disabled (403). */
  tokenFile?: string;
}

/** The adapter for rc boot's adapters list: reads the token, listens, logs its URL, closes after the shutdown. */
export function httpAdapter(o: HttpAdapterOptions): Adapter {
  return async (host) => {
    let token: string | null = null;
    if (o.tokenFile !== undefined) {
      const read = readTokenFile(o.tokenFile);
      if (!read.ok) return read;
      token = read.value;
    }
    const { startHttpServer } = await import('./server.js');
    try {
      const server = await startHttpServer(host, { address: o.address, token, processMetrics: true });
      host.message(`http: listening on ${urlOf(server.address)}${token === null ? ' (read-only: no --http-token-file)' : ''}`);
      return { ok: true, value: { close: () => server.close() } };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'the address is in use' : code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : code === 'EADDRNOTAVAIL' ? 'no such local address' : (e as Error).message;
      return { ok: false, error: `cannot listen on ${urlOf(o.address)} for --http: ${why}` };
    }
  };
}
