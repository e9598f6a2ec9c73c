// Browser test of the analysis pages of the console: funnel (bars, drop-off
// list, link to the events page), retention heat map, paths Sankey and top
// paths, lifecycle and stickiness, account health (sorted by score, parts),
// decision-chain coverage (drill-down), trend formulas and period comparison,
// the server's field errors, saving a chart to a dashboard, CSV export.
//
// Same environment as console.test.mjs: TOBOPS_URL and TOBOPS_ADMIN_PASSWORD
// (tests/browser/run.sh starts `tobops serve` on 200k demo events).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  expectChart, goTo, noErrorBox, openConsole, skip, stepper, waitForEventOptions, waitIdle,
} from './helpers.mjs';

test('web console: analysis pages, dashboards and export', { skip, timeout: 600_000 }, async (t) => {
  const { browser, page, problems, shotDir } = await openConsole('tobops-analytics-');
  // Every subtest starts from its own route, so one failure does not hide the others.
  const step = stepper(t, page, shotDir);
  const go = (route) => goTo(page, route);

  try {
    await step('funnel: 3-step funnel renders bars and the drop-off list opens', async () => {
      await go('/funnel');
      await page.locator('[data-testid="funnel-form"]').waitFor();
      await waitForEventOptions(page, 'funnel-step-event-0');
      assert.equal(await page.locator('[data-testid="funnel-step"]').count(), 3, 'the default funnel has 3 steps');
      await page.selectOption('[data-testid="funnel-step-event-0"]', 'signup');
      await page.selectOption('[data-testid="funnel-step-event-1"]', 'trial_started');
      await page.selectOption('[data-testid="funnel-step-event-2"]', 'purchase');
      await page.selectOption('[data-testid="funnel-range"]', '365d');
      await page.click('[data-testid="funnel-run"]');
      await page.locator('[data-testid="funnel-steps"]').waitFor();
      await noErrorBox(page, 'funnel');
      await expectChart(page, 'funnel-chart');
      const counts = await page.locator('[data-testid="funnel-step-count"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
      assert.equal(counts.length, 3, 'one row per step');
      assert.ok(counts[0] > 0, `step 1 count ${counts[0]}`);
      assert.ok(counts[0] >= counts[1] && counts[1] >= counts[2], `counts do not increase: ${counts}`);
      await page.screenshot({ path: path.join(shotDir, 'funnel.png'), fullPage: true });

      // The first step with drop-offs lists who dropped; ids link to the events page.
      const dropped = page.locator('[data-testid^="funnel-dropped-"]').first();
      assert.ok(await dropped.count() > 0, 'some step has drop-offs');
      await dropped.click();
      await page.locator('[data-testid="funnel-dropoff-list"] li').first().waitFor();
      const n = await page.locator('[data-testid="funnel-dropoff-list"] li').count();
      assert.ok(n > 0 && n <= 100, `drop-off ids listed: ${n}`);
      await page.screenshot({ path: path.join(shotDir, 'funnel-dropoff.png'), fullPage: true });
      const link = page.locator('[data-testid="funnel-entity"]').first();
      const id = (await link.innerText()).trim();
      assert.match(await link.getAttribute('href'), /^#\/events\?q=/);
      await link.click();
      await page.locator('[data-testid="events-search"]').waitFor();
      const q = await page.inputValue('[data-testid="events-search"]');
      assert.ok(id.endsWith(q) && q.length > 0, `events page searches for ${id}: "${q}"`);
      await page.locator('[data-testid="events-table"] tbody tr').first().waitFor();
    });

    await step('funnel: a server field error shows next to its field', async () => {
      await go('/funnel');
      await waitForEventOptions(page, 'funnel-step-event-0');
      await page.fill('[data-testid="funnel-window"]', 'soon');
      await page.click('[data-testid="funnel-run"]');
      await page.locator('[data-testid="error"]').waitFor();
      const fe = page.locator('[data-testid="field-error"][data-field="window"]');
      await fe.waitFor();
      assert.ok((await fe.innerText()).length > 0, 'the message is shown by the window field');
    });

    await step('retention: heat map renders cells and the curve', async () => {
      await go('/retention');
      await page.locator('[data-testid="retention-form"]').waitFor();
      await waitForEventOptions(page, 'retention-start');
      await page.selectOption('[data-testid="retention-start"]', 'signup');
      await page.selectOption('[data-testid="retention-return"]', '$any');
      await page.selectOption('[data-testid="retention-period"]', 'week');
      await page.selectOption('[data-testid="retention-range"]', '180d');
      await page.click('[data-testid="retention-run"]');
      await page.locator('[data-testid="retention-heatmap"]').waitFor();
      await noErrorBox(page, 'retention');
      const cells = await page.locator('[data-testid="retention-heatmap"] td.heat-cell[data-value]').count();
      assert.ok(cells > 0, `heat map cells: ${cells}`);
      const rows = await page.locator('[data-testid="retention-heatmap"] tbody tr').count();
      assert.ok(rows >= 2, `total row and cohorts: ${rows}`);
      await expectChart(page, 'retention-curve');
      await page.screenshot({ path: path.join(shotDir, 'retention.png'), fullPage: true });
    });

    await step('paths: Sankey and top paths', async () => {
      await go('/paths');
      await page.locator('[data-testid="paths-form"]').waitFor();
      await waitForEventOptions(page, 'paths-event');
      await page.selectOption('[data-testid="paths-event"]', 'trial_started');
      await page.selectOption('[data-testid="paths-range"]', '365d');
      await page.click('[data-testid="paths-run"]');
      await page.locator('[data-testid="paths-table"]').waitFor();
      await noErrorBox(page, 'paths');
      await expectChart(page, 'paths-sankey');
      const rows = await page.locator('[data-testid="paths-table"] tbody tr').count();
      assert.ok(rows > 0, `top paths: ${rows}`);
      const first = await page.locator('[data-testid="paths-table"] tbody tr').first().innerText();
      assert.match(first, /trial_started/, 'paths start at the anchor');
      await page.screenshot({ path: path.join(shotDir, 'paths.png'), fullPage: true });
    });

    await step('lifecycle and stickiness: stacked bars and histogram', async () => {
      await go('/lifecycle');
      await page.locator('[data-testid="lifecycle-form"]').waitFor();
      await waitForEventOptions(page, 'lifecycle-event');
      await page.selectOption('[data-testid="lifecycle-interval"]', 'week');
      await page.click('[data-testid="lifecycle-run"]');
      await page.locator('[data-testid="lifecycle-table"]').waitFor();
      await page.locator('[data-testid="stickiness-chart"]').waitFor();
      await noErrorBox(page, 'lifecycle');
      await expectChart(page, 'lifecycle-chart');
      await expectChart(page, 'stickiness-chart');
      await page.screenshot({ path: path.join(shotDir, 'lifecycle.png'), fullPage: true });
    });

    await step('health: table has rows sorted by score, parts on expand', async () => {
      await go('/health');
      await page.locator('[data-testid="health-table"] [data-testid="health-row"]').first().waitFor();
      await noErrorBox(page, 'health');
      // Most at risk first by default (the server's score_asc), the other way after a header click.
      const scores = await page.locator('[data-testid="health-score"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
      assert.ok(scores.length > 0, 'accounts listed');
      for (let i = 1; i < scores.length; i++) assert.ok(scores[i - 1] <= scores[i], `sorted by score, ascending: ${scores[i - 1]} then ${scores[i]}`);
      await page.click('[data-testid="sort-score"] button');
      await page.waitForFunction(() => {
        const v = [...document.querySelectorAll('[data-testid="health-score"]')].map((e) => Number(e.dataset.value));
        return v.length > 1 && v[0] >= v[v.length - 1] && !document.querySelector('.card-busy');
      });
      const desc = await page.locator('[data-testid="health-score"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
      for (let i = 1; i < desc.length; i++) assert.ok(desc[i - 1] >= desc[i], `descending after a click on the header: ${desc[i - 1]} then ${desc[i]}`);
      await page.locator('[data-testid="health-row"]').first().click();
      await page.locator('[data-testid="health-parts"] tbody tr').first().waitFor();
      await page.screenshot({ path: path.join(shotDir, 'health.png'), fullPage: false });
    });

    await step('coverage: role grid and the account drill-down', async () => {
      await go('/coverage');
      await page.locator('[data-testid="coverage-row"]').first().waitFor();
      await noErrorBox(page, 'coverage');
      const cells = await page.locator('[data-testid="coverage-table"] td.cov-cell').count();
      assert.ok(cells > 0, 'role cells');
      const account = await page.locator('[data-testid="coverage-row"]').first().getAttribute('data-account');
      await page.locator('[data-testid="coverage-row"]').first().click();
      await page.locator('[data-testid="account-drill"]').waitFor();
      await page.locator('[data-testid="account-drill-roles"] tbody tr').first().waitFor();
      assert.equal(await page.locator('[data-testid="account-drill-all-events"]').getAttribute('href'), `#/events?q=${encodeURIComponent(account)}`);
      await page.screenshot({ path: path.join(shotDir, 'coverage-drill.png'), fullPage: false });
      await page.click('[data-testid="account-drill-close"]');
    });

    await step('trend: numeric measure, formula and previous period', async () => {
      await go('/trends');
      await waitForEventOptions(page, 'trend-event');
      await page.selectOption('[data-testid="trend-event"]', 'signup');
      await page.selectOption('[data-testid="trend-measure"]', 'events');
      await page.click('[data-testid="trend-add-series"]');
      await page.selectOption('[data-testid="trend-event-1"]', 'trial_started');
      await page.click('[data-testid="trend-add-formula"]');
      assert.equal(await page.inputValue('[data-testid="trend-formula-expr-0"]'), 'B / A');
      await page.check('[data-testid="trend-compare"]');
      await page.selectOption('[data-testid="trend-range"]', '90d');
      await page.selectOption('[data-testid="trend-interval"]', 'week');
      await page.click('[data-testid="trend-run"]');
      await page.locator('[data-testid="trend-table"]').waitFor();
      await waitIdle(page, 'trend');
      await noErrorBox(page, 'trend formula');
      await expectChart(page, 'trend-chart');
      const rows = await page.locator('[data-testid="trend-table"] tbody tr').allInnerTexts();
      assert.ok(rows.some((r) => r.includes('B / A')), `a formula row: ${rows.join(' | ')}`);
      assert.ok(await page.locator('[data-testid="trend-table"] tbody tr.row-muted').count() >= 2, 'previous-period rows');
      await page.screenshot({ path: path.join(shotDir, 'trend-formula.png'), fullPage: true });

      // A numeric measure needs a property; purchase carries amount in the demo data.
      await go('/trends');
      await waitForEventOptions(page, 'trend-event');
      await page.selectOption('[data-testid="trend-event"]', 'purchase');
      await page.selectOption('[data-testid="trend-measure"]', 'sum');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="trend-measure-property"] option').length > 1);
      const props = await page.locator('[data-testid="trend-measure-property"] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      await page.selectOption('[data-testid="trend-measure-property"]', props.includes('amount') ? 'amount' : props[0]);
      await page.selectOption('[data-testid="trend-range"]', '365d');
      await page.click('[data-testid="trend-run"]');
      await page.locator('[data-testid="trend-table"]').waitFor();
      await waitIdle(page, 'trend');
      await noErrorBox(page, 'trend sum');
      await expectChart(page, 'trend-chart');
    });

    await step('dashboards: a saved chart appears on the dashboards page', async () => {
      const name = `browser-test-${Date.now()}`;
      await go('/funnel');
      await waitForEventOptions(page, 'funnel-step-event-0');
      await page.click('[data-testid="funnel-run"]');
      await page.locator('[data-testid="funnel-steps"]').waitFor();
      await page.click('[data-testid="save-dashboard"]');
      await page.locator('[data-testid="save-dashboard-form"]').waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid="save-dashboard-target"]').disabled);
      await page.selectOption('[data-testid="save-dashboard-target"]', '__new__');
      await page.fill('[data-testid="save-dashboard-new-name"]', name);
      await page.fill('[data-testid="save-dashboard-title"]', '注册漏斗 browser');
      await page.click('[data-testid="save-dashboard-submit"]');
      await page.locator('[data-testid="save-dashboard-done"]').waitFor();
      await page.click('[data-testid="save-dashboard-done"] a');
      await page.locator('[data-testid="dashboards-page"]').waitFor();
      const tab = page.locator('[data-testid="dashboard-tab"].active');
      await tab.waitFor();
      assert.match(await tab.innerText(), new RegExp(name));
      const chart = page.locator('[data-testid="dashboard-chart"]');
      await chart.first().waitFor();
      assert.equal(await chart.count(), 1);
      assert.match(await chart.first().locator('h2').innerText(), /注册漏斗 browser/);
      await expectChart(page, 'funnel-chart');
      await page.screenshot({ path: path.join(shotDir, 'dashboards.png'), fullPage: true });

      // "Open in analysis" brings the spec back into the funnel builder and runs it.
      await page.click('[data-testid="dashboard-chart-open"]');
      await page.locator('[data-testid="funnel-steps"]').waitFor();

      // Clean up: delete the dashboard (confirm dialog accepted).
      await go('/dashboards');
      await page.locator('[data-testid="dashboard-tab"]', { hasText: name }).click();
      await page.locator('[data-testid="dashboard-tab"].active', { hasText: name }).waitFor();
      page.once('dialog', (d) => d.accept());
      await page.click('[data-testid="dashboard-delete"]');
      await page.waitForFunction((n) => ![...document.querySelectorAll('[data-testid="dashboard-tab"]')].some((a) => a.textContent.includes(n)), name);
    });

    await step('export: CSV download has a header row', async () => {
      await go('/trends');
      await waitForEventOptions(page, 'trend-event');
      await page.selectOption('[data-testid="trend-event"]', 'signup');
      await page.click('[data-testid="trend-run"]');
      await page.locator('[data-testid="trend-table"]').waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-testid="export-csv"]'),
      ]);
      assert.match(download.suggestedFilename(), /\.csv$/);
      const file = path.join(shotDir, download.suggestedFilename());
      await download.saveAs(file);
      const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
      assert.ok(lines.length >= 2, `header and data rows: ${lines.length}`);
      const header = lines[0].split(',');
      assert.ok(header.length >= 2 && header.every((h) => h.trim().length > 0), `header row: ${lines[0]}`);
      assert.ok(!/^\d/.test(lines[0]), `the first row is a header, not data: ${lines[0]}`);

      const [xlsx] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-testid="export-xlsx"]'),
      ]);
      assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
      const xfile = path.join(shotDir, xlsx.suggestedFilename());
      await xlsx.saveAs(xfile);
      assert.equal(fs.readFileSync(xfile).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
    });

    await step('English: the analysis pages are translated', async () => {
      await page.selectOption('[data-testid="lang-select"]', 'en');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      await go('/funnel');
      assert.equal((await page.locator('[data-testid="nav-funnel"]').innerText()).trim(), 'Funnels');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Funnels');
      await waitForEventOptions(page, 'funnel-step-event-0');
      await page.click('[data-testid="funnel-run"]');
      await page.locator('[data-testid="funnel-steps"]').waitFor();
      assert.match(await page.locator('[data-testid="funnel-steps"] thead').innerText(), /Overall conversion/);
      await page.screenshot({ path: path.join(shotDir, 'funnel-en.png'), fullPage: false });
      await page.selectOption('[data-testid="lang-select"]', 'zh-CN');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    });

    assert.deepEqual(problems, [], 'no page errors, console errors or missing translations');
  } finally {
    t.diagnostic(`screenshots in ${shotDir}`);
    await browser.close();
  }
});
