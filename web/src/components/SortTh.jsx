// Sortable table headers: state {key, dir}, a header cell that toggles it, and
// the sorting itself (nulls last whatever the direction; text by locale).
import { useMemo, useState } from 'react';

export function useSort(initialKey, initialDir = 'desc') {
  const [sort, setSort] = useState({ key: initialKey, dir: initialDir });
  const toggle = (key, firstDir = 'desc') => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: firstDir }));
  return [sort, toggle];
}

export function useSorted(rows, sort, accessors, lang) {
  return useMemo(() => {
    const get = accessors[sort.key];
    if (!get) return rows;
    const collator = new Intl.Collator(lang);
    const out = rows.map((r, i) => ({ r, i, v: get(r) }));
    out.sort((a, b) => {
      const an = a.v === null || a.v === undefined || a.v === '';
      const bn = b.v === null || b.v === undefined || b.v === '';
      if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1;
      let c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
      if (sort.dir === 'desc') c = -c;
      return c || a.i - b.i;
    });
    return out.map((x) => x.r);
  }, [rows, sort, accessors, lang]);
}

export function SortTh({ sortKey, sort, onSort, children, className, firstDir }) {
  const active = sort.key === sortKey;
  const cls = ['sortable', className, active ? 'sorted' : ''].filter(Boolean).join(' ');
  return (
    <th
      className={cls}
      aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      data-testid={`sort-${sortKey}`}
    >
      <button type="button" className="th-button" onClick={() => onSort(sortKey, firstDir)}>
        {children}
        <span className="sort-mark" aria-hidden="true">{active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}
