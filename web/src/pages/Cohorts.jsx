// Cohorts (#/cohorts; docs/analytics/cohorts.md): the saved cohorts with their
// member counts, and a condition builder (person or account; match all / any;
// property and event conditions) that previews membership
// (POST /api/query {"kind": "cohort", "definition", "limit"}) before saving
// (POST /api/cohorts). Server errors are shown under the field they name,
// e.g. "definition.conditions[0].count".
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { fmtNum, fmtTime } from '../format.js';
import { Card, Empty, ErrorBox, Loading } from '../components/common.jsx';
import { BuilderActions, EventSelect, Field, FieldError, PropertySelect } from '../components/query.jsx';
import { LIST_OPS, NO_VALUE_OPS, OPS, filterToSpec } from '../lib/filters.js';
import { reloadCohorts, useCohorts } from '../lib/cohorts.js';

const COUNT_OPS = ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'];
const PREVIEW_LIMIT = 100;

const newProperty = (entity) => ({ type: 'property', source: entity, property: '', op: 'eq', value: '' });
const newEvent = () => ({ type: 'event', event: '', op: 'gte', count: '1', window: '30d' });

function defaults() {
  return { name: '', entity: 'person', match: 'all', conditions: [newEvent()] };
}

// The builder form -> a cohort definition.
export function cohortDefinition(f) {
  return {
    entity: f.entity,
    match: f.match,
    conditions: f.conditions.map((c) => {
      if (c.type === 'property') {
        const spec = filterToSpec({ source: c.source, property: c.property, op: c.op, value: c.value });
        return { type: 'property', ...(spec || { source: c.source, property: '', op: c.op }) };
      }
      const n = String(c.count).trim();
      return {
        type: 'event',
        event: c.event || '$any',
        op: c.op,
        count: /^-?\d+$/.test(n) ? Number(n) : n,
        window: c.window.trim() || '30d',
      };
    }),
  };
}

// A saved cohort -> the builder form (for editing it in place); null when one of its
// conditions is of a kind the builder cannot show (made through the API).
export function cohortForm(c) {
  const d = c.definition || {};
  const entity = d.entity || c.entity || 'person';
  const conditions = [];
  for (const x of d.conditions || []) {
    if (x.type === 'event') {
      conditions.push({ type: 'event', event: x.event === '$any' ? '' : (x.event || ''), op: x.op || 'gte', count: String(x.count ?? 1), window: x.window || '30d' });
    } else if (x.type === 'property') {
      const v = x.value === undefined || x.value === null ? '' : Array.isArray(x.value) ? x.value.join(', ') : String(x.value);
      conditions.push({ type: 'property', source: x.source || entity, property: x.property || '', op: x.op || 'eq', value: v });
    } else {
      return null;
    }
  }
  return { id: c.id, name: c.name, entity, match: d.match || 'all', conditions: conditions.length ? conditions : [newEvent()] };
}

function conditionText(t, c) {
  if (!c) return '';
  if (c.type === 'property') {
    const v = c.value === undefined ? '' : Array.isArray(c.value) ? c.value.join(', ') : String(c.value);
    return `${c.property} ${t(`op.${c.op || 'eq'}`)} ${v}`.trim();
  }
  if (c.type === 'event') {
    return `${c.event} ${t(`cohorts.countOp.${c.op || 'gte'}`)} ${c.count ?? 1} (${c.window || '30d'})`;
  }
  return c.type || '';
}

// Member count of one saved cohort, fetched once per row.
function MemberCount({ id, version }) {
  const { lang } = useI18n();
  const [state, setState] = useState({ loading: true });
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    api.post('/api/query', { kind: 'cohort', cohort: id, limit: 0 }).then(
      (r) => live && setState({ count: r.count }),
      (error) => live && setState({ error }),
    );
    return () => { live = false; };
  }, [id, version]);
  if (state.loading) return <span className="muted">…</span>;
  if (state.error) return <span className="muted" title={state.error.message}>–</span>;
  return <span data-testid="cohort-count" data-value={state.count}>{fmtNum(lang, state.count)}</span>;
}

