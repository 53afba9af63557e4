// A tiny HTTP API: /healthz answers 200 once listening.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const port = Number(readFileSync('env/PORT', 'utf8').trim());
createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(req.url === '/healthz' ? 'ok\n' : 'hello from api\n');
}).listen(port, '127.0.0.1', () => console.log(`api: listening on ${port}`));
process.on('SIGTERM', () => process.exit(0));
