// Stand-in database: creates its data dir, then tells the supervisor it is ready (fd 3).
import { mkdirSync, writeSync } from 'node:fs';
mkdirSync('/tmp/webapp-db', { recursive: true });
console.log('db: accepting connections');
writeSync(3, '\n');
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => { console.log('db: shutting down'); process.exit(0); });
