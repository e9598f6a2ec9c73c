// Browser test of the sales workspace pages (accounts, contacts, visits,
// follow-ups, feedback) and the generic record table / form:
// - the account page shows the account's traits and tags, its people by decision
//   role and its timeline;
// - an edit made in the account form is saved and then shown as a manual edit,
//   and "follow events again" releases it;
// - a visit with attendees (a contact picked from the account, its role filled in,
//   and one of ours) is created — a missing attendee name is reported at
//   attendees[i].name first — and its minutes are shown with copy / mailto;
//   a follow-up is added to it and marked done; the account timeline shows the
//   visit as a record change linked to it;
// - a contact edited in the contacts drawer keeps the change as manual;
// - the accounts list exports CSV (a header row) and XLSX (a zip), the feedback
//   backlog exports too and takes a status change; the account page in English.
// What the demo may not have yet (accounts with contacts in each role) is seeded
// through the API first, so the test stands on its own.
//
// Same environment as console.test.mjs (tests/browser/run.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { goTo, noErrorBox, openConsole, skip, stepper, apiOf } from './helpers.mjs';

// JSON API calls with the console session of the browser context.

// An account with a decision maker and a user among its contacts: the demo's
// first account when records are synced from events, else one made here.
async function seedAccount(api, tag) {
  let account = null;
  const listed = await api.get('/api/accounts?group_id=acc-000001&limit=1');
  if (listed.records.length) account = listed.records[0];
  if (!account) {
    const any = await api.get('/api/accounts?limit=1&sort=arr&order=desc');
    if (any.records.length) account = any.records[0];
  }
  if (!account) {
    account = (await api.post('/api/accounts', {
      group_id: 'acc-000001', name: `测试客户-${tag}`, industry: '制造业', level: 'key', owner: '王磊',
      arr: 120000, seats: 20, lifecycle_stage: 'customer', renewal_date: '2027-03-31',
    })).record;
  }
  const contacts = (await api.get(`/api/contacts?account_id=${account.id}&limit=500`)).records;
  const want = [['decision_maker', 'CTO'], ['user', '工程师']];
  for (const [role, title] of want) {
    if (!contacts.some((c) => c.role === role)) {
      contacts.push((await api.post('/api/contacts', {
        name: `${role === 'user' ? '刘芳' : '张伟'}-${tag}`, account_id: account.id, role, title, email: `${role}-${tag}@example.com`,
      })).record);
    }
  }
  return { account, contacts };
}

