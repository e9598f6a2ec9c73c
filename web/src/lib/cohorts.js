// Saved cohorts (GET /api/cohorts), cached for the whole console so every
// filter and breakdown picker shares one request; reloadCohorts() after a
// save or delete. Also the labels of cohort breakdown values (true / null).
import { useEffect, useState } from 'react';
import { api } from '../api.js';

let cache = { list: null, loading: false, error: null };
let pending = null;
const listeners = new Set();

function publish(next) {
  cache = next;
  listeners.forEach((fn) => fn(cache));
}

export function reloadCohorts() {
  publish({ ...cache, loading: true, error: null });
  pending = api.get('/api/cohorts').then(
    (d) => publish({ list: (d && d.cohorts) || [], loading: false, error: null }),
    (error) => publish({ list: cache.list || [], loading: false, error }),
  ).finally(() => { pending = null; });
  return pending;
}

// {list: [{id, name, entity, definition, created_at}] | null, loading, error}
export function useCohorts() {
  const [state, setState] = useState(cache);
  useEffect(() => {
    listeners.add(setState);
    if (cache.list === null && !pending) reloadCohorts();
    else setState(cache);
    return () => listeners.delete(setState);
  }, []);
  return state;
}

// The answer's breakdown value for a cohort breakdown: true = member, null = not.
export function isCohortBreakdown(spec, result) {
  const b = (spec && spec.breakdown) || (result && result.breakdown);
  return !!(b && typeof b === 'object' && b.source === 'cohort');
}

export function cohortValueLabel(t, value) {
  return value === true || value === 'true' ? t('cohort.inCohort') : t('cohort.notInCohort');
}
