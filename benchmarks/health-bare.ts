// The floor for the health benchmark: a bare Node script making the same TCP checks (N chains of connect,
// destroy, wait 1 s) with nothing else. Prints {"cpuPct": [...]} for WINDOWS windows. Usage: health-bare.js PORT N WINDOW_MS WINDOWS SETTLE_MS
import { connect } from 'node:net';

const [port, n, windowMs, windows, settleMs] = process.argv.slice(2).map(Number) as [number, number, number, number, number];

function chain(): void {
  const socket = connect({ host: '127.0.0.1', port });
  const timer = setTimeout(() => socket.destroy(), 5000);
  const next = (): void => {
    clearTimeout(timer);
    socket.destroy();
    setTimeout(chain, 1000);
  };
  socket.once('connect', next);
  socket.once('error', next);
}

for (let i = 0; i < n; i++) chain();
await new Promise((r) => setTimeout(r, settleMs));
const cpuPct: number[] = [];
for (let w = 0; w < windows; w++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const c = process.cpuUsage(c0);
  cpuPct.push(((c.user + c.system) / 1000 / (performance.now() - t0)) * 100);
}
process.stdout.write(`${JSON.stringify({ cpuPct })}\n`);
process.exit(0);
