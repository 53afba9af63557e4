// e2e: the dashboard in a real headless chromium (puppeteer-core): every service in the table, a restart from the page changes the pid, a death appears live.
import { expect } from 'chai';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../helpers/chromium.js';
import { DaemonRig, type Tree } from './daemon-harness.js';
import { bootHttp, TOKEN } from './http-harness.js';

const TREE: Tree = {
  db: { type: 'longrun', ready: true },
  api: { type: 'longrun', deps: ['db'] },
  worker: { type: 'longrun' },
  setup: { type: 'oneshot' },
};

// Browser-side code is written as strings: the test build has no DOM types.
/** Evaluate a browser expression. */
const js = <T>(page: Page, expr: string): Promise<T> => page.evaluate(expr) as Promise<T>;
/** Wait (generously: the CI machine is slow) until a browser expression is true. */
const waitJs = async (page: Page, expr: string, timeout = 30_000): Promise<void> => void (await page.waitForFunction(expr, { timeout }));
/** The browser expression for the text of column `cls` in the row of `name`. */
const cell = (name: string, cls: string): string => `(document.querySelector('tr[data-service="${name}"] td.${cls}')?.textContent ?? '')`;
const cellOf = (page: Page, name: string, cls: string): Promise<string> => js(page, cell(name, cls));

describe('e2e http dashboard (headless chromium)', function () {
  this.timeout(90_000);
  let rig: DaemonRig | undefined;
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await rig?.cleanup();
    rig = undefined;
  });

  it('shows every service live; a restart from the page changes the pid; a death appears without reloading', async () => {
    rig = new DaemonRig(TREE);
    rig.ready('db');
    const base = await bootHttp(rig, ['--target', 'api', 'worker', 'setup']);
    await rig.idle(20_000);
    browser = await launchChromium();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await page.goto(base, { waitUntil: 'domcontentloaded' });

    // The table: every service, with the pid the daemon reports.
    const status = await rig.status();
    await waitJs(page, `document.querySelectorAll('#services tbody tr').length === ${status.services.length}`);
    const names = await js<string[]>(page, `[...document.querySelectorAll('#services tbody tr')].map((tr) => tr.dataset.service)`);
    expect(names).to.deep.equal(status.services.map((r) => r.name));
    for (const row of status.services) expect(await cellOf(page, row.name, 'pid'), row.name).to.equal(row.pid === null ? '' : String(row.pid));
    expect(await cellOf(page, 'db', 'ready')).to.equal('yes');
    await waitJs(page, `document.querySelectorAll('#graph svg g.node').length === 4`);
    await waitJs(page, `document.querySelector('#conn')?.textContent === 'live'`);

    // A restart from the page: the button asks for the token, then the pid changes.
    const before = (await rig.row('api')).pid!;
    await page.click('tr[data-service="api"] button[data-action="restart"]');
    await page.waitForSelector('#token-dialog[open]', { timeout: 10_000 });
    await page.type('#token-input', TOKEN);
    await page.click('#token-ok');
    await waitJs(page, `${cell('api', 'pid')} !== '' && ${cell('api', 'pid')} !== '${before}'`);
    const after = (await rig.row('api')).pid!;
    expect(after).to.not.equal(before);
    expect(await cellOf(page, 'api', 'pid')).to.equal(String(after));
    await waitJs(page, `/restart api: done/.test(document.querySelector('#message')?.textContent ?? '')`);

    // A death: SIGKILL the worker; the page shows its last exit and the new pid.
    const worker = (await rig.row('worker')).pid!;
    process.kill(worker, 'SIGKILL');
    await waitJs(page, `${cell('worker', 'exit')} === 'SIGKILL'`);
    await waitJs(page, `${cell('worker', 'pid')} !== '' && ${cell('worker', 'pid')} !== '${worker}'`);
    expect(await cellOf(page, 'worker', 'pid')).to.equal(String((await rig.row('worker')).pid));
    expect(Number(await cellOf(page, 'worker', 'restarts'))).to.be.at.least(1);
    expect(problems, 'no script errors, no CSP violations').to.deep.equal([]);
  });

  it('on a phone-sized screen, hides the secondary columns and keeps the actions and the health of checked services', async () => {
    rig = new DaemonRig({ one: { type: 'longrun', files: { 'health-cmd': '/bin/true\n', 'health-interval': '150\n' } } });
    const base = await bootHttp(rig, ['--target', 'one'], { token: false });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await page.goto(base, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('tr[data-service="one"] button[data-action="restart"]', { timeout: 20_000 });
    const hidden = await js<string>(page, `getComputedStyle(document.querySelector('tr[data-service="one"] td.uptime')).display`);
    expect(hidden).to.equal('none');
    await waitJs(page, `${cell('one', 'health')} === 'healthy'`);
    expect(await js<string>(page, `getComputedStyle(document.querySelector('tr[data-service="one"] td.health')).display`)).to.equal('table-cell');
    const width = await js<number>(page, `document.querySelector('tr[data-service="one"] td.actions').getBoundingClientRect().right`);
    expect(width).to.be.at.most(390);
  });
});
