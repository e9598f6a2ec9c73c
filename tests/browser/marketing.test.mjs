// Browser test of the marketing pages: a campaign's post-mortem and the monthly
// content report.
// - A campaign is seeded through the API with a known cost, an account (level key,
//   industry 制造业) with a decision-maker contact, four leads and two
//   opportunities; attendees are imported on the campaign's page from CSV (one row
//   matched by email in another case, one unmatched, one refused for its status);
//   the post-mortem then shows the figures worked out by hand below, draws its
//   charts and exports CSV / XLSX.
// - A content item is seeded with reads (content_viewed events) and a share
//   (content_shared) of this month; the content report of this month lists it with
//   its PV / UV, draws the by-kind chart, links the printable HTML page and exports
//   XLSX.
// Same environment as console.test.mjs (tests/browser/run.sh):
//   bash tests/browser/run.sh marketing.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, expectChart, goTo, noErrorBox, openConsole, skip, stepper, apiOf } from './helpers.mjs';


async function poll(fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
}

// Today and this month (YYYY-MM-DD, YYYY-MM) in the project's time zone.
function todayIn(tz) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

test('web console: marketing (campaign post-mortem, content report)', { skip, timeout: 600_000 }, async (t) => {
  const { browser, context, page, problems, shotDir } = await openConsole('tobops-marketing-');
  const step = stepper(t, page, shotDir);
  const go = (route) => goTo(page, route);
  const api = apiOf(context);
  const tag = String(Date.now() % 1000000);
  const me = await api.get('/api/me');
  const today = todayIn(me.project && me.project.timezone);
  const month = today.slice(0, 7);

  try {
    // ---- seed the campaign world ----
    const account = (await api.post('/api/accounts', { name: `复盘客户-${tag}`, industry: '制造业', level: 'key', owner: '王磊' })).record;
    await api.post('/api/contacts', { name: `李娜-${tag}`, account_id: account.id, role: 'decision_maker', title: 'CTO', email: `Li.Na-${tag}@Example.com` });
    const campaign = (await api.post('/api/campaigns', {
      name: `复盘测试-${tag}`, type: 'webinar', status: 'done', starts_on: '2026-10-01', ends_on: '2026-10-01',
      budget: 20000, actual_cost: 12000, owner: '陈静', utm_campaign: `pm_test_${tag}`,
    })).record;
    const later = new Date(Date.now() + 3 * 3600 * 1000).toISOString();
    for (const l of [
      { name: `线索A-${tag}`, validity: 'valid', first_response_at: later },
      { name: `线索B-${tag}`, validity: 'valid', first_response_at: later },
      { name: `线索C-${tag}`, validity: 'valid' },
      { name: `线索D-${tag}`, validity: 'invalid', invalid_reason: '空号' },
    ]) await api.post('/api/leads', { ...l, source: 'campaign', campaign_id: campaign.id, account_id: account.id });
    await api.post('/api/opportunities', { account_id: account.id, name: `复盘商机-${tag}`, stage: 'qualified', amount: 50000 });
    await api.post('/api/opportunities', { account_id: account.id, name: `复盘成交-${tag}`, stage: 'won', amount: 30000 });

    await step('campaign list → campaign page; CSV attendee import', async () => {
      await go('/campaigns');
      await page.fill('[data-testid="campaigns-search"]', `复盘测试-${tag}`);
      await page.locator('[data-testid="campaigns-row"]').filter({ hasText: `复盘测试-${tag}` }).locator('[data-testid="campaigns-link"]').click();
      await page.locator('[data-testid="campaign-name"]').waitFor();
      assert.equal(await page.locator('[data-testid="campaign-name"]').innerText(), `复盘测试-${tag}`);
      await page.click('[data-testid="campaign-tab-members"]');
      await page.click('[data-testid="members-import"]');
      // Line 2 matches the contact by email in another case (and so the account);
      // line 3 matches nothing; line 4 has a status that does not exist.
      const csv = [
        'name,email,phone,company,title,role,status',
        `李娜,li.na-${tag}@example.com,,,CTO,,attended`,
        `王强-${tag},wq-${tag}@example.com,,无此公司-${tag},工程师,user,attended`,
        `赵敏-${tag},,,,,,maybe`,
      ].join('\n');
      await page.fill('[data-testid="mk-import-text"]', csv);
      await page.click('[data-testid="mk-import-submit"]');
      await page.locator('[data-testid="mk-import-result"]').waitFor();
      const n = async (id) => page.locator(`[data-testid="${id}"]`).getAttribute('data-n');
      assert.equal(await n('mk-import-accepted'), '2');
      assert.equal(await n('mk-import-rejected'), '1');
      assert.equal(await n('mk-import-contacts'), '1');
      assert.equal(await n('mk-import-accounts'), '1');
      const err = await page.locator('[data-testid="mk-import-error"]').first().innerText();
      assert.match(err, /^4\s/, `the refused row is line 4: ${err}`);
      assert.match(err, /status/);
      await page.click('[data-testid="campaign-import-close"]');
      await page.locator('[data-testid="members-row"]').filter({ hasText: `王强-${tag}` }).waitFor();
      assert.equal(await page.locator('[data-testid="members-row"]').count(), 2);
    });

    await step('post-mortem: figures, charts, export', async () => {
      await page.click('[data-testid="campaign-tab-postmortem"]');
      await page.locator('[data-testid="pm-kpis"]').waitFor();
      await noErrorBox(page, 'post-mortem');
      const kpi = async (key) => page.locator(`[data-testid="pm-kpi"][data-key="${key}"]`).getAttribute('data-value');
      // Worked by hand from the seed:
      //   cost: actual 12000 (budget 20000);
      //   reached people = the 2 attended members (no event carries pm_test_<tag>);
      //   decision makers = 1 (李娜's contact role); accounts reached = 1 (李娜's account);
      //   leads 4: valid 3, invalid 1, followed up 2 (first_response_at set);
      //   cost per valid lead = 12000 / 3 = 4000; follow-up rate = 2 / 4 = 0.5;
      //   opportunities of the account created after 2026-10-01: 2 (50000 + 30000),
      //   deals (won stage) 1 of 30000; ROI = (30000 − 12000) / 12000 = 1.5.
      assert.equal(await kpi('cost'), '12000');
      assert.equal(await kpi('reached_people'), '2');
      assert.equal(await kpi('decision_makers'), '1');
      assert.equal(await kpi('valid_leads'), '3');
      assert.equal(Number(await kpi('cost_per_valid_lead')), 4000);
      assert.equal(Number(await kpi('follow_up_rate')), 0.5);
      assert.equal(await kpi('opportunities'), '2');
      assert.equal(await kpi('deals'), '1');
      assert.equal(Number(await kpi('roi')), 1.5);
      const steps = await page.locator('[data-testid="pm-funnel-steps"] li').evaluateAll((els) => els.map((e) => `${e.dataset.step}=${e.dataset.n}`));
      assert.deepEqual(steps, ['leads=4', 'valid=3', 'followed=2', 'opportunities=2', 'deals=1']);
      for (const id of ['pm-reach-chart', 'pm-funnel-chart', 'pm-roles-chart', 'pm-levels-chart', 'pm-industries-chart']) await expectChart(page, id);
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="pm-export-csv"]')]);
      const cfile = path.join(shotDir, csv.suggestedFilename());
      await csv.saveAs(cfile);
      assert.ok(fs.readFileSync(cfile, 'utf8').includes('cost_per_valid_lead'), 'the CSV carries the post-mortem rows');
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="pm-export-xlsx"]')]);
      const xfile = path.join(shotDir, xlsx.suggestedFilename());
      await xlsx.saveAs(xfile);
      assert.equal(fs.readFileSync(xfile).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
    });

    // ---- seed the content world ----
    const key = `ck-${tag}`;
    const item = (await api.post('/api/content_items', {
      title: `内容测试-${tag}`, kind: 'case_study', industry: '制造业', channel: `测试渠道-${tag}`, content_key: key, published_on: today, shares: 4,
    })).record;
    const wk = (await api.post('/api/keys', { kind: 'write', name: `marketing-test-${tag}` })).key;
    const now = new Date().toISOString();
    const g = `mk-grp-${tag}`;
    const batch = [
      { type: 'group', userId: `mk-p1-${tag}`, groupId: g, traits: { name: `内容客户-${tag}`, level: 'key' }, timestamp: now, messageId: `${tag}-c1` },
      { type: 'track', userId: `mk-p1-${tag}`, event: 'content_viewed', properties: { content_id: key }, context: { groupId: g }, timestamp: now, messageId: `${tag}-c2` },
      { type: 'track', userId: `mk-p1-${tag}`, event: 'content_viewed', properties: { content_id: key }, context: { groupId: g }, timestamp: now, messageId: `${tag}-c3` },
      { type: 'track', userId: `mk-p2-${tag}`, event: 'content_viewed', properties: { content_id: key }, timestamp: now, messageId: `${tag}-c4` },
      { type: 'track', userId: `mk-p2-${tag}`, event: 'content_shared', properties: { content_id: key }, timestamp: now, messageId: `${tag}-c5` },
    ];
    const ing = await context.request.post(`${BASE}/v1/batch`, {
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${wk.secret}:`).toString('base64')}` },
      data: JSON.stringify({ batch }),
    });
    assert.equal(ing.status(), 200, `ingest: ${await ing.text()}`);
    // Reads: 3 content_viewed (p1 twice, p2 once) → PV 3, UV 2; the share event is not
    // a read; shares = 4 on the record + 1 content_shared = 5.
    await poll(async () => {
      const m = await api.get(`/api/content/metrics?from=${today}&to=${today}`);
      const it = m.items.find((x) => x.id === item.id);
      return it && it.pv === 3;
    });

    await step('content report: month, item reads, charts, HTML and XLSX', async () => {
      await go(`/content-report?month=${month}`);
      await page.locator(`[data-testid="cr-report"][data-month="${month}"]`).waitFor();
      await noErrorBox(page, 'content report');
      assert.equal(await page.locator('[data-testid="cr-month"]').inputValue(), month);
      const row = page.locator('[data-testid="cr-item"]').filter({ hasText: `内容测试-${tag}` });
      await row.waitFor();
      assert.equal(await row.getAttribute('data-pv'), '3');
      const cells = await row.locator('td').allInnerTexts();
      assert.equal(cells[4].trim(), '2', `UV: ${cells}`);
      assert.equal(cells[7].trim(), '5', `shares: ${cells}`);
      assert.ok((await page.locator('[data-testid="cr-total"]').count()) > 0, 'totals shown');
      await expectChart(page, 'cr-by-kind-chart');
      const href = await page.locator('[data-testid="cr-html"]').getAttribute('href');
      assert.equal(href, `/api/reports/content.html?month=${month}`);
      const html = await context.request.get(`${BASE}${href}`);
      assert.equal(html.status(), 200);
      assert.match(html.headers()['content-type'] || '', /text\/html/);
      assert.ok((await html.text()).includes(`内容测试-${tag}`), 'the printable page lists the item');
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="cr-export-xlsx"]')]);
      const xfile = path.join(shotDir, xlsx.suggestedFilename());
      await xlsx.saveAs(xfile);
      assert.equal(fs.readFileSync(xfile).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
      // The previous month no longer lists it.
      const [y, m] = month.split('-').map(Number);
      const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
      await page.click('[data-testid="cr-prev"]');
      await page.locator(`[data-testid="cr-report"][data-month="${prev}"]`).waitFor();
      assert.equal(await page.locator('[data-testid="cr-item"]').filter({ hasText: `内容测试-${tag}` }).count(), 0);
    });

    assert.deepEqual(problems, [], 'no page errors, console errors or missing translations');
  } finally {
    await browser.close();
  }
});
