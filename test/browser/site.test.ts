/**
 * The built docs site in a real browser: the Kubescape page against the binary's own catalog,
 * search, the tools index and an attestor page, plus full-page screenshots for a human to look at.
 * Needs `site/dist` (`npm test` builds it first) and Chromium (`npm test` installs it; CILOCK_CHROMIUM
 * points at another one; CILOCK_TEST_SKIP=browser leaves these tests out).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShowEntry } from '../../generator/contract.js';
import { optedOut } from '../lib/system.js';

/** Kubescape's `tools show` JSON: a tool entry, so examples and checks are there. */
type ToolShow = ShowEntry & Required<Pick<ShowEntry, 'examples' | 'validate'>>;
import { launchBrowser, type Browser } from './browser.js';
import { serveStatic, type StaticSite } from './static-server.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const siteDist = path.join(repo, 'site/dist');
const cliMain = path.join(repo, 'dist/cli/main.js');
const screenshotDir = path.resolve(repo, process.env['CILOCK_SCREENSHOT_DIR'] ?? 'test/browser/screenshots');

const text = (value: string | null | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();

async function rowText(page: Page, row: string): Promise<string> {
  return text(await page.locator(`.fact-box[data-tool="kubescape"] tr[data-row="${row}"] td`).textContent());
}

describe.skipIf(optedOut('browser'))('docs site in Chromium', () => {
  let site: StaticSite;
  let browser: Browser;
  let show: ToolShow;

  beforeAll(async () => {
    if (!existsSync(path.join(siteDist, 'index.html'))) {
      throw new Error(`site/dist is missing: run npm run build first (npm run build:site builds the site into ${siteDist})`);
    }
    if (!existsSync(cliMain)) throw new Error('dist/cli/main.js is missing: run npm run build first');
    show = JSON.parse(execFileSync(process.execPath, [cliMain, 'tools', 'show', 'kubescape', '--format', 'json'], { encoding: 'utf8' })) as ToolShow;
    site = await serveStatic(siteDist);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(urlPath: string, width = 1280): Promise<Page> {
    const page = await browser.newPage(width);
    const response = await page.goto(site.origin + urlPath, { waitUntil: 'load' });
    expect(response?.status(), `HTTP status of ${urlPath}`).toBe(200);
    return page;
  }

  it('the Kubescape fact box shows the facts `cilock tools show kubescape` reports', async () => {
    const page = await open('/tools/kubescape/');
    const rows = await page.locator('.fact-box[data-tool="kubescape"] tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')));
    expect(rows).toEqual(['upstream', 'category', 'source', 'emits-format', 'trace', 'detected-when']);

    const up = show.upstream;
    expect(up, 'kubescape has upstream facts').toBeDefined();
    expect(await rowText(page, 'upstream')).toBe(`${up?.name} · ${up?.vendor} · ${up?.license}`);
    expect(await page.locator('.fact-box tr[data-row="upstream"] a').getAttribute('href')).toBe(up?.source);
    const categories = (show.categories ?? []).map((c) => (c === show.primary_category ? `${c} (primary)` : c)).join(' ');
    expect(await rowText(page, 'category')).toBe(categories);
    expect(await rowText(page, 'source')).toMatch(new RegExp(`^${show.source} `));
    const formats = await page.locator('.fact-box tr[data-row="emits-format"] a').evaluateAll((as) => as.map((a) => [a.textContent?.trim(), a.getAttribute('href')]));
    expect(formats).toEqual((show.emits_formats ?? []).map((f) => [f, `/attestors/${f}/`]));
    expect(await rowText(page, 'trace')).toBe(`${show.recommended_trace} — ${show.recommended_trace_reason}`);
    const triggers = await page.locator('.fact-box tr[data-row="detected-when"] li').allTextContents();
    expect(triggers.map(text)).toEqual((show.triggers ?? []).map((t) => `[${t.gate}] ${t.kind}: ${t.value}`));
    expect(browser.takeErrors()).toEqual([]);
    await page.close();
  });

  it('shows every validated invocation exactly as the catalog has it', async () => {
    const page = await open('/tools/kubescape/');
    const blocks = await page.locator('.expressive-code pre').evaluateAll((pres) => pres.map((pre) => (pre as HTMLElement).innerText.replace(/\n$/, '')));
    expect(show.examples.length).toBeGreaterThanOrEqual(2);
    for (const example of show.examples) expect(blocks, `code block for ${example.id}`).toContain(example.command);
    expect(browser.takeErrors()).toEqual([]);
    await page.close();
  });

  it('lists the six captured predicate types', async () => {
    const page = await open('/tools/kubescape/');
    const table = page.locator('.sl-markdown-content table').filter({ has: page.locator('th', { hasText: 'Predicate type' }) });
    const types = (await table.locator('tbody tr td:first-child').allTextContents()).map(text);
    expect(types).toHaveLength(6);
    for (const type of types) expect(type).toMatch(/^https:\/\/aflock\.ai\/attestations\/[a-z-]+\/v\d+\.\d+$/);
    expect(new Set(types)).toEqual(new Set(show.examples[0]?.expect.predicate_types));
    expect(browser.takeErrors()).toEqual([]);
    await page.close();
  });

  it('getting started renders the catalog command and checks from the generated data', async () => {
    const page = await open('/getting-started/');
    const command = await page.locator('.example-command[data-example="kubescape/static-manifests"] pre').innerText();
    expect(command.replace(/\n$/, '')).toBe(show.examples.find((e) => e.id === 'static-manifests')?.command);
    const checks = await page.locator('.validate-checks[data-tool="kubescape"] [data-check]').evaluateAll((divs) =>
      divs.map((div) => [div.getAttribute('data-check'), (div.querySelector('pre') as HTMLElement | null)?.innerText.replace(/\n$/, '')]),
    );
    expect(checks).toEqual(show.validate.map((c) => [c.id, `# ${c.comment}\n${c.command}`]));
    expect(browser.takeErrors()).toEqual([]);
    await page.close();
  });

  it('finds the Kubescape page with the site search', async () => {
    const page = await open('/');
    await page.locator('site-search button[data-open-modal]').first().click();
    const input = page.locator('#starlight__search input.pagefind-ui__search-input');
    await input.waitFor({ state: 'visible' });
    await input.fill('kubescape');
    const result = page.locator('#starlight__search a[href*="/tools/kubescape/"]').first();
    await result.waitFor({ state: 'visible', timeout: 20_000 });
    await result.click();
    await page.waitForURL((url) => url.pathname === '/tools/kubescape/');
    await expect.poll(() => page.locator('h1').first().textContent()).toBeTruthy();
    expect(browser.takeErrors()).toEqual([]);
    await page.close();
  });

  it('serves the tools index and links it to the Kubescape page', async () => {
    const page = await open('/tools/');
    expect(await page.locator('.sl-markdown-content a[href="/tools/kubescape/"]').count()).toBeGreaterThan(0);
    expect(browser.takeErrors()).toEqual([]);
    await page.close();
  });

  it('serves the sarif attestor page with its fact box', async () => {
    const page = await open('/attestors/sarif/');
    const box = page.locator('.fact-box[data-tool="sarif"]');
    expect(await box.count()).toBe(1);
    expect(text(await box.locator('tr[data-row="predicate-type"] code').textContent())).toMatch(/^https:\/\/aflock\.ai\/attestations\/sarif\//);
    expect(browser.takeErrors()).toEqual([]);
    await page.close();
  });

  it('saves full-page screenshots of the Kubescape page (desktop and phone) without sideways scrolling', async () => {
    mkdirSync(screenshotDir, { recursive: true });
    for (const [label, width] of [['desktop', 1280], ['mobile', 390]] as const) {
      const page = await open('/tools/kubescape/', width);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `page is ${overflow}px wider than a ${width}px viewport`).toBeLessThanOrEqual(0);
      const file = path.join(screenshotDir, `kubescape-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await page.locator('.fact-box').screenshot({ path: path.join(screenshotDir, `kubescape-factbox-${label}.png`) });
      console.log(`screenshot: ${file}`);
      await page.close();
    }
    expect(browser.takeErrors()).toEqual([]);
  });
});
