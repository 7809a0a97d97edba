/**
 * The committed evidence site (docs/report) in a real browser: Debian's chromium, driven by playwright-core (no
 * downloaded browser), over a loopback HTTP server rooted at the repository (so links into the repository resolve).
 * Opens the index, the v1/v2 page, the mutation matrix and one theorem page per family; checks every plot has data
 * marks, every maths formula rendered, every link inside the site or the repository resolves (external citations in
 * the proof notes are only checked for form: the machine is offline), and the console shows no errors. Screenshots go to
 * test-artifacts/report/ (gitignored). .ci/run installs chromium; without it this test fails with that instruction.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/gate/mutants/index.ts';
import { readRecords } from '../../src/report/records.ts';

const CHROMIUM = '/usr/bin/chromium';
const SITE = 'docs/report';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'report');
// the machine is offline: without these, chromium keeps trying to reach update and sync services
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.woff2': 'font/woff2', '.jsonl': 'application/jsonl', '.md': 'text/markdown; charset=utf-8', '.ts': 'text/plain; charset=utf-8' };

/** GET-only static server over the repository, loopback only; paths cannot leave the root. */
function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0].split('#')[0]));
    const file = join(root, path);
    if (req.method !== 'GET' || !(file === root || file.startsWith(root + sep)) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not a file');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

interface Visit {
  readonly errors: string[];
  readonly page: Page;
}

describe('the evidence site in headless chromium', () => {
  let server: Server;
  let browser: Browser;
  let base: string;
  const records = readRecords(readFileSync(join(REPO_ROOT, SITE, 'run.jsonl'), 'utf8'));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`browser test: ${CHROMIUM} is missing; install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await serve(REPO_ROOT);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${SITE}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  });

  async function visit(file: string, scheme: 'light' | 'dark' = 'light'): Promise<Visit> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    const res = await page.goto(base + file, { waitUntil: 'load' });
    expect(res?.status(), file).toBe(200);
    await page.evaluate(() => document.fonts.ready);
    return { errors, page };
  }

  /** every plot has data marks; returns how many plots the page has */
  async function plotsHaveData(page: Page, file: string): Promise<number> {
    const counts = await page.$$eval('figure.plot svg', (svgs) => svgs.map((s) => s.querySelectorAll('.role-mark > path, .role-mark > line').length));
    for (const [i, n] of counts.entries()) expect(n, `${file}: plot ${i} has no data marks`).toBeGreaterThan(0);
    return counts.length;
  }

  /** every link resolves: same-page anchors exist; other relative links answer 200 (and their #anchor exists) */
  async function linksResolve(page: Page, file: string): Promise<number> {
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    const ids = new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id)));
    const targets = new Map<string, string>();
    for (const href of hrefs) {
      expect(href, `${file}: empty link`).not.toBe('');
      // citations of papers (proof notes) point outside; the machine is offline, so only their form is checked
      if (/^https?:\/\//.test(href)) {
        expect(() => new URL(href), `${file}: malformed external link ${href}`).not.toThrow();
        continue;
      }
      expect(/^[a-z]+:/i.test(href), `${file}: link ${href} uses another scheme`).toBe(false);
      if (href.startsWith('#')) {
        expect(ids.has(href.slice(1)), `${file}: anchor ${href} has no target`).toBe(true);
        continue;
      }
      targets.set(href, new URL(href, base + file).href);
    }
    await Promise.all([...targets].map(async ([href, url]) => {
      const r = await page.request.get(url);
      expect(r.status(), `${file}: link ${href}`).toBe(200);
      const hash = new URL(url).hash;
      if (hash !== '') expect(await r.text(), `${file}: link ${href}: no element with that id`).toContain(`id="${hash.slice(1)}"`);
    }));
    return hrefs.length;
  }

  it('the index lists every theorem by family, links resolve, no console errors', async () => {
    const { page, errors } = await visit('index.html');
    const rows = await page.$$eval('table tbody tr', (trs) => trs.length);
    expect(rows).toBe(records.theorems.length);
    const families = await page.$$eval('h2[id^="family-"]', (hs) => hs.map((h) => h.textContent));
    expect(families).toEqual([...new Set(records.theorems.map((t) => t.family))]);
    expect(await linksResolve(page, 'index.html')).toBeGreaterThan(records.theorems.length);
    await page.screenshot({ path: join(ARTIFACTS, 'index.png') });
    expect(errors).toEqual([]);
    const dark = await visit('index.html', 'dark');
    await dark.page.screenshot({ path: join(ARTIFACTS, 'index-dark.png') });
    expect(dark.errors).toEqual([]);
  }, 300_000);

  it('a theorem page of each family: maths rendered, plots with data, links resolve, no console errors', async () => {
    const families = [...new Set(records.theorems.map((t) => t.family))];
    for (const fam of families) {
      const ts = records.theorems.filter((t) => t.family === fam);
      const t = ts.find((x) => x.plot !== null) ?? ts[0];
      const file = `${t.id}.html`;
      const { page, errors } = await visit(file);
      expect(await page.$$eval('.statement .katex', (k) => k.length), `${file}: statement not rendered by KaTeX`).toBe(1);
      expect(await page.$$eval('.tex-error', (k) => k.length), `${file}: LaTeX KaTeX rejected`).toBe(0);
      const plots = await plotsHaveData(page, file);
      expect(plots, `${file}: plots on the page`).toBe(t.plot === null ? 0 : 1);
      await linksResolve(page, file);
      await page.screenshot({ path: join(ARTIFACTS, `${fam}-${t.id}.png`) });
      if (plots > 0) await page.locator('figure.plot').first().screenshot({ path: join(ARTIFACTS, `${fam}-${t.id}-plot.png`) });
      expect(errors, file).toEqual([]);
    }
  }, 300_000);

  it('the v1/v2 page and the mutation matrix render their plots with data, dark theme included', async () => {
    for (const [file, scheme] of [['versions.html', 'light'], ['mutants.html', 'light'], ['L-3-linear-speedup.html', 'dark']] as const) {
      const { page, errors } = await visit(file, scheme);
      expect(await plotsHaveData(page, file), `${file}: plots`).toBeGreaterThan(0);
      await linksResolve(page, file);
      await page.screenshot({ path: join(ARTIFACTS, `${file.replace('.html', '')}-${scheme}.png`), fullPage: file !== 'versions.html' });
      await page.locator('figure.plot').first().screenshot({ path: join(ARTIFACTS, `${file.replace('.html', '')}-${scheme}-plot.png`) });
      expect(errors, file).toEqual([]);
    }
  }, 300_000);
});
