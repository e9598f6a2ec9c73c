import { useCallback, useEffect, useRef, useState } from 'react';

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
