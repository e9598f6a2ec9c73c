// 23. Content operations over HTTP: metrics of content items from posted page and track
// events, the monthly content report (JSON, the standalone HTML page, the XLSX export read
// back with exceljs, CSV), the case library by industry, and the errors. Expected numbers
// are worked by hand in the comments. See docs/growth/content.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startServer, login, postBatch, poll, uid, apiCall, request, createRecord } from './harness.mjs';

let srv;
let cookie;

after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

const create = (resource, body) => createRecord(srv, cookie, resource, body);

// The world, August 2025; events at noon UTC mid-month, the same local day and month in
// every project time zone.
//   acc-k (level key), u1 decision_maker; acc-n (level normal), u2 user.
//   A "A & B 案例" case_study, industry id-ind, key id-a, path /c/id-a, shares 3, exposure 50
//   B whitepaper, key id-b
//   u1 content_viewed id-a ×2 (10, 11 Aug); u2 page /c/id-a (12 Aug); u2 content_shared
//   id-a (13 Aug); u2 content_viewed id-b (14 Aug); u1 content_viewed id-a on 10 Sep
//   (September: outside the report).
const id = uid('ct');
const u1 = `${id}-u1`;
const u2 = `${id}-u2`;
const accK = `${id}-acck`;
const accN = `${id}-accn`;
let itemA;
let itemB;

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
  await create('accounts', { name: 'Key Reader Co', group_id: accK, level: 'key' });
  itemA = await create('content_items', {
    title: 'A & B 案例', kind: 'case_study', industry: `${id}-ind`, channel: 'wechat',
    content_key: `${id}-a`, page_path: `/c/${id}-a`, shares: 3, exposure: 50, published_on: '2025-07-01',
  });
  itemB = await create('content_items', {
    title: `${id} paper`, kind: 'whitepaper', channel: 'site', content_key: `${id}-b`, published_on: '2025-08-01',
  });
  const batch = [
    { type: 'identify', userId: u1, traits: { role: 'decision_maker' }, timestamp: '2025-08-01T12:00:00Z' },
    { type: 'group', userId: u1, groupId: accK, traits: { name: 'Key Reader Co', level: 'key' }, timestamp: '2025-08-01T12:00:00Z' },
    { type: 'identify', userId: u2, traits: { role: 'user' }, timestamp: '2025-08-01T12:00:00Z' },
    { type: 'group', userId: u2, groupId: accN, traits: { name: 'Normal Co', level: 'normal' }, timestamp: '2025-08-01T12:00:00Z' },
    { type: 'track', userId: u1, event: 'content_viewed', properties: { content_id: `${id}-a` }, timestamp: '2025-08-10T12:00:00Z' },
    { type: 'track', userId: u1, event: 'content_viewed', properties: { content_id: `${id}-a` }, timestamp: '2025-08-11T12:00:00Z' },
    { type: 'page', userId: u2, properties: { path: `/c/${id}-a` }, timestamp: '2025-08-12T12:00:00Z' },
    { type: 'track', userId: u2, event: 'content_shared', properties: { content_id: `${id}-a` }, timestamp: '2025-08-13T12:00:00Z' },
    { type: 'track', userId: u2, event: 'content_viewed', properties: { content_id: `${id}-b` }, timestamp: '2025-08-14T12:00:00Z' },
    { type: 'track', userId: u1, event: 'content_viewed', properties: { content_id: `${id}-a` }, timestamp: '2025-09-10T12:00:00Z' },
  ];
  const posted = await postBatch(srv, batch);
  assert.equal(posted.status, 200, posted.text);
});

const byId = (items, x) => items.find((i) => i.id === x.id);

