// Building blocks shared by the analysis builders: event and property pickers,
// filter lists, the time range, "aggregate by", field errors and the spec
// preview. Every control is controlled (value + onChange).
import { useEffect } from 'react';
import { useI18n } from '../i18n.jsx';
import { useSchemaEvents, useSchemaProperties } from '../hooks.js';
import { fmtNum } from '../format.js';
import {
  COHORT_OPS, FILTER_SOURCES, LIST_OPS, NO_VALUE_OPS, OPS, SOURCES, errorMatches, newFilter,
} from '../lib/filters.js';
import { useCohorts } from '../lib/cohorts.js';
import { CopyButton } from './common.jsx';

// The server's message under the field it names (error.field), if it does.
export function FieldError({ error, field, prefix = true }) {
  if (!errorMatches(error, field, prefix)) return null;
  return <small className="field-error" data-testid="field-error" data-field={error.field}>{error.message}</small>;
}

// Event picker fed by /api/schema/events. `special` adds pseudo events first,
// e.g. [{value: '$any', label: 'any event'}].
export function EventSelect({ value, onChange, special = [], placeholder, testId, className = 'input' }) {
  const { t, lang } = useI18n();
  const events = useSchemaEvents();
  const list = events.list || [];
  const known = special.some((s) => s.value === value) || list.some((e) => e.name === value);
  return (
    <select className={className} value={value || ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {!value && <option value="">{events.loading ? t('common.loading') : placeholder || t('q.chooseEvent')}</option>}
      {special.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
      {list.map((ev) => (
        <option key={ev.name} value={ev.name}>{ev.name} ({fmtNum(lang, ev.count)})</option>
      ))}
      {value && !known && <option value={value}>{value}</option>}
    </select>
  );
}

// Property names of one source from /api/schema/properties.
export function PropertySelect({ source, value, onChange, testId, className = 'input' }) {
  const { t } = useI18n();
  const [get, load] = useSchemaProperties();
  useEffect(() => { load(source); }, [source, load]);
  const entry = get(source);
  const list = (entry && entry.list) || [];
  return (
    <select className={className} value={value || ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{entry && entry.loading ? t('common.loading') : t('q.chooseProperty')}</option>
      {list.map((p) => <option key={p} value={p}>{p}</option>)}
      {value && !list.includes(value) && <option value={value}>{value}</option>}
    </select>
  );
}

// Saved-cohort picker (value: the id as text, '' = none chosen).
export function CohortSelect({ value, onChange, testId, className = 'input' }) {
  const { t } = useI18n();
  const cohorts = useCohorts();
  const list = cohorts.list || [];
  const v = value === undefined || value === null ? '' : String(value);
  return (
    <select className={className} value={v} onChange={(e) => onChange(e.target.value)} data-testid={testId} aria-label={t('cohort.choose')}>
      <option value="">{cohorts.loading ? t('common.loading') : list.length ? t('cohort.choose') : t('cohort.noneSaved')}</option>
      {list.map((c) => <option key={c.id} value={String(c.id)}>{c.name} ({t(`cohort.entity.${c.entity || 'person'}`)})</option>)}
      {v && !list.some((c) => String(c.id) === v) && <option value={v}>#{v}</option>}
    </select>
  );
}

// {source, property} picker; source '' means "none" when noneLabel is given.
// Breakdown pickers (those with noneLabel and the default sources) also offer
// saved cohorts: {source: 'cohort', cohort: ID}.
export function PropertyRefPicker({ value, onChange, noneLabel, sources, testId, cohorts }) {
  const { t } = useI18n();
  const withCohorts = cohorts !== undefined ? cohorts : (!sources && !!noneLabel);
  const srcs = [...(sources || SOURCES), ...(withCohorts ? ['cohort'] : [])];
  const v = value || { source: '', property: '' };
  return (
    <div className="inline">
      <select
        className="input"
        value={v.source}
        onChange={(e) => onChange(e.target.value === 'cohort' ? { source: 'cohort', property: '', cohort: '' } : { source: e.target.value, property: '' })}
        data-testid={testId ? `${testId}-source` : undefined}
      >
        {noneLabel && <option value="">{noneLabel}</option>}
        {srcs.map((s) => <option key={s} value={s}>{t(`source.${s}`)}</option>)}
      </select>
      {v.source === 'cohort' && (
        <CohortSelect value={v.cohort} onChange={(c) => onChange({ source: 'cohort', property: '', cohort: c })} testId={testId ? `${testId}-cohort` : undefined} />
      )}
      {v.source && v.source !== 'cohort' && (
        <PropertySelect
          source={v.source}
          value={v.property}
          onChange={(p) => onChange({ source: v.source, property: p })}
          testId={testId ? `${testId}-property` : undefined}
        />
      )}
    </div>
  );
}

// A list of property filters (all must hold), with add and remove.
export function FilterList({ value, onChange, testId, error, field, addLabel }) {
  const { t } = useI18n();
  const list = value || [];
  const update = (i, patch) => onChange(list.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <div className="filter-list" data-testid={testId}>
      {list.map((f, i) => (
        <div className="filter-item" key={i}>
          <select
            className="input"
            value={f.source}
            onChange={(e) => {
              const src = e.target.value;
              update(i, src === 'cohort' ? newFilter('cohort') : { source: src, property: '', cohort: undefined, op: f.source === 'cohort' ? 'eq' : f.op });
            }}
            aria-label={t('q.source')}
            data-testid={testId ? `${testId}-source-${i}` : undefined}
          >
            {FILTER_SOURCES.map((s) => <option key={s} value={s}>{t(`source.${s}`)}</option>)}
          </select>
          {f.source === 'cohort' ? (
            <>
              <select className="input" value={f.op} onChange={(e) => update(i, { op: e.target.value })} aria-label={t('q.operator')} data-testid={testId ? `${testId}-cohort-op-${i}` : undefined}>
                {COHORT_OPS.map((o) => <option key={o} value={o}>{t(`cohort.op.${o}`)}</option>)}
              </select>
              <CohortSelect value={f.cohort} onChange={(c) => update(i, { cohort: c })} testId={testId ? `${testId}-cohort-${i}` : undefined} />
            </>
          ) : (
            <>
              <PropertySelect source={f.source} value={f.property} onChange={(p) => update(i, { property: p })} />
              <select className="input" value={f.op} onChange={(e) => update(i, { op: e.target.value })} aria-label={t('q.operator')}>
                {OPS.map((o) => <option key={o} value={o}>{t(`op.${o}`)}</option>)}
              </select>
            </>
          )}
          {f.source !== 'cohort' && !NO_VALUE_OPS.has(f.op) && (
            <input
              className="input"
              value={f.value}
              onChange={(e) => update(i, { value: e.target.value })}
              placeholder={LIST_OPS.has(f.op) ? t('trend.valueList') : t('trend.value')}
              aria-label={t('trend.value')}
            />
          )}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange(list.filter((_, j) => j !== i))} aria-label={t('q.remove')} title={t('q.remove')}>✕</button>
          {field && <FieldError error={error} field={`${field}[${i}]`} />}
        </div>
      ))}
      <button type="button" className="btn btn-small btn-link" onClick={() => onChange([...list, newFilter()])} data-testid={testId ? `${testId}-add` : undefined}>
        ＋ {addLabel || t('q.addFilter')}
      </button>
      {field && <FieldError error={error} field={field} prefix={false} />}
    </div>
  );
}

const RANGE_PRESETS = ['7d', '30d', '90d', '180d', '365d'];

// "range": {"last": "30d"} or {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"} (both days inclusive).
export function RangePicker({ value, onChange, testId, presets = RANGE_PRESETS }) {
  const { t } = useI18n();
  const custom = value && value.from !== undefined;
  const today = new Date();
  const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const sel = custom ? 'custom' : (value && value.last) || '30d';
  return (
    <div className="inline wrap">
      <select
        className="input"
        value={sel}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'custom') onChange({ from: iso(new Date(today.getTime() - 29 * 86400000)), to: iso(today) });
          else onChange({ last: v });
        }}
        data-testid={testId}
      >
        {presets.map((r) => <option key={r} value={r}>{t('range.lastDays', { n: parseInt(r, 10) })}</option>)}
        {!custom && !presets.includes(sel) && <option value={sel}>{sel}</option>}
        <option value="custom">{t('range.custom')}</option>
      </select>
      {custom && (
        <>
          <input className="input" type="date" value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} aria-label={t('range.from')} required />
          <span className="muted">–</span>
          <input className="input" type="date" value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })} aria-label={t('range.to')} required />
        </>
      )}
    </div>
  );
}

export function AggregateSelect({ value, onChange, testId }) {
  const { t } = useI18n();
  return (
    <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="person">{t('q.byPerson')}</option>
      <option value="account">{t('q.byAccount')}</option>
    </select>
  );
}

// A labelled form field with the server's error for `field` below it.
export function Field({ label, error, field, children, className, prefix }) {
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <span>{label}</span>
      {children}
      {field && <FieldError error={error} field={field} prefix={prefix} />}
    </div>
  );
}

// Run button, copy-spec button and the JSON spec preview under a builder.
export function BuilderActions({ running, spec, testIdPrefix, disabled }) {
  const { t } = useI18n();
  const specJson = JSON.stringify(spec, null, 2);
  return (
    <div className="builder-actions">
      <button type="submit" className="btn btn-primary" disabled={running || disabled} data-testid={`${testIdPrefix}-run`}>
        {running ? t('trend.running') : t('trend.run')}
      </button>
      <CopyButton text={specJson} label={t('trend.copySpec')} testId={`${testIdPrefix}-copy-spec`} className="btn" />
      <details className="spec-preview">
        <summary>{t('trend.showSpec')}</summary>
        <pre className="json">{specJson}</pre>
      </details>
    </div>
  );
}
