// RecordTable: a server-paged, server-sorted table of one records resource,
// driven by GET /api/records/schema. Lists GET /api/<resource>?filters&q&sort&
// order&limit&offset; exports GET /api/<resource>/export?format=csv|xlsx with the
// same filters, search and sort (every matching record, not only the page).
//
// Props (all but `resource` optional):
//   resource      "accounts" — the resource name.
//   columns       [name | {key, label, render(record), sortable:bool, num:bool}];
//                 a name is a field of the resource or id / created_at / updated_at.
//                 Default: the display field and the next few simple fields.
//   filters       [field names] shown as filter controls: enum / bool → select,
//                 reference → search picker, date / time / integer / number → from–to,
//                 text, enum_list, text_list → exact value; a text field "role" → the
//                 decision roles of the schema.
//   fixed         {field: value} always applied and not shown (e.g. {account_id: 5}).
//   initialFilters {field: value | {from, to}} starting values of the controls.
//   sort, order   the starting sort (default: the resource's default_sort/order).
//   search        show the search box (default true).
//   exportable    show CSV / XLSX export (default true).
//   pageSize      rows per page (default 50).
//   rowLink       record → hash path ("/accounts/5"): the first column links there.
//   rowClass      record → extra class of the row.
//   rowActions    (record, reload) → node in a last column (e.g. "mark done").
//   actions       node in the card header (e.g. a "new" button).
//   title         card title (default: the resource's label); `subtitle` under it.
//   reloadKey     change it to reload (e.g. after a create elsewhere on the page).
//   onLoaded      ({records, total}) → void after each load.
//   tz            the project time zone (times shown and time filters in it).
//   testId        data-testid prefix (default the resource name): <p>-table, <p>-row,
//                 <p>-search, <p>-filter-<field>, <p>-export-csv / -xlsx, <p>-total.
import { useEffect, useMemo, useState } from 'react';
import { api, downloadGet, qs } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { navigate } from '../hooks.js';
import { fmtNum } from '../format.js';
import { Card, Empty, ErrorBox, Loading } from '../components/common.jsx';
import { useResource, fieldOf } from './useSchema.js';
import { RefPicker } from './RefPicker.jsx';
import { choiceLabel, fieldLabel, formatValue, localInputToIso, roleLabel } from './recordFormat.js';
import './records.css';

const SYSTEM_FIELDS = {
  id: { name: 'id', type: 'integer' },
  created_at: { name: 'created_at', type: 'time' },
  updated_at: { name: 'updated_at', type: 'time' },
};
const SIMPLE = new Set(['text', 'integer', 'number', 'date', 'time', 'enum', 'bool', 'reference']);

function specOf(resource, name) {
  return fieldOf(resource, name) || SYSTEM_FIELDS[name] || null;
}

export function isSortableField(f) {
  return !!f && !['enum_list', 'reference_list', 'text_list', 'object_list', 'object', 'long_text'].includes(f.type);
}

// The day after a YYYY-MM-DD date.
function nextDay(d) {
  const ms = Date.parse(`${d}T00:00:00Z`) + 86400000;
  return new Date(ms).toISOString().slice(0, 10);
}

// Filter control values → query parameters.
export function filterParams(resource, values, tz) {
  const out = {};
  for (const [name, v] of Object.entries(values || {})) {
    const f = specOf(resource, name);
    if (!f || v === undefined || v === null || v === '') continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      if (f.type === 'time') {
        if (v.from) out[`${name}_from`] = localInputToIso(`${v.from}T00:00`, tz);
        if (v.to) out[`${name}_to`] = new Date(Date.parse(localInputToIso(`${nextDay(v.to)}T00:00`, tz)) - 1).toISOString();
      } else {
        if (v.from !== undefined && v.from !== '') out[`${name}_from`] = v.from;
        if (v.to !== undefined && v.to !== '') out[`${name}_to`] = v.to;
      }
    } else {
      out[name] = v;
    }
  }
  return out;
}

