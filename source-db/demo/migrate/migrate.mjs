// Demo migration oneshot: `node ./migrate.mjs up|down`. Idempotent both ways: running `up`
// twice applies nothing the second time; `down` rolls back, in reverse order, only what the
// migrations added (notes users wrote survive). The schema version lives in the store.
import { setTimeout as sleep } from 'node:timers/promises';
import { del, get, keys, put } from './kv.mjs';

const VERSION_KEY = 'schema:version';

/** Each step: what `up` adds and what `down` removes. */
const MIGRATIONS = [
  {
    version: 1,
    what: 'notes: welcome note',
    up: () => put('notes:0', JSON.stringify({ id: 0, text: 'Welcome to the rc demo. POST /notes to add yours.' })),
    down: () => del('notes:0'),
  },
  {
    version: 2,
    what: 'counters: visits',
    up: async () => {
      if ((await get('counter:visits')) === null) await put('counter:visits', '0');
    },
    down: () => del('counter:visits'),
  },
];
const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Under rc the store is ready before we run (dependency + notification-fd); when run by
 * hand, wait up to DEMO_STORE_WAIT_MS (default 5000) for it to come up.
 */
async function currentVersion() {
  const deadline = Date.now() + Number(process.env.DEMO_STORE_WAIT_MS ?? 5000);
  for (;;) {
    try {
      return Number((await get(VERSION_KEY)) ?? 0);
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      await sleep(100);
    }
  }
}

async function up() {
  const from = await currentVersion();
  const todo = MIGRATIONS.filter((m) => m.version > from);
  for (const m of todo) {
    await m.up();
    await put(VERSION_KEY, String(m.version));
    console.log(`applied ${m.version}: ${m.what}`);
  }
  console.log(todo.length ? `schema at version ${LATEST} (was ${from})` : `schema already at version ${from}; nothing to do`);
}

async function down() {
  const from = await currentVersion();
  const todo = MIGRATIONS.filter((m) => m.version <= from).reverse();
  for (const m of todo) {
    await m.down();
    await put(VERSION_KEY, String(m.version - 1));
    console.log(`rolled back ${m.version}: ${m.what}`);
  }
  if (todo.length === 0) console.log('schema already at version 0; nothing to do');
  const notes = (await keys('notes:')).length;
  if (todo.length) console.log(`schema at version 0 (was ${from}); ${notes} user note(s) kept`);
}

const action = process.argv[2];
if (action !== 'up' && action !== 'down') {
  console.error('usage: node ./migrate.mjs up|down');
  process.exit(100);
}
try {
  await (action === 'up' ? up() : down());
} catch (e) {
  console.error(`migration ${action} failed: ${e.message}`);
  process.exit(1);
}
