// Parsing `rc boot --http ADDR:PORT`: the address to listen on, loopback unless one is given explicitly.
import { isIP } from 'node:net';
import { err, ok, type Result } from '../core/result.js';

export interface HttpAddress {
  /** The interface to bind (127.0.0.1 unless the flag names one). */
  host: string;
  /** 0 lets the system choose (the daemon logs the port it got). */
  port: number;
}

const LOOPBACK = '127.0.0.1';
const HINT = 'give PORT (loopback), ADDR:PORT or [IPV6]:PORT, e.g. --http 9100, --http 0.0.0.0:9100, --http [::1]:9100';

function portOf(text: string, whole: string): Result<number, string> {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) return err(`--http '${whole}': the port must be a number from 0 to 65535; ${HINT}`);
  return ok(Number(text));
}

/** `9100` and `:9100` listen on loopback; `0.0.0.0:9100`, `10.0.0.2:9100`, `[::]:9100`, `localhost:9100` where they say. */
export function parseHttpAddress(text: string): Result<HttpAddress, string> {
  const t = text.trim();
  if (t === '') return err(`--http needs an address; ${HINT}`);
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(t);
  if (v6) {
    if (isIP(v6[1]!) !== 6) return err(`--http '${text}': '${v6[1]}' is not an IPv6 address; ${HINT}`);
    const port = portOf(v6[2]!, text);
    return port.ok ? ok({ host: v6[1]!, port: port.value }) : port;
  }
  const colon = t.lastIndexOf(':');
  if (colon < 0 || colon === 0) {
    const port = portOf(colon === 0 ? t.slice(1) : t, text);
    return port.ok ? ok({ host: LOOPBACK, port: port.value }) : port;
  }
  const host = t.slice(0, colon);
  if (host.includes(':')) return err(`--http '${text}': put an IPv6 address in brackets; ${HINT}`);
  if (isIP(host) === 0 && !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(host)) return err(`--http '${text}': '${host}' is not an address or host name; ${HINT}`);
  const port = portOf(t.slice(colon + 1), text);
  return port.ok ? ok({ host, port: port.value }) : port;
}

/** The URL a browser opens for this address. */
export function urlOf(a: HttpAddress): string {
  return `http://${isIP(a.host) === 6 ? `[${a.host}]` : a.host}:${a.port}/`;
}
