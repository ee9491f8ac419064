import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PASSWORD, type TestUser, type World } from '../factories';
import { useWorld } from '../helpers/use-test-app';
import type { TestApp } from '../helpers/test-app';

/** Screenshots of every page the browser tests visit, kept for people to look at. */
export const artifacts = path.resolve(__dirname, '../../test-artifacts');

/** Debian's Chromium (never a browser downloaded by a test tool), headless, with no outside traffic. */
export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in through the login page and waits for the landing page to be live: the board, or a coordinator's dashboard. */
export async function signIn(page: Page, app: TestApp, user: TestUser): Promise<void> {
  await page.goto(app.url);
  await page.getByLabel("Nom d'utilisateur").fill(user.username);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const landing = user.role === 'coordinator' ? /^Tableau de bord/ : 'Tableau des tâches';
  await page.getByRole('heading', { level: 1, name: landing }).waitFor();
  await page.getByRole('status').filter({ hasText: 'En direct' }).waitFor();
}

// The page's CSP forbids inline scripts; the test contexts bypass it (bypassCSP) only to inject axe-core.
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact: string; nodes: unknown[] }[];
}

/** axe-core's serious and critical violations of WCAG 2.1 A and AA on the page as it is. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<AxeResult> } }).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length})`);
}

/** The usual world on an embedded-database app, and Chromium, for the enclosing describe block. */
export function useBrowserWorld(): { readonly app: TestApp; readonly w: World; readonly browser: Browser } {
  const t = useWorld('pglite');
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get app() {
      return t.app;
    },
    get w() {
      return t.w;
    },
    get browser() {
      if (!browser) throw new Error('the browser is launched in beforeAll: use it only inside tests and hooks');
      return browser;
    },
  };
}

/** A new page in a French-speaking browser context of this viewport. */
export async function newPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-BE', viewport, bypassCSP: true, reducedMotion: 'reduce' });
  return context.newPage();
}

/** How wide the page's content is: wider than the viewport means a phone must scroll sideways. */
export const pageWidth = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
        .scrollWidth,
  );
