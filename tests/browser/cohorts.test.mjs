// Browser test of cohorts and the attribution / distribution / interval pages:
// a cohort built and saved through the UI (an event condition, previewed first)
// appears in the list with a member count; a trend filtered by that cohort and
// broken down by it renders; the attribution page renders rows; distribution
// and interval draw their charts. The cohort is deleted at the end.
//
// Same environment as console.test.mjs (tests/browser/run.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  expectChart, goTo, noErrorBox, openConsole, skip, stepper, waitForEventOptions, waitIdle,
} from './helpers.mjs';

test('web console: cohorts, attribution, distribution, interval', { skip, timeout: 600_000 }, async (t) => {
  const { browser, page, problems, shotDir } = await openConsole('tobops-cohorts-');
  const step = stepper(t, page, shotDir);
  const go = (route) => goTo(page, route);
  const name = `登录用户-${Date.now() % 100000}`;
  let cohortId = '';
  page.on('dialog', (d) => d.accept());

  try {
    await step('cohorts: a cohort saved through the UI is listed with its member count', async () => {
      await go('/cohorts');
      await page.locator('[data-testid="cohort-form"]').waitFor();
      await waitForEventOptions(page, 'cohort-event-0');
      await page.fill('[data-testid="cohort-name"]', name);
      await page.selectOption('[data-testid="cohort-event-0"]', 'login');
      await page.selectOption('[data-testid="cohort-count-op-0"]', 'gte');
      await page.fill('[data-testid="cohort-count-0"]', '1');
      await page.fill('[data-testid="cohort-window-0"]', '365d');
      // A bad count is reported at the field.
      await page.fill('[data-testid="cohort-count-0"]', '-1');
      await page.click('[data-testid="cohort-run"]');
      await page.locator('[data-testid="field-error"]').first().waitFor();
      const field = await page.locator('[data-testid="field-error"]').first().getAttribute('data-field');
      assert.match(field, /conditions\[0\]/, `error names the condition: ${field}`);
      await page.fill('[data-testid="cohort-count-0"]', '1');
      await page.click('[data-testid="cohort-run"]');
      await page.locator('[data-testid="cohort-preview-count"]').waitFor();
      await waitIdle(page, 'cohort');
      const previewed = Number(await page.locator('[data-testid="cohort-preview-count"]').getAttribute('data-value'));
      assert.ok(previewed > 0, `preview count ${previewed}`);
      const firstMember = page.locator('[data-testid="cohort-member"]').first();
      assert.match(await firstMember.getAttribute('href'), /^#\/events\?q=/, 'members link to the events page');
      await page.click('[data-testid="cohort-save"]');
      await page.locator('[data-testid="cohort-saved"]').waitFor();
      const row = page.locator(`[data-testid="cohort-row"][data-name="${name}"]`);
      await row.waitFor();
      await row.locator('[data-testid="cohort-count"]').waitFor();
      const listed = Number(await row.locator('[data-testid="cohort-count"]').getAttribute('data-value'));
      assert.equal(listed, previewed, 'the list shows the previewed member count');
      await page.screenshot({ path: path.join(shotDir, 'cohorts.png'), fullPage: true });
    });

    await step('trend: filtered by the cohort and broken down by it', async () => {
      await go('/trends');
      await page.locator('[data-testid="trend-form"]').waitFor();
      await page.selectOption('[data-testid="trend-range"]', '365d');
      await page.click('[data-testid="trend-filters-add"]');
      await page.selectOption('[data-testid="trend-filters-source-0"]', 'cohort');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="trend-filters-cohort-0"] option').length > 1);
      const opts = await page.locator('[data-testid="trend-filters-cohort-0"] option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
      const hit = opts.find(([, l]) => l.startsWith(name));
      assert.ok(hit, `the cohort is offered: ${JSON.stringify(opts)}`);
      await page.selectOption('[data-testid="trend-filters-cohort-0"]', hit[0]);
      cohortId = await page.locator('[data-testid="trend-filters-cohort-0"]').inputValue();
      assert.ok(cohortId, 'a cohort is chosen');
      await page.click('[data-testid="trend-run"]');
      await page.locator('[data-testid="trend-table"]').waitFor();
      await waitIdle(page, 'trend');
      await noErrorBox(page, 'trend with a cohort filter');
      await expectChart(page, 'trend-chart');
      const total = Number(await page.locator('[data-testid="trend-total"]').first().getAttribute('data-value'));
      assert.ok(total > 0, `events of cohort members: ${total}`);

      // Breakdown by the cohort: rows labelled "属于分群" / "不属于分群".
      await page.selectOption('[data-testid="trend-bd-source"]', 'cohort');
      await page.selectOption('[data-testid="trend-bd-cohort"]', cohortId);
      await page.click('[data-testid="trend-run"]');
      await page.waitForFunction(() => /属于分群/.test(document.querySelector('[data-testid="trend-table"]')?.innerText || ''));
      await waitIdle(page, 'trend');
      await noErrorBox(page, 'trend broken down by a cohort');
      await page.screenshot({ path: path.join(shotDir, 'trend-cohort.png'), fullPage: true });
    });

    await step('attribution: rows of credit per channel', async () => {
      await go('/attribution');
      await page.locator('[data-testid="attribution-form"]').waitFor();
      await waitForEventOptions(page, 'attribution-conversion');
      await page.selectOption('[data-testid="attribution-conversion"]', 'signup');
      await page.selectOption('[data-testid="attribution-touch-source"]', 'account');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="attribution-touch-property"] option').length > 1);
      await page.selectOption('[data-testid="attribution-touch-property"]', 'industry');
      await page.selectOption('[data-testid="attribution-model"]', 'all');
      await page.selectOption('[data-testid="attribution-range"]', '365d');
      await page.click('[data-testid="attribution-run"]');
      await page.locator('[data-testid="attribution-table"]').waitFor();
      await noErrorBox(page, 'attribution');
      const rows = await page.locator('[data-testid="attribution-row"]').count();
      assert.ok(rows > 0, `attribution rows: ${rows}`);
      await expectChart(page, 'attribution-chart');
      await page.screenshot({ path: path.join(shotDir, 'attribution.png'), fullPage: true });
    });

    await step('distribution and interval: charts and tables', async () => {
      await go('/distribution');
      await page.locator('[data-testid="distribution-form"]').waitFor();
      await waitForEventOptions(page, 'distribution-event');
      await page.selectOption('[data-testid="distribution-range"]', '365d');
      await page.click('[data-testid="distribution-run"]');
      await page.locator('[data-testid="distribution-table"]').waitFor();
      await noErrorBox(page, 'distribution');
      await expectChart(page, 'distribution-chart');

      await go('/interval');
      await page.locator('[data-testid="interval-form"]').waitFor();
      await waitForEventOptions(page, 'interval-from');
      await page.selectOption('[data-testid="interval-range"]', '365d');
      await page.click('[data-testid="interval-run"]');
      await page.locator('[data-testid="interval-page-result"]').waitFor();
      await waitIdle(page, 'interval');
      await noErrorBox(page, 'interval');
    });

    await step('cohorts: edit the saved cohort in place', async () => {
      await go('/cohorts');
      const row = page.locator(`[data-testid="cohort-row"][data-name="${name}"]`);
      await row.locator('[data-testid="cohort-count"]').waitFor();
      const before = Number(await row.locator('[data-testid="cohort-count"]').getAttribute('data-value'));
      await row.locator('[data-testid="cohort-edit"]').click();
      // The builder holds the saved definition: name, event, window.
      assert.equal(await page.inputValue('[data-testid="cohort-name"]'), name);
      assert.equal(await page.inputValue('[data-testid="cohort-event-0"]'), 'login');
      assert.equal(await page.inputValue('[data-testid="cohort-window-0"]'), '365d');
      // Narrow the window: logged in within 7 days is a subset of within 365 days.
      await page.fill('[data-testid="cohort-window-0"]', '7d');
      await page.click('[data-testid="cohort-save"]');
      await page.locator('[data-testid="cohort-saved"]').waitFor();
      await page.waitForFunction((n) => {
        const rows = document.querySelectorAll(`[data-testid="cohort-row"][data-name="${n}"]`);
        return rows.length === 1 && rows[0].innerText.includes('7d');
      }, name);
      await row.locator('[data-testid="cohort-count"]').waitFor();
      const after = Number(await row.locator('[data-testid="cohort-count"]').getAttribute('data-value'));
      assert.ok(after <= before, `7-day members ${after} within 365-day members ${before}`);
      await page.click('[data-testid="cohort-new"]');
      assert.equal(await page.inputValue('[data-testid="cohort-name"]'), '');
    });

    await step('cohorts: delete the cohort', async () => {
      await go('/cohorts');
      const row = page.locator(`[data-testid="cohort-row"][data-name="${name}"]`);
      await row.waitFor();
      await row.locator('[data-testid="cohort-delete"]').click();
      await row.waitFor({ state: 'detached' });
    });

    assert.deepEqual(problems, [], 'no page errors, console errors or missing translations');
  } finally {
    await browser.close();
  }
});
