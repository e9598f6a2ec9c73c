// 14. Dashboards of saved charts, and the CSV / XLSX export of a query answer. The XLSX
// file is read back with exceljs (an independent reader) and must hold what the CSV holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startServer, postBatch, login, request, uid } from './harness.mjs';

let srv;
let cookie;
const DAY = 86400 * 1000;

before(async () => {
  srv = await startServer();
  const now = Date.now();
  const at = (daysAgo) => new Date(now - daysAgo * DAY - 3600 * 1000).toISOString();
  const batch = [
    { type: 'track', userId: 'u1', event: '注册', messageId: uid(), timestamp: at(2), properties: { channel: 'sem, 百度' } },
    { type: 'track', userId: 'u2', event: '注册', messageId: uid(), timestamp: at(2), properties: { channel: '官网' } },
    { type: 'track', userId: 'u3', event: '注册', messageId: uid(), timestamp: at(1), properties: { channel: '官网' } },
  ];
  const r = await postBatch(srv, batch);
  assert.equal(r.status, 200, r.text);
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

function api(path, { method = 'GET', body, auth = { cookie } } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (auth.cookie) headers.Cookie = auth.cookie;
  if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
  return request(`${srv.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

const trendSpec = {
  kind: 'trend', series: [{ event: '注册', label: '注册数' }], interval: 'day', range: { last: '7d' },
  breakdown: 'channel',
};

test('a chart saved to a dashboard comes back with its spec, and can be removed', async () => {
  const created = await api('/api/dashboards', { method: 'POST', body: { name: '周报' } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.dashboard.id;
  const chart = await api(`/api/dashboards/${id}/charts`, { method: 'POST', body: { title: '注册趋势', spec: trendSpec } });
  assert.equal(chart.status, 201, chart.text);
  const list = await api('/api/dashboards', { auth: { token: srv.readToken } });
  assert.equal(list.status, 200, list.text);
  const mine = list.json.dashboards.find((d) => d.id === id);
  assert.equal(mine.name, '周报');
  assert.equal(mine.charts.length, 1);
  assert.deepEqual(mine.charts[0].spec, trendSpec);
  assert.equal(mine.charts[0].title, '注册趋势');

  const removed = await api(`/api/dashboards/${id}/charts/${chart.json.chart.id}`, { method: 'DELETE' });
  assert.equal(removed.status, 200, removed.text);
  const again = await api(`/api/dashboards/${id}`);
  assert.equal(again.json.dashboard.charts.length, 0);
  assert.equal((await api(`/api/dashboards/${id}`, { method: 'DELETE' })).status, 200);
  assert.equal((await api(`/api/dashboards/${id}`)).status, 404);
});

test('bad dashboard input is refused with the field named; read tokens cannot edit', async () => {
  const noName = await api('/api/dashboards', { method: 'POST', body: { name: '  ' } });
  assert.equal(noName.status, 400);
  assert.equal(noName.json.error.field, 'name');
  const d = await api('/api/dashboards', { method: 'POST', body: { name: 'x' } });
  const badKind = await api(`/api/dashboards/${d.json.dashboard.id}/charts`, {
    method: 'POST', body: { title: 't', spec: { kind: 'nonsense' } },
  });
  assert.equal(badKind.status, 400);
  assert.equal(badKind.json.error.field, 'spec.kind');
  const byToken = await api('/api/dashboards', { method: 'POST', body: { name: 'y' }, auth: { token: srv.readToken } });
  assert.equal(byToken.status, 403, byToken.text);
  const missing = await api('/api/dashboards/999999/charts', { method: 'POST', body: { title: 't', spec: trendSpec } });
  assert.equal(missing.status, 404);
});

async function exportAs(format, spec) {
  const res = await fetch(`${srv.url}/api/query/export?format=${format}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(spec),
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function parseCsv(text) {
  // RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks.
  const rows = [[]];
  let field = '', quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rows.at(-1).push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { rows.at(-1).push(field); field = ''; rows.push([]); ++i; }
    else field += c;
  }
  if (rows.at(-1).length === 0) rows.pop();
  return rows;
}

test('CSV and XLSX exports hold the same table as the JSON answer', async () => {
  const csv = await exportAs('csv', trendSpec);
  assert.equal(csv.status, 200, csv.bytes.toString());
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="tobops-trend\.csv"/);
  const text = csv.bytes.toString('utf8');
  assert.ok(text.startsWith('\uFEFF'), 'UTF-8 BOM for Excel');
  const rows = parseCsv(text.slice(1));
  // Columns: t, then one per series ("注册数 · 官网" has 2, "注册数 · sem, 百度" has 1).
  assert.equal(rows[0][0], 't');
  assert.deepEqual(rows[0].slice(1).sort(), ['注册数 · sem, 百度', '注册数 · 官网'].sort());
  const col = (name) => rows[0].indexOf(name);
  const sum = (name) => rows.slice(1).reduce((s, r) => s + Number(r[col(name)]), 0);
  assert.equal(sum('注册数 · 官网'), 2);
  assert.equal(sum('注册数 · sem, 百度'), 1);

  const xlsx = await exportAs('xlsx', trendSpec);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.bytes);
  const sheet = workbook.worksheets[0];
  const cells = [];
  sheet.eachRow((row) => cells.push(row.values.slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
  assert.deepEqual(cells, rows);
});

test('export errors: unknown format, bad spec', async () => {
  const badFormat = await exportAs('pdf', trendSpec);
  assert.equal(badFormat.status, 400);
  assert.equal(JSON.parse(badFormat.bytes.toString()).error.field, 'format');
  const badSpec = await exportAs('csv', { kind: 'trend' });
  assert.equal(badSpec.status, 400);
  assert.equal(JSON.parse(badSpec.bytes.toString()).error.field, 'series');
});
