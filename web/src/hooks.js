import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.js';

// Current hash route, e.g. "#/data/keys" -> "/data/keys".
export function useHashRoute() {
  const read = () => (window.location.hash || '').replace(/^#/, '') || '/';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function navigate(path) {
  if (window.location.hash !== `#${path}`) window.location.hash = `#${path}`;
}

// Loads fn() on mount and whenever deps change; exposes reload().
export function useAsync(fn, deps) {
  const [state, setState] = useState({ loading: true, error: null, data: null });
  const seq = useRef(0);
  const run = useCallback(() => {
    const id = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    return fn().then(
      (data) => {
        if (id === seq.current) setState({ loading: false, error: null, data });
      },
      (error) => {
        if (id === seq.current) setState((s) => ({ loading: false, error, data: s.data }));
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    run();
  }, [run]);
  return { ...state, reload: run, setData: (data) => setState((s) => ({ ...s, data })) };
}

export function usePageVisible() {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

// Splits a hash route "/events?q=acc-1" into its path and query parameters.
export function parseRoute(route) {
  const i = route.indexOf('?');
  if (i < 0) return { path: route, params: {} };
  const params = {};
  for (const [k, v] of new URLSearchParams(route.slice(i + 1))) params[k] = v;
  return { path: route.slice(0, i), params };
}

// Schema lists (event names, property names per source) are shared by every
// builder on every page: one request each per page load, kept in a module
// cache that notifies the components using it.
const schemaCache = {};
const schemaListeners = new Set();
function loadSchema(key, path, pick) {
  if (schemaCache[key] && !schemaCache[key].error) return;
  schemaCache[key] = { loading: true };
  api.get(path).then(
    (d) => { schemaCache[key] = { list: pick(d) }; schemaListeners.forEach((fn) => fn()); },
    (error) => { schemaCache[key] = { error }; schemaListeners.forEach((fn) => fn()); },
  );
}
function useSchemaCache() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((n) => n + 1);
    schemaListeners.add(fn);
    return () => schemaListeners.delete(fn);
  }, []);
  return schemaCache;
}

// Event names with counts from /api/schema/events: {list: [{name, count}], loading, error}.
export function useSchemaEvents() {
  const cache = useSchemaCache();
  useEffect(() => { loadSchema('events', '/api/schema/events', (d) => d.events || []); }, []);
  return cache.events || { loading: true };
}

// Property names per source ("event" | "person" | "account"), loaded on demand.
export function useSchemaProperties() {
  const cache = useSchemaCache();
  const load = useCallback((source) => {
    if (!source) return;
    loadSchema(`props:${source}`, `/api/schema/properties?source=${encodeURIComponent(source)}`,
      (d) => (d.properties || []).map((p) => p.name));
  }, []);
  const get = (source) => cache[`props:${source}`] || null;
  return [get, load];
}

// Runs query specs: remembers the spec that produced the result, so saving
// and exporting use exactly what is on screen; stale answers are dropped.
export function useQueryRunner() {
  const [state, setState] = useState({ result: null, spec: null, error: null, running: false });
  const seq = useRef(0);
  const run = useCallback(async (spec) => {
    const id = ++seq.current;
    setState((s) => ({ ...s, running: true, error: null }));
    try {
      const result = await api.post('/api/query', spec);
      if (id === seq.current) setState({ result, spec, error: null, running: false });
    } catch (error) {
      if (id === seq.current) setState((s) => ({ ...s, error, running: false }));
    }
  }, []);
  return { ...state, run };
}

// Spec handed from a dashboard to an analysis page ("open in analysis").
const OPEN_KEY = 'tobops.openSpec';
export function handOverSpec(spec) {
  try {
    sessionStorage.setItem(OPEN_KEY, JSON.stringify(spec));
  } catch {
    /* storage unavailable: the page opens with its defaults */
  }
}
export function takeHandedSpec(kinds) {
  try {
    const text = sessionStorage.getItem(OPEN_KEY);
    if (!text) return null;
    const spec = JSON.parse(text);
    if (!spec || !kinds.includes(spec.kind)) return null;
    sessionStorage.removeItem(OPEN_KEY);
    return spec;
  } catch {
    return null;
  }
}
