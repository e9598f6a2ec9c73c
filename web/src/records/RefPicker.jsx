// Reference pickers with search.
//
// <RefPicker resource="contacts" value={id|null} label="current name"
//            onChange={(id, record|null) => …} params={{account_id: 5}}
//            testId="x" placeholder="…" disabled allowClear />
//   Typing searches GET /api/<resource>?q=…&limit=8 (plus `params`, e.g. only the
//   contacts of one account); focusing with nothing typed lists the first ones.
//   The picked record is handed to onChange so a form can copy its fields.
// <RefListPicker resource="accounts" value={[ids]} names={[names]} onChange={(ids) => …} />
//   A reference_list: chips of the chosen records plus a picker that adds one.
import { useEffect, useRef, useState } from 'react';
import { api, qs } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useResource } from './useSchema.js';
import { recordName, roleLabel } from './recordFormat.js';
import './records.css';

// Second line of an option: what tells two records of the same name apart.
function describe(tOr, record) {
  const parts = [];
  if (record.title && record.name) parts.push(record.title);
  if (record.role) parts.push(roleLabel(tOr, record.role));
  if (record.account_name) parts.push(record.account_name);
  if (record.industry) parts.push(record.industry);
  if (record.email) parts.push(record.email);
  return parts.join(' · ');
}

export function RefPicker({ resource, value, label, onChange, params, testId, placeholder, disabled, allowClear = true, invalid }) {
  const { t, tOr } = useI18n();
  const { resource: spec } = useResource(resource);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [options, setOptions] = useState([]);
  const [loading, setLoading] = useState(false);
  const [fetchedName, setFetchedName] = useState('');
  // The name of the record picked here last: the parent's label may be stale.
  const [picked, setPicked] = useState({ id: null, name: '' });
  const seq = useRef(0);
  const paramsKey = JSON.stringify(params || {});

  // A value without a name (e.g. set from the URL): ask for the record once.
  useEffect(() => {
    if (value && !label && picked.id !== value) {
      api.get(`/api/${resource}/${value}`).then((d) => setFetchedName(recordName(spec, d.record)), () => setFetchedName(''));
    }
  }, [value, label, resource, spec]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!open) return undefined;
    const id = ++seq.current;
    setLoading(true);
    const timer = setTimeout(() => {
      api.get(`/api/${resource}${qs({ ...JSON.parse(paramsKey), q: text.trim(), limit: 8 })}`).then(
        (d) => { if (id === seq.current) { setOptions(d.records || []); setLoading(false); } },
        () => { if (id === seq.current) { setOptions([]); setLoading(false); } },
      );
    }, text ? 200 : 0);
    return () => clearTimeout(timer);
  }, [open, text, resource, paramsKey]);

  const pick = (r) => {
    setPicked({ id: r.id, name: recordName(spec, r) });
    onChange(r.id, r);
    setOpen(false);
  };
  const shown = open ? text : ((picked.id === value && value ? picked.name : label) || fetchedName || (value ? `#${value}` : ''));
  return (
    <div className={invalid ? 'ref-picker invalid' : 'ref-picker'} data-testid={testId}>
      <input
        className="input"
        type="search"
        value={shown}
        placeholder={placeholder || t('rec.searchToPick')}
        disabled={disabled}
        onFocus={() => { setText(''); setOpen(true); }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (options.length) { pick(options[0]); e.currentTarget.blur(); }
          } else if (e.key === 'Escape') {
            setOpen(false);
            e.currentTarget.blur();
          }
        }}
        data-testid={testId ? `${testId}-input` : undefined}
      />
      {allowClear && value && !disabled && !open && (
        <button type="button" className="ref-clear" aria-label={t('rec.clear')} onClick={() => onChange(null, null)} data-testid={testId ? `${testId}-clear` : undefined}>✕</button>
      )}
      {open && (
        <ul className="ref-options" role="listbox">
          {loading && options.length === 0 && <li className="muted small ref-note">{t('common.loading')}</li>}
          {!loading && options.length === 0 && <li className="muted small ref-note">{t('rec.noMatches')}</li>}
          {options.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(r)}
                data-testid={testId ? `${testId}-option` : undefined}
              >
                <span>{recordName(spec, r)}</span>
                <small className="muted">{describe(tOr, r)}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function RefListPicker({ resource, value, names, onChange, params, testId, disabled, invalid }) {
  const { t } = useI18n();
  const ids = Array.isArray(value) ? value : [];
  // Names as given with the record (parallel to its ids), plus the ones picked since.
  const [known, setKnown] = useState({});
  const namesKey = JSON.stringify([ids, names || []]);
  useEffect(() => {
    const [i0, n0] = JSON.parse(namesKey);
    if (n0.length !== i0.length) return;
    setKnown((k) => { const out = { ...k }; i0.forEach((id, i) => { if (!out[id]) out[id] = n0[i]; }); return out; });
  }, [namesKey]);
  const nameOf = (id) => known[id] || `#${id}`;
  return (
    <div className="ref-list" data-testid={testId}>
      <div className="inline wrap">
        {ids.map((id) => (
          <span className="chip chip-removable" key={id}>
            {nameOf(id)}
            {!disabled && <button type="button" aria-label={t('rec.remove')} onClick={() => onChange(ids.filter((x) => x !== id))}>✕</button>}
          </span>
        ))}
      </div>
      {!disabled && (
        <RefPicker
          resource={resource}
          value={null}
          params={params}
          allowClear={false}
          invalid={invalid}
          placeholder={t('rec.addReference')}
          onChange={(id, rec) => {
            if (!id || ids.includes(id)) return;
            if (rec) setKnown((k) => ({ ...k, [id]: rec.name || rec.title || `#${id}` }));
            onChange([...ids, id]);
          }}
          testId={testId ? `${testId}-add` : undefined}
        />
      )}
    </div>
  );
}
