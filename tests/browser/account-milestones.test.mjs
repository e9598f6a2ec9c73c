// Browser test of the account page's Milestones section and the partner ↔ account link
// on the demo data (docs/growth/customer_success.md, docs/growth/partners.md):
// - the demo links partners to accounts: the partner page links its account, and that
//   account's timeline (read through the API, page by page) holds the partner's
//   partner_points_recorded events;
// - on that account's page the Milestones card shows the overview's milestones in
//   order (same count and overdue rows as GET /api/accounts/ID/overview) with a
//   progress bar of done / total;
// - a milestone added through the drawer form appears last, "done" marks it done
//   (progress + 1) and its milestone_done event tops the timeline; edit changes its
//   owner;
// - a points entry added now shows in the timeline as "partner · kind · +points";
// - the card in English.
// Same environment as console.test.mjs (tests/browser/run.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, noErrorBox, openConsole, skip, stepper, apiOf } from './helpers.mjs';


test('web console: milestones and partner points on the account page', { skip, timeout: 600_000 }, async (t) => {
  const { browser, context, page, problems, shotDir } = await openConsole('tobops-milestones-');
  const step = stepper(t, page, shotDir);
  const go = (route) => goTo(page, route);
  const api = apiOf(context);
  const tag = String(Date.now() % 1000000);
  let partner = null;
  let accountId = null;

  try {
    await step('demo: a partner linked to an account, its points on that timeline', async () => {
      const partners = (await api.get('/api/partners?limit=100')).records;
      const linked = partners.filter((p) => p.account_id !== null && p.account_id !== undefined);
      assert.ok(linked.length >= 1, `the demo links partners to accounts: ${JSON.stringify(partners.map((p) => [p.name, p.account_id]))}`);
      partner = linked[0];
      accountId = partner.account_id;

      await go(`/partners/${partner.id}`);
      const link = page.locator('[data-testid="partner-account-link"]');
      await link.waitFor();
      assert.equal(await link.getAttribute('href'), `#/accounts/${accountId}`);
      assert.equal((await link.innerText()).trim(), partner.account_name);
      await noErrorBox(page, 'partner page');

      // The partner's demo entries are events of the account (older pages included).
      let before = '';
      let found = null;
      for (let i = 0; i < 40 && !found; i++) {
        const d = await api.get(`/api/accounts/${accountId}/timeline?limit=500${before ? `&before=${encodeURIComponent(before)}` : ''}`);
        found = d.items.find((it) => it.event === 'partner_points_recorded');
        if (!d.next_before) break;
        before = d.next_before;
      }
      assert.ok(found, 'a partner_points_recorded event on the linked account');
      assert.equal(found.properties.partner_id, partner.id);
      assert.equal(found.properties.partner_name, partner.name);
    });

    await step('the Milestones card matches the overview', async () => {
      const ov = await api.get(`/api/accounts/${accountId}/overview?days=30`);
      await go(`/accounts/${accountId}`);
      const card = page.locator('[data-testid="account-milestones"]');
      await card.waitFor();
      await page.locator('[data-testid="account-milestones-progress"]').waitFor();
      const rows = card.locator('[data-testid="account-milestone"]');
      assert.ok(ov.milestones.length >= 1, 'a paying demo account has onboarding milestones');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="account-milestone"]').length === n, ov.milestones.length);
      const bar = page.locator('[data-testid="account-milestones-progress"]');
      assert.equal(await bar.getAttribute('data-done'), String(ov.milestone_progress.done));
      assert.equal(await bar.getAttribute('data-total'), String(ov.milestone_progress.total));
      const overdue = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-overdue') === 'true'));
      assert.deepEqual(overdue, ov.milestones.map((m) => !!m.overdue));
      const firstName = await rows.first().locator('td').nth(1).innerText();
      assert.equal(firstName.trim(), ov.milestones[0].name);
      await noErrorBox(page, 'account page');
    });

    await step('add a milestone in the drawer, mark it done, edit it', async () => {
      const bar = page.locator('[data-testid="account-milestones-progress"]');
      const done0 = Number(await bar.getAttribute('data-done'));
      const total0 = Number(await bar.getAttribute('data-total'));
      const name = `浏览器里程碑 ${tag}`;
      await page.click('[data-testid="account-milestone-add"]');
      await page.locator('[data-testid="milestone-drawer"]').waitFor();
      await page.fill('[data-testid="milestone-form-name"]', name);
      await page.click('[data-testid="milestone-form-submit"]');
      await page.locator('[data-testid="milestone-drawer"]').waitFor({ state: 'detached' });
      await page.waitForFunction((n) => document.querySelector('[data-testid="account-milestones-progress"]')?.getAttribute('data-total') === String(n), total0 + 1);
      const row = page.locator('[data-testid="account-milestone"]').last();
      assert.ok((await row.innerText()).includes(name), await row.innerText());
      assert.equal(await row.getAttribute('data-status'), 'pending');

      await row.locator('[data-testid="account-milestone-done"]').click();
      await page.waitForFunction((n) => document.querySelector('[data-testid="account-milestones-progress"]')?.getAttribute('data-done') === String(n), done0 + 1);
      assert.equal(await page.locator('[data-testid="account-milestone"]').last().getAttribute('data-status'), 'done');

      // The newest timeline item is its milestone_done, summarised as "#position name".
      const top = page.locator('[data-testid="account-timeline"] li').first();
      await page.waitForFunction(() => document.querySelector('[data-testid="account-timeline"] li')?.getAttribute('data-event') === 'milestone_done');
      assert.ok((await top.innerText()).includes(name), await top.innerText());
      assert.ok((await top.innerText()).includes('里程碑完成'), await top.innerText());

      await page.locator('[data-testid="account-milestone"]').last().locator('[data-testid="account-milestone-edit"]').click();
      await page.locator('[data-testid="milestone-drawer"]').waitFor();
      await page.fill('[data-testid="milestone-form-owner"]', `负责人${tag}`);
      await page.click('[data-testid="milestone-form-submit"]');
      await page.locator('[data-testid="milestone-drawer"]').waitFor({ state: 'detached' });
      await page.waitForFunction((owner) => {
        const rows = document.querySelectorAll('[data-testid="account-milestone"]');
        return rows.length && rows[rows.length - 1].innerText.includes(owner);
      }, `负责人${tag}`);
    });

    await step('a points entry shows in the timeline', async () => {
      // Through the generic record route (which stores the timeline event before it answers).
      await api.post('/api/point_entries', { partner_id: partner.id, kind: 'reward', points: 7, reason: `浏览器奖励 ${tag}`, idempotency_key: `browser-${tag}` });
      await page.reload();
      await page.locator('[data-testid="account-timeline"] li').first().waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="account-timeline"] li')?.getAttribute('data-event') === 'partner_points_recorded');
      const top = page.locator('[data-testid="account-timeline"] li').first();
      const text = await top.innerText();
      assert.ok(text.includes('伙伴积分记录'), text);
      assert.ok(text.includes(partner.name), text);
      assert.ok(text.includes('+7'), text);
      assert.ok(text.includes(`浏览器奖励 ${tag}`), text);
      assert.ok(!text.includes('account:'), `no "account:<group>" pseudo-person shown: ${text}`);
      assert.equal(await top.locator('[data-testid="timeline-record-link"]').getAttribute('href'), `#/partners/${partner.id}`);
    });

    await step('English: the Milestones card', async () => {
      await page.evaluate(() => localStorage.setItem('tobops.lang', 'en'));
      await go(`/accounts/${accountId}`);
      await page.reload();
      await page.locator('[data-testid="account-milestones"]').waitFor();
      assert.ok((await page.locator('[data-testid="account-milestones"] h2').innerText()).includes('Milestones'));
      assert.match(await page.locator('[data-testid="account-milestones-progress"]').innerText(), /of \d+ done/);
      await page.evaluate(() => localStorage.setItem('tobops.lang', 'zh-CN'));
    });

    assert.deepEqual(problems, [], 'no page errors, console errors or missing translations');
  } finally {
    await browser.close();
  }
});
