// Figure-by-figure comparison. Each side's answer is first normalized by the kind's
// module into a flat Map "path → number" (e.g. "s0 · 制造业 · 2026-01-05" → 12); zero
// figures are left out on both sides, so "absent" and "0" are the same figure.
// compareFigures() returns a report: every differing figure with both values, then both
// answers in full (capped), or null when they agree.

export function flatten(entries) {
  const m = new Map();
  for (const [k, v] of entries) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`figure ${k} is not a number: ${v}`);
    if (v === 0) continue;
    if (m.has(k)) throw new Error(`figure ${k} appears twice`);
    m.set(k, v);
  }
  return m;
}

const CAP = 20000;
function dump(m) {
  const text = [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `  ${k} = ${v}`).join('\n');
  return text.length > CAP ? `${text.slice(0, CAP)}\n  … (${m.size} figures)` : text;
}

export function compareFigures(label, tobops, peer, peerName = 'ClickHouse') {
  const keys = [...new Set([...tobops.keys(), ...peer.keys()])].sort();
  const diffs = [];
  for (const k of keys) {
    const a = tobops.get(k) ?? 0;
    const b = peer.get(k) ?? 0;
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))) diffs.push(`  ${k}: tobops ${a}, ${peerName} ${b}`);
  }
  if (!diffs.length) return null;
  return `${label}: ${diffs.length} of ${keys.length} figures differ\n${diffs.slice(0, 60).join('\n')}` +
    (diffs.length > 60 ? `\n  … ${diffs.length - 60} more` : '') +
    `\n--- tobops answer (${tobops.size} non-zero figures)\n${dump(tobops)}` +
    `\n--- ${peerName} answer (${peer.size} non-zero figures)\n${dump(peer)}`;
}
