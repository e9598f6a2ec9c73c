// The project's pipeline stages (GET /api/pipeline_stages, by position), loaded
// once per page and shared: {stages, loading, error} (the default stages when
// the project has none yet). Reload after a change of
// the stages themselves with reloadStages().
import { useEffect, useState } from 'react';
import { api } from '../api.js';

// What the server uses for a project without stages of its own (brief B2).
export const DEFAULT_STAGES = [
  { key: 'lead', probability: 10, outcome: 'open', position: 1 },
  { key: 'qualified', probability: 25, outcome: 'open', position: 2 },
  { key: 'solution', probability: 50, outcome: 'open', position: 3 },
  { key: 'negotiation', probability: 75, outcome: 'open', position: 4 },
  { key: 'won', probability: 100, outcome: 'won', position: 5 },
  { key: 'lost', probability: 0, outcome: 'lost', position: 6 },
];

let cache = null; // {promise, stages, error}
const listeners = new Set();

function load(force) {
  if (cache && !force && !cache.error) return;
  const promise = api.get('/api/pipeline_stages?sort=position&order=asc&limit=200');
  cache = { promise, stages: cache && cache.stages, error: null };
  promise.then(
    (d) => { cache = { promise, stages: (d.records || []).length ? d.records : DEFAULT_STAGES, error: null }; listeners.forEach((fn) => fn()); },
    (error) => { cache = { promise, stages: null, error }; listeners.forEach((fn) => fn()); },
  );
}

export function reloadStages() {
  load(true);
}

export function useStages() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((n) => n + 1);
    listeners.add(fn);
    load(false);
    return () => listeners.delete(fn);
  }, []);
  const c = cache || {};
  return { stages: c.stages || [], loading: !c.stages && !c.error, error: c.error || null };
}
