// The records schema (GET /api/records/schema), loaded once per page load and
// shared by every RecordTable / RecordForm / page through a module cache.
//
//   const { schema, loading, error, reload } = useSchema();
//     schema = {resources: [...], roles: [...]} once loaded.
//   const { resource, roles, loading, error } = useResource('accounts');
//     resource = {name, singular, display_field, search_fields, default_sort,
//                 default_order, tracks_manual_edits, fields: [{name, type, ...}]}.
//   fieldOf(resource, 'arr') → the field spec or null.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';

let cache = null; // {loading, schema, error}
const listeners = new Set();

function notify() {
  listeners.forEach((fn) => fn());
}

function load(force) {
  if (cache && !force && !cache.error) return;
  cache = { loading: true, schema: cache && cache.schema, error: null };
  api.get('/api/records/schema').then(
    (schema) => { cache = { loading: false, schema, error: null }; notify(); },
    (error) => { cache = { loading: false, schema: null, error }; notify(); },
  );
}

export function useSchema() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((n) => n + 1);
    listeners.add(fn);
    load(false);
    return () => listeners.delete(fn);
  }, []);
  const reload = useCallback(() => { load(true); notify(); }, []);
  const c = cache || { loading: true };
  return { schema: c.schema || null, loading: !c.schema && !c.error, error: c.error || null, reload };
}

export function useResource(name) {
  const { schema, loading, error, reload } = useSchema();
  const resource = schema ? (schema.resources || []).find((r) => r.name === name) || null : null;
  const roles = schema ? schema.roles || [] : [];
  return { resource, roles, loading, error, reload };
}

export function fieldOf(resource, name) {
  if (!resource) return null;
  return (resource.fields || []).find((f) => f.name === name) || null;
}