function FilterControl({ resourceName, field, value, onChange, testId, roles }) {
  const { t, tOr } = useI18n();
  const label = fieldLabel(tOr, resourceName, field.name);
  const tid = `${testId}-filter-${field.name}`;
  if (field.name === 'role' && field.type === 'text' && roles && roles.length) {
    return (
      <label className="field rec-filter">
        <span>{label}</span>
        <select className="input" value={value || ''} onChange={(e) => onChange(e.target.value)} data-testid={tid}>
          <option value="">{t('rec.all')}</option>
          {roles.map((r) => <option key={r} value={r}>{roleLabel(tOr, r)}</option>)}
        </select>
      </label>
    );
  }
  if (field.type === 'enum' || field.type === 'enum_list') {
    return (
      <label className="field rec-filter">
        <span>{label}</span>
        <select className="input" value={value || ''} onChange={(e) => onChange(e.target.value)} data-testid={tid}>
          <option value="">{t('rec.all')}</option>
          {(field.choices || []).map((c) => <option key={c} value={c}>{choiceLabel(tOr, resourceName, field.name, c)}</option>)}
        </select>
      </label>
    );
  }
  if (field.type === 'bool') {
    return (
      <label className="field rec-filter">
        <span>{label}</span>
        <select className="input" value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)} data-testid={tid}>
          <option value="">{t('rec.all')}</option>
          <option value="true">{t('rec.yes')}</option>
          <option value="false">{t('rec.no')}</option>
        </select>
      </label>
    );
  }
  if (field.type === 'reference' || field.type === 'reference_list') {
    return (
      <div className="field rec-filter rec-filter-ref">
        <span>{label}</span>
        <RefPicker resource={field.references} value={value || null} onChange={(id) => onChange(id || '')} testId={tid} placeholder={t('rec.all')} />
      </div>
    );
  }
  if (['date', 'time', 'integer', 'number'].includes(field.type)) {
    const v = value && typeof value === 'object' ? value : {};
    const type = field.type === 'date' || field.type === 'time' ? 'date' : 'number';
    return (
      <div className="field rec-filter rec-filter-range">
        <span>{label}</span>
        <div className="inline">
          <input className="input" type={type} value={v.from || ''} onChange={(e) => onChange({ ...v, from: e.target.value })} aria-label={`${label} ${t('rec.from')}`} data-testid={`${tid}-from`} />
          <span className="muted">–</span>
          <input className="input" type={type} value={v.to || ''} onChange={(e) => onChange({ ...v, to: e.target.value })} aria-label={`${label} ${t('rec.to')}`} data-testid={`${tid}-to`} />
        </div>
      </div>
    );
  }
  return <TextFilter label={label} value={value} onChange={onChange} testId={tid} />;
}

