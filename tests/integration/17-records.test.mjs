// 17. Operations records over HTTP, generically for every resource: the schema, create
// with field-named errors, batches where bad rows do not lose good ones, filters and
// paging, partial update, delete guarded by references, CSV and XLSX export read back
// with an independent reader, and read tokens that may read but not write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startServer, login, request, apiCall } from './harness.mjs';

let srv;
let cookie;

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

test('the schema describes every resource and its fields', async () => {
  const r = await api('/api/records/schema');
  assert.equal(r.status, 200, r.text);
  const names = r.json.resources.map((x) => x.name);
  for (const name of ['accounts', 'contacts', 'opportunities', 'stakeholders', 'briefs', 'visits', 'follow_ups', 'feedback']) {
    assert.ok(names.includes(name), name);
  }
  const visits = r.json.resources.find((x) => x.name === 'visits');
  const kind = visits.fields.find((f) => f.name === 'kind');
  assert.deepEqual(kind.choices, ['visit', 'call', 'meeting', 'demo', 'training']);
  assert.ok(r.json.roles.includes('decision_maker'));
});

test('create, read, update, delete with references and field-named errors', async () => {
  const acc = await api('/api/accounts', { method: 'POST', body: { name: '华东制造集团', industry: 'mfg', arr: 360000 } });
  assert.equal(acc.status, 201, acc.text);
  const accountId = acc.json.record.id;

  const bad = await api('/api/opportunities', { method: 'POST', body: { account_id: accountId, amount: -1, channel: 'pigeon' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'invalid_argument');
  assert.equal(bad.json.error.field, 'amount');
  for (const part of ['name: is required', 'channel: must be one of: direct, partner']) {
    assert.ok(bad.json.error.message.includes(part), bad.json.error.message);
  }

  const opp = await api('/api/opportunities', {
    method: 'POST',
    body: { account_id: accountId, name: '华东 2027 扩容', stage: 'lead', amount: 480000, products: ['analytics', 'crm_sync'] },
  });
  assert.equal(opp.status, 201, opp.text);
  assert.equal(opp.json.record.account_name, '华东制造集团');
  const oppId = opp.json.record.id;

  const patched = await api(`/api/opportunities/${oppId}`, { method: 'PATCH', body: { amount: 520000 } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.record.amount, 520000);
  assert.deepEqual(patched.json.record.products, ['analytics', 'crm_sync']);

  const guarded = await api(`/api/accounts/${accountId}`, { method: 'DELETE' });
  assert.equal(guarded.status, 412, guarded.text);
  assert.equal((await api(`/api/opportunities/${oppId}`, { method: 'DELETE' })).status, 200);
  assert.equal((await api(`/api/opportunities/${oppId}`)).status, 404);
  assert.equal((await api(`/api/accounts/${accountId}`, { method: 'DELETE' })).status, 200);
});

test('a batch keeps its valid rows and names the bad ones by index and field', async () => {
  const r = await api('/api/accounts', {
    method: 'POST',
    body: [{ name: 'Batch A', group_id: 'b-1' }, { name: '' }, { name: 'Batch C', arr: 'lots' }, { name: 'Batch D', group_id: 'b-1' }],
  });
  assert.equal(r.status, 207, r.text);
  assert.equal(r.json.accepted, 1);
  assert.equal(r.json.rejected, 3);
  assert.deepEqual(r.json.errors.map((e) => [e.index, e.field]), [[1, 'name'], [2, 'arr'], [3, 'group_id']]);
  const listed = await api('/api/accounts?q=Batch');
  assert.deepEqual(listed.json.records.map((a) => a.name), ['Batch A']);
});

test('lists filter, sort and page; export holds the same rows as CSV and XLSX', async () => {
  const rows = [];
  for (let i = 0; i < 7; i++) rows.push({ name: `Export ${i}`, industry: i % 2 ? 'fin' : 'retail', arr: 1000 * i, renewal_date: `2027-0${i + 1}-01` });
  assert.equal((await api('/api/accounts', { method: 'POST', body: rows })).status, 201);

  const page = await api('/api/accounts?industry=fin&q=Export&sort=arr&order=desc&limit=2');
  assert.equal(page.status, 200, page.text);
  assert.equal(page.json.total, 3);
  assert.deepEqual(page.json.records.map((a) => a.arr), [5000, 3000]);
  const next = await api('/api/accounts?industry=fin&q=Export&sort=arr&order=desc&limit=2&offset=2');
  assert.deepEqual(next.json.records.map((a) => a.arr), [1000]);
  const dated = await api('/api/accounts?q=Export&renewal_date_from=2027-03-01&renewal_date_to=2027-05-01');
  assert.equal(dated.json.total, 3);
  const badFilter = await api('/api/accounts?colour=red');
  assert.equal(badFilter.status, 400);
  assert.equal(badFilter.json.error.field, 'colour');

  const csv = await request(`${srv.url}/api/accounts/export?format=csv&q=Export&sort=arr&order=asc`, { headers: { Cookie: cookie } });
  assert.equal(csv.status, 200);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
  const header = lines[0].split(',');
  assert.equal(lines.length, 8);
  const nameCol = header.indexOf('name');
  const arrCol = header.indexOf('arr');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[nameCol]), rows.map((r) => r.name));
  assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[arrCol])), rows.map((r) => r.arr));

  const xlsx = await fetch(`${srv.url}/api/accounts/export?format=xlsx&q=Export&sort=arr&order=asc`, { headers: { Cookie: cookie } });
  assert.equal(xlsx.status, 200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()));
  const sheet = workbook.worksheets[0];
  assert.equal(sheet.rowCount, 8);
  const xHeader = sheet.getRow(1).values.slice(1);
  assert.deepEqual(xHeader, header);
  for (let i = 0; i < rows.length; i++) {
    const row = sheet.getRow(i + 2).values.slice(1);
    assert.equal(row[nameCol], rows[i].name);
    assert.equal(row[arrCol], rows[i].arr);
  }
});

test('read tokens read records but cannot change them', async () => {
  const list = await api('/api/accounts', { auth: 'token' });
  assert.equal(list.status, 200);
  const write = await api('/api/accounts', { method: 'POST', body: { name: 'nope' }, auth: 'token' });
  assert.equal(write.status, 403);
  const anonymous = await request(`${srv.url}/api/accounts`);
  assert.equal(anonymous.status, 401);
});

test('CSV import stores the good rows and names the bad ones by line and field', async () => {
  const csv = '\uFEFFname,group_id,industry,arr,renewal_date\r\n'
    + '导入甲,imp-1,mfg,1000,2027-01-01\r\n'
    + '"导入乙, 分公司",imp-2,fin,,\r\n'
    + 'bad arr,imp-3,fin,lots,\r\n'
    + 'dup,imp-1,,,\r\n';
  const r = await request(`${srv.url}/api/accounts/import`, {
    method: 'POST', headers: { 'Content-Type': 'text/csv', Cookie: cookie }, body: csv,
  });
  assert.equal(r.status, 207, r.text);
  assert.equal(r.json.accepted, 2);
  assert.deepEqual(r.json.errors.map((e) => [e.line, e.field]), [[4, 'arr'], [5, 'group_id']]);
  const listed = await api('/api/accounts?group_id=imp-2');
  assert.equal(listed.json.records[0].name, '导入乙, 分公司');

  const badHeader = await request(`${srv.url}/api/accounts/import`, {
    method: 'POST', headers: { 'Content-Type': 'text/csv', Cookie: cookie }, body: 'name,colour\nx,red\n',
  });
  assert.equal(badHeader.status, 400);
  assert.equal(badHeader.json.error.field, 'header.colour');
});
