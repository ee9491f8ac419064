/**
 * The board benchmark's browser part (bench/board.ts): Chromium on the built client, as a clerk sees
 * the board: from pressing "Sign in" to the Open column's count and first card, a search, how many
 * cards the page holds and its JS heap.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type CDPSession } from 'playwright-core';
import { benchPassword, latency } from './bench-support';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserRounds = 10;
export const withBrowser =
  process.env.BENCH_BOARD_BROWSER !== '0' &&
  fs.existsSync(chromiumPath) &&
  fs.existsSync(path.resolve(__dirname, '../client/dist/index.html'));

/** What the page's JavaScript holds, read through the DevTools protocol after a full collection (MB). */
async function jsHeapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  return Math.round((used / 1024 / 1024) * 10) / 10;
}

/**
 * The board in Chromium, as the clerk sees it: from pressing "Sign in" on the login page to the Open
 * column's exact count and its first card; from typing a rare word to that one card; how many cards
 * the page holds; and the page's JS heap once the board is up and again after scrolling the Open column
 * down through a thousand cards (the list is virtualised: the heap must not grow with the column).
 */
export async function measureBrowser(base: string, username: string, size: number, rareWord: string) {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const open = page.getByRole('region', { name: /^Open/ });
    const heading = (n: number) => open.getByRole('heading', { level: 2, name: `Open ${n.toLocaleString('en-GB')}` });
    const ready: number[] = [];
    const search: number[] = [];
    let cards = 0;
    let heapLoaded = 0;
    let heapScrolled = 0;
    for (let i = 0; i < browserRounds + 2; i++) {
      await context.clearCookies();
      await page.goto(base);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(benchPassword());
      const started = performance.now();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading(size).waitFor();
      await open.getByRole('article').first().waitFor();
      const readyMs = performance.now() - started;
      cards = Math.max(cards, await page.getByRole('article').count());
      heapLoaded = Math.max(heapLoaded, await jsHeapMb(cdp));
      const typed = performance.now();
      await page.getByLabel('Search').fill(rareWord);
      await heading(1).waitFor();
      await open.getByRole('article').first().waitFor();
      const searchMs = performance.now() - typed;
      // The first two rounds warm the caches and are not counted.
      if (i >= 2) {
        ready.push(readyMs);
        search.push(searchMs);
      }
    }
    // Down the Open column, page after page as the clerk scrolls, then the heap.
    await page.getByLabel('Search').fill('');
    await heading(size).waitFor();
    const scroller = open.locator('.column-scroll');
    for (let step = 0; step < 40; step++) {
      await scroller.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await page.waitForTimeout(100);
      cards = Math.max(cards, await page.getByRole('article').count());
    }
    heapScrolled = await jsHeapMb(cdp);
    return {
      results: {
        'browser: sign-in to count + first card': latency(ready),
        'browser: search typed to its one card (incl. 250 ms wait)': latency(search),
      },
      cardsInPage: cards,
      heapMb: { loaded: heapLoaded, scrolled: heapScrolled },
    };
  } finally {
    await browser.close();
  }
}
