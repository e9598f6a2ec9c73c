// Browser test of the tobops web console.
//
// Needs a running server: TOBOPS_URL (e.g. http://127.0.0.1:8080) and
// TOBOPS_ADMIN_PASSWORD; the test harness starts `tobops serve` on demo data
// and sets both. Uses Debian's chromium (/usr/bin/chromium, or
// TOBOPS_CHROMIUM) through playwright-core.
//
//   npm ci --prefix tests/browser
//   TOBOPS_URL=http://127.0.0.1:8080 TOBOPS_ADMIN_PASSWORD=… node --test tests/browser/

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  ARGS, BASE, CHROMIUM, PASSWORD, USER, expectChart, skip,
} from './helpers.mjs';

// The login flow is what this test checks, so it launches chromium itself (with the
// shared ARGS) rather than through openConsole.

test('web console: login, overview, language, trend builder', { skip, timeout: 120_000 }, async (t) => {
  assert.ok(fs.existsSync(CHROMIUM), `chromium not found at ${CHROMIUM}`);
  const shotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tobops-browser-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // "Failed to load resource" is the browser logging an HTTP error status,
    // such as the expected 401 of /api/me before login.
    if (/Failed to load resource/.test(m.text())) return;
    if (m.type() === 'error' || /i18n: missing key/.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });

  try {
    await t.test('login page, then sign in', async () => {
      await page.goto(`${BASE}/#/overview`);
      await page.locator('[data-testid="login-form"]').waitFor();
      await page.fill('[data-testid="login-username"]', USER);
      await page.fill('[data-testid="login-password"]', PASSWORD);
      await page.click('[data-testid="login-submit"]');
      await page.locator('[data-testid="header-user"]').waitFor();
      assert.match(await page.locator('[data-testid="header-user"]').innerText(), new RegExp(USER));
    });

    await t.test('overview: chart rendered and events > 0', async () => {
      await page.locator('[data-testid="kpi-events-value"]').waitFor();
      const events = Number(await page.locator('[data-testid="kpi-events-value"]').getAttribute('data-value'));
      assert.ok(events > 0, `KPI events is ${events}`);
      await expectChart(page, 'overview-chart');
      assert.ok(await page.locator('[data-testid="top-events"] li').count() > 0, 'top events listed');
      await page.screenshot({ path: path.join(shotDir, 'overview.png'), fullPage: true });
    });

    await t.test('language switch: English and back, remembered', async () => {
      const nav = page.locator('[data-testid="nav-overview"]');
      assert.equal((await nav.innerText()).trim(), '概览');
      await page.selectOption('[data-testid="lang-select"]', 'en');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.equal((await nav.innerText()).trim(), 'Overview');
      await page.reload();
      await page.locator('[data-testid="nav-overview"]').waitFor();
      assert.equal((await page.locator('[data-testid="nav-overview"]').innerText()).trim(), 'Overview', 'choice survives a reload');
      await page.screenshot({ path: path.join(shotDir, 'overview-en.png') });
      await page.selectOption('[data-testid="lang-select"]', 'zh-CN');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      assert.equal((await page.locator('[data-testid="nav-overview"]').innerText()).trim(), '概览');
    });

    await t.test('trend builder: run a query', async () => {
      await page.click('[data-testid="nav-trends"]');
      await page.locator('[data-testid="trend-form"]').waitFor();
      // The event list comes from /api/schema/events.
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="trend-event"] option').length > 1);
      await page.selectOption('[data-testid="trend-range"]', '30d');
      await page.selectOption('[data-testid="trend-interval"]', 'day');
      await page.click('[data-testid="trend-run"]');
      await page.locator('[data-testid="trend-table"]').waitFor();
      await expectChart(page, 'trend-chart');
      const total = Number(await page.locator('[data-testid="trend-total"]').first().getAttribute('data-value'));
      assert.ok(total > 0, `trend total is ${total}`);

      // Breakdown by an event property (channel when the data has it).
      await page.selectOption('[data-testid="trend-bd-source"]', 'event');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="trend-bd-property"] option').length > 1);
      const options = await page.locator('[data-testid="trend-bd-property"] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      await page.selectOption('[data-testid="trend-bd-property"]', options.includes('channel') ? 'channel' : options[0]);
      await page.click('[data-testid="trend-run"]');
      await page.waitForFunction(() => !document.querySelector('[data-testid="trend-run"]').disabled);
      assert.equal(await page.locator('[data-testid="error"]').count(), 0, 'no error after the breakdown query');
      assert.ok(await page.locator('[data-testid="trend-total"]').count() >= 1, 'breakdown rows');
      await expectChart(page, 'trend-chart');
      await page.screenshot({ path: path.join(shotDir, 'trend.png'), fullPage: true });
    });

    assert.deepEqual(problems, [], 'no page errors, console errors or missing translations');
  } catch (e) {
    await page.screenshot({ path: path.join(shotDir, 'failure.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    t.diagnostic(`screenshots in ${shotDir}`);
    await browser.close();
  }
});
