// 21. Every record resource, driven by GET /api/records/schema: create a minimal valid
// record (creating what it references first), reject a bad value naming the field,
// update, find it through a list filter, export it as CSV and XLSX, delete it (ledgers,
// which are append-only, refuse update and delete). A new
// resource is covered as soon as it is declared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startServer, login, request, apiCall } from './harness.mjs';

let srv;
let cookie;
let schema;

// Values the schema alone cannot tell (a stage must be one of the project's stages).
const KNOWN = { opportunities: { stage: 'lead' }, pipeline_stages: { key: 'poc', position: 9, probability: 40 } };

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
  schema = (await api('/api/records/schema')).json;
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

const resource = (name) => schema.resources.find((r) => r.name === name);
let counter = 0;

// A value for one field, creating a referenced record when needed.
async function valueFor(res, field) {
  if (KNOWN[res.name]?.[field.name] !== undefined) return KNOWN[res.name][field.name];
  counter++;
  switch (field.type) {
    case 'text': case 'long_text': return `${field.name} ${counter} 测试`;
    case 'integer': return Math.max(field.min ?? 0, 1);
    case 'number': return Math.max(field.min ?? 0, 1.5);
    case 'date': return '2027-03-01';
    case 'time': return '2027-03-01T10:00:00+08:00';
    case 'enum': return field.choices[0];
    case 'enum_list': return [field.choices[0]];
    case 'bool': return true;
    case 'reference': return (await createMinimal(field.references)).id;
    case 'reference_list': return [(await createMinimal(field.references)).id];
    case 'text_list': return ['一', 'two'];
    default: return undefined;
  }
}

async function minimalBody(res) {
  const body = {};
  for (const f of res.fields) {
    if (f.required && !f.read_only) body[f.name] = await valueFor(res, f);
  }
  return body;
}

async function createMinimal(name) {
  const res = resource(name);
  const r = await api(`/api/${name}`, { method: 'POST', body: await minimalBody(res) });
  assert.equal(r.status, 201, `${name}: ${r.text}`);
  return r.json.record;
}

test('every resource: create, validate, update, list, export, delete', async () => {
  assert.ok(schema.resources.length >= 10);
  for (const res of schema.resources) {
    const name = res.name;
    const created = await createMinimal(name);
    for (const f of res.fields) {
      if (f.required && !f.read_only && f.type !== 'reference' && f.type !== 'reference_list') {
        assert.notEqual(created[f.name], null, `${name}.${f.name} stored`);
      }
    }

    // An unknown member and a required field cleared are both named.
    const bad = await api(`/api/${name}`, { method: 'POST', body: { ...(await minimalBody(res)), no_such_field: 1 } });
    assert.equal(bad.status, 400, `${name}: ${bad.text}`);
    assert.equal(bad.json.error.field, 'no_such_field');
    if (res.append_only) {
      // A ledger: no update, no delete — corrections are new entries.
      const patch = await api(`/api/${name}/${created.id}`, { method: 'PATCH', body: {} });
      assert.equal(patch.status, 412, `${name}: ${patch.text}`);
      const del = await api(`/api/${name}/${created.id}`, { method: 'DELETE' });
      assert.equal(del.status, 412, `${name}: ${del.text}`);
      assert.equal((await api(`/api/${name}/${created.id}`)).status, 200);
      continue;
    }
    const required = res.fields.find((f) => f.required && !f.read_only);
    if (required) {
      const cleared = await api(`/api/${name}/${created.id}`, { method: 'PATCH', body: { [required.name]: null } });
      assert.equal(cleared.status, 400, `${name}: ${cleared.text}`);
      assert.equal(cleared.json.error.field, required.name);
    }

    // Update an optional text field (or a required one when there is none).
    const editable = res.fields.find((f) => !f.required && !f.read_only && (f.type === 'text' || f.type === 'long_text'))
      || res.fields.find((f) => (f.type === 'text' || f.type === 'long_text') && !f.read_only && !KNOWN[name]?.[f.name]);
    if (editable) {
      const patched = await api(`/api/${name}/${created.id}`, { method: 'PATCH', body: { [editable.name]: '已更新 updated' } });
      assert.equal(patched.status, 200, `${name}: ${patched.text}`);
      assert.equal(patched.json.record[editable.name], '已更新 updated');
      const listed = await api(`/api/${name}?q=${encodeURIComponent('已更新')}&limit=1000`);
      if (res.search_fields.includes(editable.name)) {
        assert.ok(listed.json.records.some((r) => r.id === created.id), `${name} found by search`);
      }
    }
    const all = await api(`/api/${name}?limit=1000&sort=id&order=asc`);
    assert.equal(all.status, 200, `${name}: ${all.text}`);
    assert.ok(all.json.records.some((r) => r.id === created.id), `${name} listed`);

    const csv = await request(`${srv.url}/api/${name}/export?format=csv&sort=id&order=asc`, { headers: { Cookie: cookie } });
    assert.equal(csv.status, 200, `${name}: ${csv.text}`);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    assert.equal(lines.length, all.json.total + 1, `${name} csv rows`);
    assert.ok(lines.slice(1).some((l) => l.split(',')[0] === String(created.id)), `${name} csv has the record`);
    const xlsx = await fetch(`${srv.url}/api/${name}/export?format=xlsx`, { headers: { Cookie: cookie } });
    assert.equal(xlsx.status, 200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()));
    assert.equal(book.worksheets[0].rowCount, all.json.total + 1, `${name} xlsx rows`);

    const gone = await api(`/api/${name}/${created.id}`, { method: 'DELETE' });
    assert.equal(gone.status, 200, `${name}: ${gone.text}`);
    assert.equal((await api(`/api/${name}/${created.id}`)).status, 404);
  }
});
