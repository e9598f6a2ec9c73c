// 16. `tobops demo --end` fixes the story's last moment: the same seed and end give the
// same messages (so a peer engine and tobops can load identical data), a bad --end is
// refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './harness.mjs';

test('demo --end makes the NDJSON reproducible and bounded by the end', async () => {
  const args = ['demo', '--out', '-', '--events', '3000', '--end', '2026-03-01T00:00:00+08:00'];
  const a = await runCli(args);
  const b = await runCli(args);
  assert.equal(a.stdout, b.stdout);
  const lines = a.stdout.trim().split('\n');
  assert.ok(lines.length >= 3000, `${lines.length} messages`);
  const end = Date.parse('2026-03-01T00:00:00+08:00');
  for (const line of lines) assert.ok(Date.parse(JSON.parse(line).timestamp) <= end, line);
  const other = await runCli(['demo', '--out', '-', '--events', '3000', '--end', '2026-02-01T00:00:00+08:00']);
  assert.notEqual(other.stdout, a.stdout);
});

test('demo --end with a bad time fails naming --end', async () => {
  await assert.rejects(runCli(['demo', '--out', '-', '--events', '100', '--end', 'yesterday']), /--end/);
});