// Exact-value text filter, applied shortly after typing stops.
function TextFilter({ label, value, onChange, testId }) {
  const { t } = useI18n();
  const [text, setText] = useState(value || '');
  useEffect(() => { setText(value || ''); }, [value]);
  useEffect(() => {
    if (text === (value || '')) return undefined;
    const timer = setTimeout(() => onChange(text.trim()), 350);
    return () => clearTimeout(timer);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <label className="field rec-filter">
      <span>{label}</span>
      <input className="input" value={text} placeholder={t('rec.all')} onChange={(e) => setText(e.target.value)} data-testid={testId} />
    </label>
  );
}

export function ExportLinks({ path, params, name, testId }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState('');
  const [error, setError] = useState(null);
  const go = async (format) => {
    setBusy(format);
    setError(null);
    try {
      await downloadGet(`${path}${qs({ ...params, format })}`, `tobops-${name}.${format}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  };
  return (
    <div className="inline export-buttons">
      <span className="muted small">{t('rec.export')}</span>
      <div className="segmented">
        {['csv', 'xlsx'].map((f) => (
          <button key={f} type="button" onClick={() => go(f)} disabled={!!busy} data-testid={`${testId}-export-${f}`}>
            {busy === f ? '…' : f.toUpperCase()}
          </button>
        ))}
      </div>
      {error && <small className="field-error" role="alert">{error.message}</small>}
    </div>
  );
}

export default function RecordTable({
  resource: resourceName, columns, filters = [], fixed, initialFilters, sort: sort0, order: order0,
  search = true, exportable = true, pageSize = 50, rowLink, rowClass, rowActions, actions, title, subtitle,
  reloadKey, onLoaded, testId, tz,
}) {
  const { t, tOr, lang } = useI18n();
  const { resource, roles, loading: schemaLoading, error: schemaError, reload: reloadSchema } = useResource(resourceName);
  const prefix = testId || resourceName;
  const [values, setValues] = useState(initialFilters || {});
  const [q, setQ] = useState('');
  const [qApplied, setQApplied] = useState('');
  const [sort, setSort] = useState({ key: sort0 || '', dir: order0 || '' });
  const [offset, setOffset] = useState(0);
  const [state, setState] = useState({ loading: true, error: null, data: null });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => { setQApplied(q.trim()); setOffset(0); }, 300);
    return () => clearTimeout(timer);
  }, [q]);

  const cols = useMemo(() => {
    if (!resource) return [];
    const list = columns || [resource.display_field || 'name', ...resource.fields.filter((f) => SIMPLE.has(f.type) && f.name !== resource.display_field).slice(0, 5).map((f) => f.name)];
    return list.map((c) => {
      if (typeof c === 'object') return { sortable: false, ...c, field: specOf(resource, c.key) };
      const f = specOf(resource, c);
      return { key: c, field: f, sortable: isSortableField(f), num: f && (f.type === 'integer' || f.type === 'number') };
    });
  }, [resource, columns]);

  const sortKey = sort.key || (resource && resource.default_sort) || '';
  const sortDir = sort.dir || (resource && resource.default_order) || 'desc';
  const params = useMemo(() => {
    if (!resource) return null;
    return { ...(fixed || {}), ...filterParams(resource, values, tz), q: qApplied, sort: sortKey, order: sortDir };
  }, [resource, fixed, values, tz, qApplied, sortKey, sortDir]);
  const paramsKey = JSON.stringify(params);

  useEffect(() => {
    if (!params) return undefined;
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.get(`/api/${resourceName}${qs({ ...params, limit: pageSize, offset })}`).then(
      (data) => { if (live) { setState({ loading: false, error: null, data }); if (onLoaded) onLoaded(data); } },
      (error) => { if (live) setState((s) => ({ loading: false, error, data: s.data })); },
    );
    return () => { live = false; };
  }, [paramsKey, offset, pageSize, reloadKey, tick]); // eslint-disable-line react-hooks/exhaustive-deps

  if (schemaError) return <ErrorBox error={schemaError} onRetry={reloadSchema} />;
  if (schemaLoading || !resource) return <Loading />;

  const reload = () => setTick((n) => n + 1);
  const setFilter = (name, v) => { setValues((vs) => ({ ...vs, [name]: v })); setOffset(0); };
  const onSort = (key) => {
    setSort({ key, dir: sortKey === key ? (sortDir === 'asc' ? 'desc' : 'asc') : 'desc' });
    setOffset(0);
  };
  const data = state.data;
  const rows = (data && data.records) || [];
  const total = data ? data.total || 0 : 0;
  const active = Object.values(values).some((v) => v !== '' && v !== undefined && v !== null && !(typeof v === 'object' && !v.from && !v.to)) || qApplied;
  const exportParams = { ...params };
  if (!exportParams.q) delete exportParams.q;

  return (
    <Card
      title={title !== undefined ? title : tOr(`nav.${resourceName}`, resourceName)}
      className={state.loading && data ? 'card-busy rec-table-card' : 'rec-table-card'}
      actions={(
        <div className="inline wrap">
          {exportable && <ExportLinks path={`/api/${resourceName}/export`} params={exportParams} name={resourceName} testId={prefix} />}
          {actions}
        </div>
      )}
      testId={`${prefix}-card`}
    >
      {subtitle && <p className="muted small help">{subtitle}</p>}
      {(search || filters.length > 0) && (
        <div className="rec-filters">
          {search && (
            <label className="field rec-filter rec-filter-search">
              <span>{t('rec.search')}</span>
              <input type="search" className="input" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('rec.searchPlaceholder', { fields: (resource.search_fields || []).map((f) => fieldLabel(tOr, resourceName, f)).join(' / ') })} data-testid={`${prefix}-search`} />
            </label>
          )}
          {filters.map((name) => {
            const f = specOf(resource, name);
            if (!f) return null;
            return <FilterControl key={name} resourceName={resourceName} field={f} value={values[name]} onChange={(v) => setFilter(name, v)} testId={prefix} roles={roles} />;
          })}
          {active && (
            <button type="button" className="btn btn-small btn-link rec-filters-clear" onClick={() => { setValues({}); setQ(''); setOffset(0); }} data-testid={`${prefix}-clear`}>
              {t('rec.clearFilters')}
            </button>
          )}
        </div>
      )}
      <ErrorBox error={state.error} onRetry={reload} />
      {state.loading && !data && <Loading />}
      {data && rows.length === 0 && <Empty>{active ? t('rec.noMatch') : t('rec.none')}</Empty>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table table-hover rec-table" data-testid={`${prefix}-table`}>
            <thead>
              <tr>
                {cols.map((c) => {
                  const label = c.label !== undefined ? c.label : fieldLabel(tOr, resourceName, c.key);
                  if (!c.sortable) return <th key={c.key} className={c.num ? 'num' : undefined}>{label}</th>;
                  const on = sortKey === c.key;
                  return (
                    <th key={c.key} className={['sortable', c.num ? 'num' : '', on ? 'sorted' : ''].filter(Boolean).join(' ')} aria-sort={on ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none'} data-testid={`${prefix}-sort-${c.key}`}>
                      <button type="button" className="th-button" onClick={() => onSort(c.key)}>
                        {label}
                        <span className="sort-mark" aria-hidden="true">{on ? (sortDir === 'asc' ? '▲' : '▼') : '↕'}</span>
                      </button>
                    </th>
                  );
                })}
                {rowActions && <th aria-label={t('rec.actions')} />}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const link = rowLink ? rowLink(r) : null;
                return (
                  <tr
                    key={r.id}
                    className={[link ? 'clickable' : '', rowClass ? rowClass(r) : ''].filter(Boolean).join(' ') || undefined}
                    onClick={link ? (e) => { if (!e.target.closest('a,button,input,select,label')) navigate(link); } : undefined}
                    data-testid={`${prefix}-row`}
                    data-id={r.id}
                  >
                    {cols.map((c, i) => {
                      const content = c.render ? c.render(r) : (c.field ? formatValue({ lang, tz, tOr, resource: resourceName, field: c.field, record: r }) : String(r[c.key] ?? '–'));
                      return (
                        <td key={c.key} className={c.num ? 'num' : undefined}>
                          {i === 0 && link ? <a href={`#${link}`} data-testid={`${prefix}-link`}>{content}</a> : content}
                        </td>
                      );
                    })}
                    {rowActions && <td className="nowrap rec-row-actions">{rowActions(r, reload)}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data && (
        <div className="pager">
          <span className="muted small" data-testid={`${prefix}-total`} data-total={total}>
            {total > 0 ? t('pager.range', { from: fmtNum(lang, offset + 1), to: fmtNum(lang, offset + rows.length), total: fmtNum(lang, total) }) : t('rec.total', { n: 0 })}
          </span>
          {total > pageSize && (
            <>
              <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))} data-testid={`${prefix}-prev`}>{t('pager.prev')}</button>
              <button type="button" className="btn btn-small" disabled={offset + rows.length >= total} onClick={() => setOffset(offset + pageSize)} data-testid={`${prefix}-next`}>{t('pager.next')}</button>
            </>
          )}
        </div>
      )}
    </Card>
  );
}