function CohortList({ tz, version, onEdit, editingId }) {
  const { t, lang } = useI18n();
  const cohorts = useCohorts();
  const [error, setError] = useState(null);
  const remove = async (c) => {
    if (!window.confirm(t('cohorts.confirmDelete', { name: c.name }))) return;
    try {
      setError(null);
      await api.del(`/api/cohorts/${c.id}`);
      reloadCohorts();
    } catch (e) {
      setError(e);
    }
  };
  if (cohorts.loading && !cohorts.list) return <Loading />;
  if (cohorts.error && !(cohorts.list || []).length) return <ErrorBox error={cohorts.error} onRetry={reloadCohorts} />;
  const list = cohorts.list || [];
  return (
    <>
      {error && <ErrorBox error={error} />}
      {!list.length ? <Empty>{t('cohorts.none')}</Empty> : (
        <div className="table-wrap">
          <table className="table" data-testid="cohorts-table">
            <thead>
              <tr>
                <th>{t('cohorts.name')}</th>
                <th>{t('cohorts.entity')}</th>
                <th>{t('cohorts.conditions')}</th>
                <th className="num">{t('cohorts.members')}</th>
                <th>{t('cohorts.created')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((c) => {
                const d = c.definition || {};
                const conds = d.conditions || [];
                return (
                  <tr key={c.id} data-testid="cohort-row" data-name={c.name} className={editingId === c.id ? 'row-selected' : undefined}>
                    <td><strong>{c.name}</strong></td>
                    <td>{t(`cohort.entity.${c.entity || d.entity || 'person'}`)}</td>
                    <td className="small">
                      {conds.map((x, i) => (
                        <div key={i}>{i > 0 && <span className="muted">{d.match === 'any' ? 'OR ' : 'AND '}</span>}{conditionText(t, x)}</div>
                      ))}
                    </td>
                    <td className="num"><MemberCount id={c.id} version={version} /></td>
                    <td className="nowrap">{c.created_at ? fmtTime(lang, c.created_at, tz) : ''}</td>
                    <td className="nowrap">
                      {cohortForm(c)
                        ? <button type="button" className="btn btn-small btn-ghost" onClick={() => onEdit(c)} data-testid="cohort-edit">{t('cohorts.edit')}</button>
                        : <span className="muted small" title={t('cohorts.notEditable')}>{t('cohorts.apiOnly')}</span>}
                      <button type="button" className="btn btn-small btn-ghost" onClick={() => remove(c)} data-testid="cohort-delete">{t('cohorts.delete')}</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Condition({ c, i, entity, onChange, onRemove, canRemove, error }) {
  const { t } = useI18n();
  const field = `definition.conditions[${i}]`;
  const set = (patch) => onChange({ ...c, ...patch });
  return (
    <div className="step-row" data-testid="cohort-condition">
      <div className="step-main">
        <span className="step-num">{i + 1}</span>
        <div className="step-fields">
          {c.type === 'property' ? (
            <div className="inline wrap">
              <span className="muted">{t('cohorts.typeProperty')}</span>
              <PropertySelect source={entity} value={c.property} onChange={(p) => set({ property: p, source: entity })} testId={`cohort-prop-${i}`} />
              <select className="input" value={c.op} onChange={(e) => set({ op: e.target.value })} aria-label={t('q.operator')} data-testid={`cohort-prop-op-${i}`}>
                {OPS.map((o) => <option key={o} value={o}>{t(`op.${o}`)}</option>)}
              </select>
              {!NO_VALUE_OPS.has(c.op) && (
                <input className="input" value={c.value} onChange={(e) => set({ value: e.target.value })} placeholder={LIST_OPS.has(c.op) ? t('trend.valueList') : t('trend.value')} aria-label={t('trend.value')} data-testid={`cohort-prop-value-${i}`} />
              )}
            </div>
          ) : (
            <div className="inline wrap">
              <span className="muted">{t('cohorts.did')}</span>
              <EventSelect value={c.event} onChange={(v) => set({ event: v })} special={[{ value: '$any', label: t('attribution.anyEvent') }]} testId={`cohort-event-${i}`} />
              <select className="input" value={c.op} onChange={(e) => set({ op: e.target.value })} aria-label={t('q.operator')} data-testid={`cohort-count-op-${i}`}>
                {COUNT_OPS.map((o) => <option key={o} value={o}>{t(`cohorts.countOp.${o}`)}</option>)}
              </select>
              <input className="input input-num" value={c.count} onChange={(e) => set({ count: e.target.value })} aria-label={t('cohorts.count')} data-testid={`cohort-count-${i}`} style={{ width: '5em' }} />
              <span className="muted">{t('cohorts.times')}</span>
              <input className="input" value={c.window} onChange={(e) => set({ window: e.target.value })} aria-label={t('cohorts.window')} data-testid={`cohort-window-${i}`} style={{ width: '6em' }} />
            </div>
          )}
          <FieldError error={error} field={field} />
        </div>
        <div className="step-tools">
          <button type="button" className="btn btn-small btn-ghost" onClick={onRemove} disabled={!canRemove} aria-label={t('q.remove')} title={t('q.remove')}>✕</button>
        </div>
      </div>
    </div>
  );
}

export default function Cohorts({ tz }) {
  const { t, lang } = useI18n();
  const [f, setF] = useState(defaults);
  const [preview, setPreview] = useState({ running: false, result: null, error: null });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState(null);
  const [notice, setNotice] = useState('');
  const [version, setVersion] = useState(0);
  const definition = useMemo(() => cohortDefinition(f), [f]);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const setCond = (i, c) => setF((o) => ({ ...o, conditions: o.conditions.map((x, j) => (j === i ? c : x)) }));
  // Preview errors name fields without the "definition." prefix the save errors carry.
  const previewErr = preview.error && preview.error.field && !preview.error.field.startsWith('definition')
    ? { field: `definition.${preview.error.field}`, message: preview.error.message }
    : preview.error;
  const err = saveError || previewErr;

  const runPreview = async (e) => {
    e.preventDefault();
    setSaveError(null);
    setNotice('');
    setPreview((p) => ({ ...p, running: true, error: null }));
    try {
      const result = await api.post('/api/query', { kind: 'cohort', definition, limit: PREVIEW_LIMIT });
      setPreview({ running: false, result, error: null });
    } catch (error) {
      setPreview({ running: false, result: null, error });
    }
  };

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setNotice('');
    try {
      if (f.id) await api.put(`/api/cohorts/${f.id}`, { name: f.name.trim(), definition });
      else await api.post('/api/cohorts', { name: f.name.trim(), definition });
      setNotice(t('cohorts.savedOk', { name: f.name.trim() }));
      await reloadCohorts();
      setVersion((v) => v + 1);
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  const edit = (c) => {
    const form = cohortForm(c);
    if (!form) return;
    setF(form);
    setPreview({ running: false, result: null, error: null });
    setSaveError(null);
    setNotice('');
  };
  const startNew = () => {
    setF(defaults());
    setPreview({ running: false, result: null, error: null });
    setSaveError(null);
    setNotice('');
  };

  const setEntity = (entity) => setF((o) => ({
    ...o,
    entity,
    conditions: o.conditions.map((c) => (c.type === 'property' ? { ...c, source: entity, property: '' } : c)),
  }));

  const ids = (preview.result && preview.result.ids) || [];
  return (
    <div className="page" data-testid="cohorts-page">
      <div className="page-head">
        <div>
          <h1>{t('cohorts.title')}</h1>
          <p className="muted">{t('cohorts.subtitle')}</p>
        </div>
      </div>
      <Card title={t('cohorts.saved')} testId="cohorts-list">
        <CohortList tz={tz} version={version} onEdit={edit} editingId={f.id} />
      </Card>
      <Card title={f.id ? t('cohorts.editing', { name: f.name }) : t('cohorts.new')} testId="cohort-builder">
        <form className="builder" onSubmit={runPreview} data-testid="cohort-form">
          <div className="builder-grid">
            <Field label={t('cohorts.name')} error={err} field="name">
              <input className="input" value={f.name} onChange={(e) => set('name', e.target.value)} data-testid="cohort-name" />
            </Field>
            <Field label={t('cohorts.entity')} error={err} field="definition.entity">
              <select className="input" value={f.entity} onChange={(e) => setEntity(e.target.value)} data-testid="cohort-entity">
                <option value="person">{t('q.byPerson')}</option>
                <option value="account">{t('q.byAccount')}</option>
              </select>
            </Field>
            <Field label={t('cohorts.match')} error={err} field="definition.match">
              <select className="input" value={f.match} onChange={(e) => set('match', e.target.value)} data-testid="cohort-match">
                <option value="all">{t('cohorts.matchAll')}</option>
                <option value="any">{t('cohorts.matchAny')}</option>
              </select>
            </Field>
          </div>
          <div className="steps builder-section">
            {f.conditions.map((c, i) => (
              <Condition
                key={i}
                c={c}
                i={i}
                entity={f.entity}
                onChange={(x) => setCond(i, x)}
                onRemove={() => set('conditions', f.conditions.filter((_, j) => j !== i))}
                canRemove={f.conditions.length > 1}
                error={err}
              />
            ))}
            <div className="inline wrap">
              <button type="button" className="btn btn-small" onClick={() => set('conditions', [...f.conditions, newEvent()])} disabled={f.conditions.length >= 20} data-testid="cohort-add-event">＋ {t('cohorts.addEvent')}</button>
              <button type="button" className="btn btn-small" onClick={() => set('conditions', [...f.conditions, newProperty(f.entity)])} disabled={f.conditions.length >= 20} data-testid="cohort-add-property">＋ {t('cohorts.addProperty')}</button>
            </div>
            <FieldError error={err} field="definition.conditions" prefix={false} />
            <FieldError error={err} field="definition" prefix={false} />
          </div>
          <BuilderActions running={preview.running} spec={{ name: f.name, definition }} testIdPrefix="cohort" />
          <div className="inline">
            <button type="button" className="btn btn-primary" onClick={save} disabled={saving || !f.name.trim()} data-testid="cohort-save">
              {saving ? t('cohorts.saving') : t('cohorts.save')}
            </button>
            {f.id && <button type="button" className="btn" onClick={startNew} data-testid="cohort-new">{t('cohorts.startNew')}</button>}
            {notice && <span className="muted" data-testid="cohort-saved">{notice}</span>}
          </div>
          {saveError && !saveError.field && <ErrorBox error={saveError} />}
          {preview.error && !preview.error.field && <ErrorBox error={preview.error} />}
        </form>
      </Card>
      {preview.result && (
        <Card title={t('cohorts.preview')} testId="cohort-preview">
          <p data-testid="cohort-preview-count" data-value={preview.result.count}>
            {t('cohorts.previewCount', { n: fmtNum(lang, preview.result.count) })}
            {preview.result.count > ids.length && ids.length > 0 && t('cohorts.previewFirst', { n: ids.length })}
          </p>
          {!ids.length ? <Empty>{t('cohorts.noMembers')}</Empty> : (
            <div className="inline wrap" data-testid="cohort-members">
              {ids.map((id) => (
                <a key={id} className="badge mono" href={`#/events?q=${encodeURIComponent(id)}`} data-testid="cohort-member">{id}</a>
              ))}
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