test('the monthly report counts reads, readers, target accounts and roles', async () => {
  const r = await poll(async () => {
    const res = await api('/api/reports/content?month=2025-08', { auth: 'token' });
    assert.equal(res.status, 200, res.text);
    return res.json.totals.pv === 4 ? res.json : null;
  });
  assert.equal(r.month, '2025-08');
  assert.equal(r.from, '2025-08-01');
  assert.equal(r.to, '2025-08-31');
  // A: u1 ×2 + u2's page = 3 reads by 2 people; u1 is in the key account → 1 target
  // reader; shares 3 recorded + 1 event = 4. B: u2 once. Totals: pv 4, uv 2 (u1, u2).
  const a = byId(r.items, itemA);
  assert.equal(a.pv, 3);
  assert.equal(a.uv, 2);
  assert.equal(a.target_account_readers, 1);
  assert.deepEqual(a.readers_by_role, { decision_maker: 1, user: 1 });
  assert.equal(a.shares, 4);
  const b = byId(r.items, itemB);
  assert.deepEqual([b.pv, b.uv, b.target_account_readers], [1, 1, 0]);
  assert.deepEqual(r.totals, {
    items: 2, items_read: 2, pv: 4, uv: 2, target_account_readers: 1, target_accounts: 1,
    shares: 4, share_events: 1, exposure: 50, media_reposts: 0,
  });
  assert.deepEqual(r.by_kind.map((k) => [k.kind, k.pv, k.uv]), [['case_study', 3, 2], ['whitepaper', 1, 1]]);
  assert.deepEqual(r.by_channel.map((k) => k.channel), ['wechat', 'site']);
  assert.equal(r.top_target_accounts.length, 1);
  assert.equal(r.top_target_accounts[0].account, accK);
  assert.equal(r.top_target_accounts[0].name, 'Key Reader Co');
  assert.equal(r.top_target_accounts[0].readers, 1);
  assert.equal(r.top_target_accounts[0].reads, 2);

  // September holds only the 10 Sep read of A.
  const sep = (await api('/api/reports/content?month=2025-09')).json;
  assert.equal(byId(sep.items, itemA).pv, 1);
  assert.equal(sep.totals.pv, 1);
});

test('metrics over a day window, and the case library by industry', async () => {
  const m = await api('/api/content/metrics?from=2025-08-01&to=2025-09-30', { auth: 'token' });
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.from, '2025-08-01');
  // August's 3 reads of A + the 10 Sep one = 4
  assert.equal(byId(m.json.items, itemA).pv, 4);
  assert.equal(m.json.items[0].id, itemA.id);  // most read first

  const cases = await api(`/api/content/cases?industry=${encodeURIComponent(`${id}-ind`)}`);
  assert.equal(cases.status, 200, cases.text);
  assert.equal(cases.json.industries.length, 1);
  assert.deepEqual(cases.json.industries[0].items.map((i) => [i.id, i.pv]), [[itemA.id, 4]]);
  const none = await api('/api/content/cases?industry=nowhere');
  assert.deepEqual(none.json.industries, []);

  const bad = await api('/api/content/metrics?from=2025-13-01');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'from');
});

test('the printable HTML page and the XLSX / CSV exports', async () => {
  const html = await request(`${srv.url}/api/reports/content.html?month=2025-08`, { headers: { Cookie: cookie } });
  assert.equal(html.status, 200, html.text);
  assert.match(html.headers.get('content-type'), /text\/html/);
  assert.ok(html.text.startsWith('<!DOCTYPE html>'));
  assert.ok(html.text.includes('lang="zh-CN"'));
  assert.ok(html.text.includes('内容运营月报 2025-08'));
  assert.ok(html.text.includes('A &amp; B 案例'), 'the title is escaped');
  assert.ok(html.text.includes('Key Reader Co'));

  const xlsx = await fetch(`${srv.url}/api/reports/content/export?month=2025-08&format=xlsx`, { headers: { Cookie: cookie } });
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-disposition'), /tobops-content-report-2025-08\.xlsx/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()));
  const sheet = book.worksheets[0];
  const header = sheet.getRow(1).values.slice(1);
  assert.deepEqual(header.slice(0, 7), ['title', 'kind', 'industry', 'channel', 'published_on', 'pv', 'uv']);
  assert.equal(sheet.rowCount, 1 + 2 + 1);  // header, A, B, total
  const rowA = sheet.getRow(2);
  assert.equal(rowA.getCell(1).value, 'A & B 案例');
  assert.equal(rowA.getCell(6).value, 3);
  assert.equal(rowA.getCell(10).value, 4);  // shares
  const total = sheet.getRow(4);
  assert.equal(total.getCell(1).value, '合计 total');
  assert.equal(total.getCell(6).value, 4);
  assert.equal(total.getCell(7).value, 2);

  const csv = await api('/api/reports/content/export?month=2025-08&format=csv');
  assert.equal(csv.status, 200);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines.length, 4);
  assert.ok(lines[3].startsWith('合计 total,'), lines[3]);
});

test('errors name the field; reads need a session or a read token', async () => {
  const bad = await api('/api/reports/content?month=2025-8');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'month');
  const fmt = await api('/api/reports/content/export?month=2025-08&format=pdf');
  assert.equal(fmt.status, 400);
  assert.equal(fmt.json.error.field, 'format');
  const anon = await request(`${srv.url}/api/reports/content?month=2025-08`);
  assert.equal(anon.status, 401);
});
