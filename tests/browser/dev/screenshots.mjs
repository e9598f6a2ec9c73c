// Development helper: screenshots of every console page, for a visual check.
//   TOBOPS_URL=http://127.0.0.1:8099 TOBOPS_ADMIN_PASSWORD=demo-password node tests/browser/dev/screenshots.mjs [outdir] [lang]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.TOBOPS_URL || 'http://127.0.0.1:8099').replace(/\/+$/, '');
const PASSWORD = process.env.TOBOPS_ADMIN_PASSWORD || 'demo-password';
const out = process.argv[2] || fs.mkdtempSync(path.join(os.tmpdir(), 'tobops-shots-'));
const lang = process.argv[3] || 'zh-CN';
const width = Number(process.env.WIDTH || 1366);
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
page.on('console', (m) => { if (m.type() !== 'log') console.log('console:', m.type(), m.text()); });
await page.goto(`${BASE}/`);
await page.evaluate((l) => localStorage.setItem('tobops.lang', l), lang);
await page.reload();
await page.locator('[data-testid="login-form"]').waitFor();
await page.screenshot({ path: path.join(out, 'login.png') });
await page.fill('[data-testid="login-password"]', PASSWORD);
await page.click('[data-testid="login-submit"]');
await page.locator('[data-testid="kpi-events-value"]').waitFor();
await page.waitForTimeout(1200);
await page.screenshot({ path: path.join(out, 'overview.png'), fullPage: true });

await page.goto(`${BASE}/#/events`);
await page.locator('[data-testid="events-table"]').waitFor();
await page.locator('[data-testid="events-table"] tbody tr').nth(1).click();
await page.waitForTimeout(300);
await page.screenshot({ path: path.join(out, 'events.png'), fullPage: false });

await page.goto(`${BASE}/#/trends`);
await page.waitForFunction(() => document.querySelectorAll('[data-testid="trend-event"] option').length > 1);
await page.selectOption('[data-testid="trend-bd-source"]', 'account');
await page.waitForFunction(() => document.querySelectorAll('[data-testid="trend-bd-property"] option').length > 1);
await page.selectOption('[data-testid="trend-bd-property"]', 'industry');
await page.check('[data-testid="trend-use-filter"]');
await page.click('[data-testid="trend-run"]');
await page.locator('[data-testid="trend-table"]').waitFor();
await page.waitForTimeout(1200);
await page.screenshot({ path: path.join(out, 'trend.png'), fullPage: true });

await page.goto(`${BASE}/#/data/keys`);
await page.locator('[data-testid="keys-table"]').waitFor();
await page.fill('[data-testid="key-name"]', 'mobile app');
await page.click('[data-testid="key-create"]');
await page.locator('[data-testid="key-secret-box"]').waitFor();
await page.waitForTimeout(300);
await page.screenshot({ path: path.join(out, 'keys.png'), fullPage: true });

await page.goto(`${BASE}/#/data/quarantine`);
await page.locator('[data-testid="quarantine-table"]').waitFor();
await page.locator('[data-testid="quarantine-table"] tbody tr').first().click();
await page.waitForTimeout(300);
await page.screenshot({ path: path.join(out, 'quarantine.png'), fullPage: true });

await page.goto(`${BASE}/#/data/plan`);
await page.locator('[data-testid="plan-mode"]').waitFor();
await page.screenshot({ path: path.join(out, 'plan.png'), fullPage: true });
await page.click('[data-testid="plan-view-json"]');
await page.screenshot({ path: path.join(out, 'plan-json.png'), fullPage: false });

await page.goto(`${BASE}/#/data/report`);
await page.locator('[data-testid="report-table"]').waitFor();
await page.locator('[data-testid="report-table"] tbody tr').first().click();
await page.waitForTimeout(300);
await page.screenshot({ path: path.join(out, 'report.png'), fullPage: true });

await browser.close();
console.log(out);
