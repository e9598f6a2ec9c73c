// 7. gzip-compressed batches; 8. CORS preflight and headers on ingest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, query, trend, request, uid, basicAuth } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.cleanup(); });

test('a gzip-compressed batch is accepted and stored', async () => {
  const batch = Array.from({ length: 20 }, (_, i) => ({
    type: 'track', userId: `g${i % 4}`, event: '压缩', messageId: uid('gz'),
    timestamp: Date.UTC(2026, 7, 1 + (i % 2), 12, 0, i), properties: { note: '中文内容'.repeat(20) },
  }));
  const r = await postBatch(srv, batch, { gzip: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 20, r.text);
  const a = await query(srv, trend([{ event: '压缩', measure: 'events' }, { event: '压缩', measure: 'persons' }], '2026-08-01', '2026-08-02'));
  assert.equal(a.series[0].total, 20);
  assert.deepEqual(a.series[0].points.map((p) => p.value), [10, 10]);
  assert.equal(a.series[1].total, 4);
});

test('a body labelled gzip that is not gzip → 400 JSON error', async () => {
  const res = await request(`${srv.url}/v1/batch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Authorization: basicAuth(srv.writeKey) },
    body: 'definitely not gzip',
  });
  assert.equal(res.status, 400, res.text);
  assert.equal(res.json?.error?.code, 'invalid_argument', res.text);
});

test('CORS: OPTIONS /v1/batch with Origin → 204 and Access-Control-Allow-Origin', async () => {
  const res = await request(`${srv.url}/v1/batch`, {
    method: 'OPTIONS',
    headers: {
      Origin: 'https://www.example.cn',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type, authorization',
    },
  });
  assert.equal(res.status, 204, res.text);
  const allow = res.headers.get('access-control-allow-origin');
  assert.ok(allow === '*' || allow === 'https://www.example.cn', `Access-Control-Allow-Origin: ${allow}`);
  const methods = res.headers.get('access-control-allow-methods') || '';
  assert.match(methods, /POST/i);
  const headers = (res.headers.get('access-control-allow-headers') || '').toLowerCase();
  assert.ok(headers === '*' || (headers.includes('content-type') && headers.includes('authorization')), `Allow-Headers: ${headers}`);
});

test('CORS: the POST answer itself carries Access-Control-Allow-Origin', async () => {
  const body = JSON.stringify({ batch: [{ type: 'track', userId: 'c1', event: 'cors', messageId: uid(), timestamp: Date.now() }] });
  const res = await request(`${srv.url}/v1/batch`, {
    method: 'POST',
    headers: { Origin: 'https://www.example.cn', 'Content-Type': 'application/json', Authorization: basicAuth(srv.writeKey) },
    body,
  });
  assert.equal(res.status, 200, res.text);
  assert.ok(res.headers.get('access-control-allow-origin'), 'Access-Control-Allow-Origin on the POST answer');
});
