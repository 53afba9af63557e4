// `npm run screenshot`: boot the demo tree (source-db/demo) with --http, open the dashboard in headless chromium, write docs/dashboard.png.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../helpers/chromium.js';
import { rcBin, repoRoot, sourceDbDir } from '../helpers/paths.js';

const OUT = join(repoRoot, 'docs', 'dashboard.png');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-screenshot-'));
  writeFileSync(join(dir, 'token'), 'screenshot-token\n', { mode: 0o600 });
  const daemon = spawn(process.execPath, [rcBin, 'boot', '--live', join(dir, 'live'), '--source', join(sourceDbDir, 'demo'), '--http', '127.0.0.1:0', '--http-token-file', join(dir, 'token')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const base = await new Promise<string>((resolve, reject) => {
    daemon.stderr.on('data', (c) => {
      err += c;
      const m = /http: listening on (http:\/\/[\d.]+:\d+)\//.exec(err);
      if (m) resolve(m[1]!);
    });
    daemon.on('exit', (code) => reject(new Error(`rc boot exited ${code}: ${err}`)));
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(base, { waitUntil: 'domcontentloaded' });
    // Everything up (the demo's default bundle), the graph drawn, then one service's log opened.
    await page.waitForFunction(`[...document.querySelectorAll('#services tbody tr')].filter((tr) => tr.dataset.up === 'true').length >= 4 && document.querySelectorAll('#graph svg g.node').length > 0`, { timeout: 60_000 });
    await page.click('tr[data-service="api"] td.name button');
    await page.waitForFunction(`document.querySelector('#logs').textContent.length > 0`, { timeout: 30_000 });
    await page.screenshot({ path: OUT, fullPage: true });
    console.log(`wrote ${OUT}`);
  } finally {
    await browser.close();
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
