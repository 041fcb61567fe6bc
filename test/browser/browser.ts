/** Debian's Chromium driven by playwright-core (browser downloads are blocked, so no bundled browser). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { requireTool } from '../lib/system.js';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** Console errors and uncaught page errors seen on any page since the last `takeErrors()`. */
  takeErrors(): string[];
  newPage(width: number): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  // CILOCK_CHROMIUM or chromium on PATH; a missing one fails the test, saying how to get it.
  const executablePath = requireTool('chromium');
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'cilock-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  let errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: page error: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    takeErrors: () => {
      const taken = errors;
      errors = [];
      return taken;
    },
    newPage: async (width) => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
