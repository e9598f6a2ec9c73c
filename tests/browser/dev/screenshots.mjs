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


await page.goto(`${BASE}/#/funnel`);
await page.waitForFunction(() => document.querySelectorAll('[data-testid="funnel-step-event-0"] option').length > 1);
await page.click('[data-testid="funnel-run"]');
await page.locator('[data-testid="funnel-steps"]').waitFor();
const dropped = page.locator('[data-testid^="funnel-dropped-"]').first();
if (await dropped.count()) {
  await dropped.click();
  await page.locator('[data-testid="funnel-dropoff-list"], [data-testid="funnel-dropoff"] .state-empty').first().waitFor().catch(() => {});
}
await page.waitForTimeout(1200);
await page.screenshot({ path: path.join(out, 'funnel.png'), fullPage: true });

await page.goto(`${BASE}/#/retention`);
await page.waitForFunction(() => document.querySelectorAll('[data-testid="retention-start"] option').length > 1);
await page.click('[data-testid="retention-run"]');
await page.locator('[data-testid="retention-heatmap"]').waitFor();
await page.waitForTimeout(1200);
await page.screenshot({ path: path.join(out, 'retention.png'), fullPage: true });

await page.goto(`${BASE}/#/paths`);
await page.waitForFunction(() => document.querySelectorAll('[data-testid="paths-event"] option').length > 1);
const anchors = await page.locator('[data-testid="paths-event"] option').evaluateAll((os) => os.map((o) => o.value));
if (!anchors.includes('trial_started')) await page.selectOption('[data-testid="paths-event"]', anchors.includes('signup') ? 'signup' : anchors[1]);
await page.click('[data-testid="paths-run"]');
await page.locator('[data-testid="paths-sankey"] canvas').waitFor();
await page.waitForTimeout(1500);
await page.screenshot({ path: path.join(out, 'paths.png'), fullPage: true });

await page.goto(`${BASE}/#/lifecycle`);
await page.waitForFunction(() => document.querySelectorAll('[data-testid="lifecycle-event"] option').length > 1);
await page.click('[data-testid="lifecycle-run"]');
await page.locator('[data-testid="lifecycle-chart"] canvas').waitFor();
await page.locator('[data-testid="stickiness-chart"] canvas').waitFor().catch(() => {});
await page.waitForTimeout(1500);
await page.screenshot({ path: path.join(out, 'lifecycle.png'), fullPage: true });

await page.goto(`${BASE}/#/health`);
await page.locator('[data-testid="health-table"]').waitFor();
await page.locator('[data-testid="health-row"]').first().click();
await page.waitForTimeout(300);
await page.screenshot({ path: path.join(out, 'health.png'), fullPage: false });
await page.locator('[data-testid="health-open-account"]').first().click();
await page.locator('[data-testid="account-drill"]').waitFor();
await page.waitForTimeout(800);
await page.screenshot({ path: path.join(out, 'health-drill.png'), fullPage: false });
await page.keyboard.press('Escape');

await page.goto(`${BASE}/#/coverage`);
await page.locator('[data-testid="coverage-table"]').waitFor();
await page.waitForTimeout(300);
await page.screenshot({ path: path.join(out, 'coverage.png'), fullPage: false });
await page.locator('[data-testid="coverage-row"]').first().click();
await page.locator('[data-testid="account-drill"]').waitFor();
await page.waitForTimeout(800);
await page.screenshot({ path: path.join(out, 'coverage-drill.png'), fullPage: false });
await page.keyboard.press('Escape');

await page.goto(`${BASE}/#/funnel`);
await page.waitForFunction(() => document.querySelectorAll('[data-testid="funnel-step-event-0"] option').length > 1);
await page.click('[data-testid="funnel-run"]');
await page.locator('[data-testid="funnel-steps"]').waitFor();
await page.click('[data-testid="save-dashboard"]');
await page.locator('[data-testid="save-dashboard-form"]').waitFor();
await page.waitForFunction(() => !document.querySelector('[data-testid="save-dashboard-target"]').disabled);
await page.screenshot({ path: path.join(out, 'save-popover.png'), fullPage: false });
if (await page.locator('[data-testid="save-dashboard-new-name"]').count()) await page.fill('[data-testid="save-dashboard-new-name"]', 'screenshots');
await page.click('[data-testid="save-dashboard-submit"]');
await page.locator('[data-testid="save-dashboard-done"]').waitFor().catch(() => {});
await page.goto(`${BASE}/#/dashboards`);
await page.locator('[data-testid="dashboard-chart"]').first().waitFor().catch(() => {});
await page.waitForTimeout(1500);
await page.screenshot({ path: path.join(out, 'dashboards.png'), fullPage: true });

await browser.close();
console.log(out);
