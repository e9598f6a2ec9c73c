// Shared helpers of the browser tests: environment, chromium launch, login,
// console-problem collection and "is this chart really drawn" checks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = (process.env.TOBOPS_URL || '').replace(/\/+$/, '');
export const PASSWORD = process.env.TOBOPS_ADMIN_PASSWORD || '';
export const USER = process.env.TOBOPS_ADMIN_USER || 'admin';
export const CHROMIUM = process.env.TOBOPS_CHROMIUM || '/usr/bin/chromium';
export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export const skip = !BASE ? 'TOBOPS_URL is not set (start `tobops serve` and set TOBOPS_URL and TOBOPS_ADMIN_PASSWORD)' : false;

// A logged-in page (zh-CN) plus the list of page errors, console errors and
// missing translations seen so far.
export async function openConsole(prefix) {
  assert.ok(fs.existsSync(CHROMIUM), `chromium not found at ${CHROMIUM}`);
  const shotDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // "Failed to load resource" is the browser logging an HTTP error status
    // (the 401 of /api/me before login, or a 400 a test provokes on purpose).
    if (/Failed to load resource/.test(m.text())) return;
    if (m.type() === 'error' || /i18n: missing key/.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  await page.goto(`${BASE}/#/overview`);
  await page.locator('[data-testid="login-form"]').waitFor();
  await page.fill('[data-testid="login-username"]', USER);
  await page.fill('[data-testid="login-password"]', PASSWORD);
  await page.click('[data-testid="login-submit"]');
  await page.locator('[data-testid="header-user"]').waitFor();
  return { browser, context, page, problems, shotDir };
}

// Returns true when the canvas has any non-transparent pixel.
export async function canvasPainted(locator) {
  return locator.evaluate((c) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return false;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4 * 7) if (data[i] !== 0) return true;
    return false;
  });
}

export async function expectChart(page, testId) {
  const canvas = page.locator(`[data-testid="${testId}"] canvas`).first();
  await canvas.waitFor({ state: 'visible' });
  const box = await canvas.boundingBox();
  assert.ok(box && box.width > 50 && box.height > 50, `${testId} canvas has a real size: ${JSON.stringify(box)}`);
  // ECharts draws asynchronously (animation frames); give it a moment.
  let painted = false;
  for (let i = 0; i < 30 && !painted; i++) {
    painted = await canvasPainted(canvas);
    if (!painted) await page.waitForTimeout(100);
  }
  assert.ok(painted, `${testId} canvas is painted`);
}

// Waits until a builder's event picker has been filled from /api/schema/events.
export async function waitForEventOptions(page, testId) {
  await page.waitForFunction((id) => document.querySelectorAll(`[data-testid="${id}"] option`).length > 2, testId);
}

// Waits for the run button of a builder to be enabled again (query finished).
export async function waitIdle(page, prefix) {
  await page.waitForFunction((p) => {
    const b = document.querySelector(`[data-testid="${p}-run"]`);
    return b && !b.disabled;
  }, prefix);
}

export async function noErrorBox(page, what) {
  const n = await page.locator('[data-testid="error"]').count();
  if (n) {
    const text = await page.locator('[data-testid="error"]').first().innerText();
    assert.fail(`${what}: error shown: ${text}`);
  }
}

// A subtest runner that screenshots the page into shotDir when a subtest fails, so
// one failure is visible and does not hide the others.
export function stepper(t, page, shotDir) {
  return (name, fn) => t.test(name, async () => {
    try {
      await fn();
    } catch (e) {
      await page.screenshot({ path: path.join(shotDir, `failure-${name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true }).catch(() => {});
      throw e;
    }
  });
}

// Opens a console route and waits until the shell (header) is there.
export async function goTo(page, route) {
  await page.goto(`${BASE}/#${route}`);
  await page.locator('[data-testid="header-user"]').waitFor();
}

// The console's JSON API through the browser context (its session cookie). get, post
// and patch answer the body and throw on an HTTP error status, naming the call; `call`
// answers {status, body} for a test that expects an error.
export function apiOf(context) {
  const call = async (method, url, data) => {
    const res = await context.request.fetch(`${BASE}${url}`, { method, data, headers: data ? { 'Content-Type': 'application/json' } : {} });
    const text = await res.text();
    let body = null;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: res.status(), body };
  };
  const ok = async (method, url, data) => {
    const r = await call(method, url, data);
    if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  };
  return { call, get: (u) => ok('GET', u), post: (u, d) => ok('POST', u, d), patch: (u, d) => ok('PATCH', u, d) };
}