test('web console: sales workspace (accounts, visits, follow-ups, feedback)', { skip, timeout: 600_000 }, async (t) => {
  const { browser, context, page, problems, shotDir } = await openConsole('tobops-sales-');
  const step = stepper(t, page, shotDir);
  const go = (route) => goTo(page, route);
  const api = apiOf(context);
  const tag = String(Date.now() % 1000000);
  const { account, contacts } = await seedAccount(api, tag);
  const decider = contacts.find((c) => c.role === 'decision_maker');
  let visitId = '';

  try {
    await step('account page: traits, people by role, timeline', async () => {
      await go(`/accounts/${account.id}`);
      await page.locator('[data-testid="account-name"]').waitFor();
      assert.equal(await page.locator('[data-testid="account-name"]').innerText(), account.name);
      await page.locator('[data-testid="account-traits"]').waitFor();
      if (account.traits && Object.keys(account.traits).length) {
        const traits = await page.locator('[data-testid="account-traits-list"]').innerText();
        for (const k of Object.keys(account.traits).slice(0, 3)) assert.ok(traits.includes(k), `trait ${k} shown: ${traits}`);
      }
      if (account.industry) assert.ok((await page.locator('[data-testid="account-tags"]').innerText()).includes(account.industry), 'industry tag');
      // People grouped by role: the decision maker sits under 决策者.
      const role = page.locator('[data-testid="account-people-role"][data-role="decision_maker"]');
      await role.waitFor();
      assert.ok((await role.innerText()).includes('决策者'), 'role label');
      assert.ok((await role.innerText()).includes(decider.name), `the decision maker ${decider.name} is listed`);
      await page.locator('[data-testid="account-coverage-role"]').first().waitFor();
      // The one timeline: events and record changes, newest first.
      await page.locator('[data-testid="account-timeline"] li').first().waitFor();
      const times = await page.locator('[data-testid="account-timeline"] li .rec-t-time').count();
      assert.ok(times > 0, 'timeline items');
      await noErrorBox(page, 'account page');
      await page.screenshot({ path: path.join(shotDir, 'account.png'), fullPage: true });
    });

    await step('account edit: saved, shown as manual, released', async () => {
      await go(`/accounts/${account.id}`);
      await page.click('[data-testid="account-edit"]');
      const region = `华东-${tag}`;
      await page.fill('[data-testid="account-form-region"]', region);
      await page.click('[data-testid="account-form-submit"]');
      await page.locator('[data-testid="account-form"]').waitFor({ state: 'detached' });
      assert.ok((await page.locator('[data-testid="account-tags"]').innerText()).includes(region), 'the new region is in the header');
      const saved = (await api.get(`/api/accounts/${account.id}`)).record;
      assert.equal(saved.region, region, 'stored');
      assert.ok(saved.manual_fields.includes('region'), 'region is a manual field now');
      await page.click('[data-testid="account-edit"]');
      const field = page.locator('[data-testid="account-form-field-region"]');
      assert.equal(await field.getAttribute('data-manual'), 'true', 'the form marks region as edited by hand');
      assert.ok((await field.innerText()).includes('手动修改'), 'manual badge');
      // A field that was not edited is not marked.
      assert.equal(await page.locator('[data-testid="account-form-field-website"]').getAttribute('data-manual'), null);
      await page.click('[data-testid="account-form-release-region"]');
      await page.waitForFunction(() => !document.querySelector('[data-testid="account-form-field-region"][data-manual="true"]'));
      const released = (await api.get(`/api/accounts/${account.id}`)).record;
      assert.ok(!released.manual_fields.includes('region'), 'released');
    });

    await step('visit: created with attendees, minutes shown', async () => {
      await go(`/visits?account_id=${account.id}&new=1`);
      const form = page.locator('[data-testid="visit-form"]');
      await form.waitFor();
      await page.fill('[data-testid="visit-form-title"]', `产品演示-${tag}`);
      await page.check('[data-testid="visit-form-actions-demo"]');
      // A customer attendee picked from the account's contacts: name and role filled in.
      await page.click('[data-testid="visit-form-attendees-add"]');
      await page.click('[data-testid="visit-form-attendees-0-contact_id-input"]');
      await page.fill('[data-testid="visit-form-attendees-0-contact_id-input"]', decider.name);
      await page.locator('[data-testid="visit-form-attendees-0-contact_id-option"]').filter({ hasText: decider.name }).first().click();
      assert.equal(await page.inputValue('[data-testid="visit-form-attendees-0-name"]'), decider.name);
      assert.equal(await page.inputValue('[data-testid="visit-form-attendees-0-role"]'), 'decision_maker');
      // One of ours, left without a name first: the error names that row's field.
      await page.click('[data-testid="visit-form-attendees-add"]');
      await page.selectOption('[data-testid="visit-form-attendees-1-side"]', 'ours');
      await page.click('[data-testid="visit-form-submit"]');
      const err = page.locator('[data-testid="field-error"]').first();
      await err.waitFor();
      assert.match(await err.getAttribute('data-field'), /^attendees\[1\]\.name$/);
      await page.fill('[data-testid="visit-form-attendees-1-name"]', `销售-${tag}`);
      await page.click('[data-testid="visit-form-submit"]');
      await page.waitForURL(/#\/visits\/\d+$/);
      visitId = page.url().split('/').pop();
      await page.locator('[data-testid="visit-attendee"]').nth(1).waitFor();
      assert.equal(await page.locator('[data-testid="visit-attendee"]').count(), 2);
      const subject = page.locator('[data-testid="visit-minutes-subject"]');
      await subject.waitFor();
      assert.ok((await subject.innerText()).trim().length > 0, 'minutes subject');
      const body = await page.locator('[data-testid="visit-minutes-body"]').innerText();
      assert.ok(body.includes(decider.name), `the minutes name the attendee: ${body.slice(0, 200)}`);
      const href = await page.getAttribute('[data-testid="visit-minutes-mail"]', 'href');
      assert.match(href, /^mailto:.*\?subject=.+&body=/);
      await page.click('[data-testid="visit-minutes-copy"]');
      await page.screenshot({ path: path.join(shotDir, 'visit.png'), fullPage: true });
    });

    await step('visit follow-up: created and marked done', async () => {
      await go(`/visits/${visitId}`);
      await page.click('[data-testid="visit-follow-up-new"]');
      await page.fill('[data-testid="follow-up-form-title"]', `发送报价-${tag}`);
      await page.fill('[data-testid="follow-up-form-owner"]', '王磊');
      await page.click('[data-testid="follow-up-form-submit"]');
      const row = page.locator('[data-testid="visit-follow-ups-row"]').filter({ hasText: `发送报价-${tag}` });
      await row.waitFor();
      await row.locator('[data-testid="follow-up-done"]').click();
      await row.locator('[data-testid="follow-up-done"]').waitFor({ state: 'detached' });
      const fu = (await api.get(`/api/follow_ups?visit_id=${visitId}`)).records;
      assert.equal(fu.length, 1);
      assert.equal(fu[0].status, 'done');
    });

    await step('account timeline: the visit is a record change linked to it', async () => {
      await go(`/accounts/${account.id}`);
      const link = page.locator(`[data-testid="timeline-record-link"][href="#/visits/${visitId}"]`);
      await page.locator('[data-testid="account-timeline"] li').first().waitFor();
      // Newest first: the visit held just now is on the first page, or a few pages on
      // when the demo's events reach later than now.
      for (let i = 0; i < 5 && !(await link.count()); i++) {
        const more = page.locator('[data-testid="account-timeline-more"]');
        if (!(await more.count())) break;
        const before = await page.locator('[data-testid="account-timeline"] li').count();
        await more.click();
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid="account-timeline"] li').length > n, before);
      }
      assert.ok(await link.count(), 'a record change of the visit links to it');
      const item = page.locator('[data-testid="timeline-change"]').filter({ has: link }).first();
      assert.ok((await item.innerText()).includes('记录变更'), 'record changes are marked');
      // The visit also shows among the account's latest visits.
      await page.locator('[data-testid="account-visit"]').filter({ hasText: `产品演示-${tag}` }).waitFor();
    });

    await step('contacts: edited in the drawer, the change is manual', async () => {
      await go(`/contacts?account_id=${account.id}`);
      await page.fill('[data-testid="contacts-search"]', decider.name);
      const row = page.locator('[data-testid="contacts-row"]').filter({ hasText: decider.name }).first();
      await row.waitFor();
      await row.locator('[data-testid="contact-edit"]').click();
      await page.locator('[data-testid="contact-drawer"]').waitFor();
      await page.fill('[data-testid="contact-form-title"]', `首席技术官-${tag}`);
      await page.click('[data-testid="contact-form-submit"]');
      await page.locator('[data-testid="contact-drawer"]').waitFor({ state: 'detached' });
      await page.locator('[data-testid="contacts-row"]').filter({ hasText: `首席技术官-${tag}` }).waitFor();
      const c = (await api.get(`/api/contacts/${decider.id}`)).record;
      assert.equal(c.title, `首席技术官-${tag}`);
      assert.ok(c.manual_fields.includes('title'), 'title is manual');
      assert.equal(c.role, 'decision_maker', 'the role was not touched');
    });

    await step('exports: accounts CSV and XLSX, feedback backlog', async () => {
      await go('/accounts');
      await page.locator('[data-testid="accounts-row"]').first().waitFor();
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="accounts-export-csv"]')]);
      assert.match(csv.suggestedFilename(), /\.csv$/);
      const file = path.join(shotDir, csv.suggestedFilename());
      await csv.saveAs(file);
      const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
      assert.ok(lines.length >= 2, `header and rows: ${lines.length}`);
      assert.ok(lines[0].includes('name'), `header row: ${lines[0]}`);
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="accounts-export-xlsx"]')]);
      assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
      const xfile = path.join(shotDir, xlsx.suggestedFilename());
      await xlsx.saveAs(xfile);
      assert.equal(fs.readFileSync(xfile).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');

      // A feedback item created in the page, linked to the account through the picker.
      await go('/feedback');
      await page.click('[data-testid="feedback-new"]');
      await page.fill('[data-testid="feedback-form-title"]', `批量导入-${tag}`);
      await page.click('[data-testid="feedback-form-account_ids-add-input"]');
      await page.fill('[data-testid="feedback-form-account_ids-add-input"]', account.name);
      await page.locator('[data-testid="feedback-form-account_ids-add-option"]').filter({ hasText: account.name }).first().click();
      await page.locator('[data-testid="feedback-form-account_ids"] .chip').filter({ hasText: account.name }).waitFor();
      await page.click('[data-testid="feedback-form-submit"]');
      await page.locator('[data-testid="feedback-row"]').filter({ hasText: `批量导入-${tag}` }).waitFor();
      const [fb] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="feedback-export-csv"]')]);
      assert.match(fb.suggestedFilename(), /\.csv$/);
      // A status change in the backlog is stored.
      const item = page.locator('[data-testid="feedback-row"]').filter({ hasText: `批量导入-${tag}` });
      await item.locator('[data-testid="feedback-status"]').selectOption('planned');
      await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="feedback-status"]')].some((s) => s.disabled));
      const stored = (await api.get(`/api/feedback?q=${encodeURIComponent(`批量导入-${tag}`)}`)).records;
      assert.equal(stored[0].status, 'planned');
    });

    await step('lists: contacts by role, follow-ups, visits', async () => {
      await go('/contacts?role=decision_maker');
      await page.locator('[data-testid="contacts-row"]').first().waitFor();
      const names = await page.locator('[data-testid="contacts-table"] tbody').innerText();
      assert.ok(names.includes(decider.name), 'the decision maker is listed');
      await go('/follow-ups?status=all');
      await page.fill('[data-testid="follow-ups-search"]', `发送报价-${tag}`);
      await page.locator('[data-testid="follow-ups-row"]').filter({ hasText: `发送报价-${tag}` }).waitFor();
      await go(`/visits?account_id=${account.id}`);
      await page.locator(`[data-testid="visits-row"][data-id="${visitId}"]`).waitFor();
      await noErrorBox(page, 'visits list');
    });

    await step('English: the account page in English', async () => {
      await page.evaluate(() => localStorage.setItem('tobops.lang', 'en'));
      await go(`/accounts/${account.id}`);
      await page.reload(); // the language is read at start
      await page.locator('[data-testid="account-people-card"]').waitFor();
      assert.ok((await page.locator('[data-testid="account-people-card"] h2').innerText()).includes('People by role'));
      assert.ok((await page.locator('[data-testid="account-timeline"] h2').innerText()).includes('Timeline'));
      await page.evaluate(() => localStorage.setItem('tobops.lang', 'zh-CN'));
    });

    assert.deepEqual(problems, [], 'no page errors, console errors or missing translations');
  } finally {
    await browser.close();
  }
});
