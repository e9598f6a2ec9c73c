// Funnel analysis (#/funnel): step builder, window, order, aggregation,
// breakdown, exclusions, range; the result view and the drop-off list of a
// step (entities that reached the step before and not this one).
import { useMemo, useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { fmtNum } from '../format.js';
import { Badge, Card, ErrorBox, Loading } from '../components/common.jsx';
import AnalysisPage, { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import {
  AggregateSelect, BuilderActions, EventSelect, Field, FieldError, FilterList, PropertyRefPicker, RangePicker,
} from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec, refFromSpec, refToSpec } from '../lib/filters.js';
import FunnelView from '../views/FunnelView.jsx';

export const PERSON_ROLES = ['user', 'evaluator', 'budget_holder', 'decision_maker', 'signer'];
const ORDERS = ['ordered', 'strict', 'unordered'];
const OVER_TIME = ['', 'day', 'week', 'month'];
const DURATIONS = ['1h', '1d', '3d', '7d', '14d', '30d', '60d', '90d'];
const MAX_STEPS = 20;
const ENTITY_PAGE = 100;

const newStep = (event = '') => ({ event, label: '', filters: [], role: '', optional: false, within: '', showFilters: false });

function defaults() {
  return {
    steps: [newStep('signup'), newStep('trial_started'), newStep('purchase')],
    // B2B: the people who sign up, try and buy are often different persons of one
    // account, so the first funnel a user sees counts accounts.
    window: '30d', order: 'ordered', aggregate_by: 'account', count: 'unique',
    exclusions: [], breakdown: { source: '', property: '' }, range: { last: '90d' },
    filters: [], over_time: 'week', drivers: false,
  };
}

export function funnelFormToSpec(f) {
  const spec = {
    kind: 'funnel',
    steps: f.steps.map((s) => {
      const o = { event: s.event };
      if (s.label.trim()) o.label = s.label.trim();
      const fl = filtersToSpec(s.filters);
      if (fl.length) o.filters = fl;
      if (s.role) o.role = s.role;
      if (s.optional && f.order !== 'unordered') o.optional = true;
      if (s.within.trim() && f.order !== 'unordered') o.within = s.within.trim();
      return o;
    }),
    window: f.window.trim(),
    order: f.order,
    aggregate_by: f.aggregate_by,
    count: f.count,
    range: f.range,
  };
  const ex = f.exclusions.filter((e) => e.event).map((e) => ({ event: e.event, from_step: Number(e.from_step), to_step: Number(e.to_step) }));
  if (ex.length && f.order !== 'unordered') spec.exclusions = ex;
  const bd = refToSpec(f.breakdown);
  if (bd) spec.breakdown = bd;
  const fl = filtersToSpec(f.filters);
  if (fl.length) spec.filters = fl;
  if (f.over_time) spec.over_time = f.over_time;
  if (f.drivers) spec.drivers = true;
  return spec;
}

export function funnelFormFromSpec(spec) {
  const d = defaults();
  return {
    steps: (spec.steps || []).map((s) => ({
      ...newStep(s.event || ''),
      label: s.label || '',
      filters: filtersFromSpec(s.filters),
      role: (Array.isArray(s.role) ? s.role[0] : s.role) || '',
      optional: !!s.optional,
      within: s.within || '',
      showFilters: Array.isArray(s.filters) && s.filters.length > 0,
    })),
    window: spec.window || d.window,
    order: spec.order || d.order,
    aggregate_by: spec.aggregate_by || d.aggregate_by,
    count: spec.count || d.count,
    exclusions: (spec.exclusions || []).map((e) => ({ event: e.event, from_step: e.from_step ?? 0, to_step: e.to_step ?? 1 })),
    breakdown: refFromSpec(spec.breakdown),
    range: spec.range || d.range,
    filters: filtersFromSpec(spec.filters),
    over_time: spec.over_time || '',
    drivers: !!spec.drivers,
  };
}

export function funnelTitle(spec) {
  return (spec.steps || []).map((s) => s.label || s.event).join(' → ');
}

function DurationInput({ value, onChange, placeholder, testId }) {
  return (
    <>
      <input className="input input-duration" list="tobops-durations" value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} data-testid={testId} />
    </>
  );
}

// Entity ids link to the live events page searched for that id. Anonymous
// persons are "anon:<anonymousId>"; events carry the bare anonymousId.
export function entityHref(id) {
  const s = String(id);
  return `#/events?q=${encodeURIComponent(s.startsWith('anon:') ? s.slice(5) : s)}`;
}

// The entities that reached step k ("reached") or reached it and never the
// next step ("dropped"), as asked with the spec's "entities" member.
function EntityList({ list, steps, aggregateBy, onClose, onPage }) {
  const { t, lang } = useI18n();
  const step = steps[list.step] || {};
  const next = steps[list.step + 1] || {};
  const ents = list.data && list.data.entities;
  const nm = (s) => s.name || s.event || '';
  const title = list.status === 'dropped'
    ? t('funnel.dropTitle', { from: nm(step), to: nm(next) })
    : t('funnel.reachedTitle', { step: nm(step) });
  const ids = (ents && ents.ids) || [];
  const offset = list.offset || 0;
  return (
    <Card
      title={title}
      actions={<button type="button" className="btn btn-small btn-ghost" onClick={onClose} data-testid="funnel-entities-close">{t('common.close')}</button>}
      testId="funnel-dropoff"
      className="entity-card"
    >
      {list.loading && <Loading />}
      <ErrorBox error={list.error} />
      {ents && (
        <>
          <p className="muted small">
            {t(aggregateBy === 'account' ? 'funnel.totalAccounts' : 'funnel.totalPersons', { n: fmtNum(lang, ents.total) })}
            {ents.total > ids.length && ` · ${t('funnel.shownRange', { from: fmtNum(lang, offset + 1), to: fmtNum(lang, offset + ids.length) })}`}
            {' · '}{t('funnel.openEventsHint')}
          </p>
          {ids.length === 0 ? <p className="muted">{t('common.empty')}</p> : (
            <ul className="id-list" data-testid="funnel-dropoff-list">
              {ids.map((id) => (
                <li key={id}>
                  <a href={entityHref(id)} className="mono" title={t('funnel.openEvents')} data-testid="funnel-entity">{id}</a>
                </li>
              ))}
            </ul>
          )}
          {ents.total > ids.length && (
            <div className="pager">
              <button type="button" className="btn btn-small" disabled={offset === 0 || list.loading} onClick={() => onPage(Math.max(0, offset - ENTITY_PAGE))}>{t('pager.prev')}</button>
              <button type="button" className="btn btn-small" disabled={offset + ids.length >= ents.total || list.loading} onClick={() => onPage(offset + ENTITY_PAGE)}>{t('pager.next')}</button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}

export default function Funnel() {
  const { t } = useI18n();
  const [f, setF, handed] = useBuilderState(['funnel'], defaults, funnelFormFromSpec);
  const runner = useRunner(handed);
  const [drop, setDrop] = useState(null);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const setStep = (i, patch) => setF((o) => ({ ...o, steps: o.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const moveStep = (i, d) => setF((o) => {
    const steps = [...o.steps];
    const j = i + d;
    if (j < 0 || j >= steps.length) return o;
    [steps[i], steps[j]] = [steps[j], steps[i]];
    return { ...o, steps };
  });
  const spec = useMemo(() => funnelFormToSpec(f), [f]);
  const err = runner.error;
  // within, optional steps and exclusions need an order (the server says so too).
  const ordered = f.order !== 'unordered';

  const run = (e) => {
    e.preventDefault();
    setDrop(null);
    runner.run(spec);
  };

  const openEntities = async (k, status, offset = 0) => {
    if (!runner.spec) return;
    const req = { ...runner.spec, entities: { step: k, status, limit: ENTITY_PAGE, offset } };
    const same = (d) => d && d.step === k && d.status === status && d.offset === offset;
    setDrop({ step: k, status, offset, loading: true, error: null, data: null });
    try {
      const data = await api.post('/api/query', req);
      setDrop((d) => (same(d) ? { ...d, loading: false, data } : d));
    } catch (error) {
      setDrop((d) => (same(d) ? { ...d, loading: false, error } : d));
    }
  };

  const anyEvent = [{ value: '$any', label: t('retention.anyEvent') }];
  const roleLabel = (r) => (r ? t(`prole.${r}`) : t('funnel.anyRole'));

  const builder = (
    <form className="builder" onSubmit={run} data-testid="funnel-form">
      <datalist id="tobops-durations">{DURATIONS.map((d) => <option key={d} value={d} />)}</datalist>
      <div className="steps" data-testid="funnel-steps-editor">
        {f.steps.map((s, i) => (
          <div className="step-row" key={i} data-testid="funnel-step">
            <div className="step-main">
              <span className="step-num">{i + 1}</span>
              <div className="step-fields">
                <div className="inline wrap">
                  <EventSelect value={s.event} onChange={(v) => setStep(i, { event: v })} special={anyEvent} testId={`funnel-step-event-${i}`} />
                  <input className="input" value={s.label} onChange={(e) => setStep(i, { label: e.target.value })} placeholder={t('funnel.stepLabel')} aria-label={t('funnel.stepLabel')} />
                  <select className="input" value={s.role} onChange={(e) => setStep(i, { role: e.target.value })} aria-label={t('funnel.role')} title={t('funnel.role')} data-testid={`funnel-step-role-${i}`}>
                    {['', ...PERSON_ROLES].map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
                  </select>
                  {i > 0 && ordered && (
                    <label className="inline small" title={t('funnel.withinHelp')}>
                      <span className="muted">{t('funnel.within')}</span>
                      <DurationInput value={s.within} onChange={(v) => setStep(i, { within: v })} placeholder={t('funnel.withinPlaceholder')} />
                    </label>
                  )}
                  {i > 0 && ordered && (
                    <label className="check small" title={t('funnel.optionalHelp')}>
                      <input type="checkbox" checked={s.optional} onChange={(e) => setStep(i, { optional: e.target.checked })} />
                      <span>{t('funnel.optional')}</span>
                    </label>
                  )}
                  <button type="button" className="btn btn-small btn-link" onClick={() => setStep(i, { showFilters: !s.showFilters })}>
                    {t('trend.filter')}{s.filters.length ? ` (${s.filters.length})` : ''}
                  </button>
                </div>
                {s.showFilters && (
                  <FilterList value={s.filters} onChange={(v) => setStep(i, { filters: v })} error={err} field={`steps[${i}].filters`} />
                )}
                <FieldError error={err} field={`steps[${i}].event`} />
                <FieldError error={err} field={`steps[${i}].within`} />
                <FieldError error={err} field={`steps[${i}].role`} />
                <FieldError error={err} field={`steps[${i}].label`} />
                <FieldError error={err} field={`steps[${i}]`} prefix={false} />
              </div>
              <div className="step-tools">
                <button type="button" className="btn btn-small btn-ghost" onClick={() => moveStep(i, -1)} disabled={i === 0} aria-label={t('funnel.moveUp')} title={t('funnel.moveUp')}>↑</button>
                <button type="button" className="btn btn-small btn-ghost" onClick={() => moveStep(i, 1)} disabled={i === f.steps.length - 1} aria-label={t('funnel.moveDown')} title={t('funnel.moveDown')}>↓</button>
                <button type="button" className="btn btn-small btn-ghost" onClick={() => set('steps', f.steps.filter((_, j) => j !== i))} disabled={f.steps.length <= 2} aria-label={t('q.remove')} title={t('q.remove')} data-testid={`funnel-step-remove-${i}`}>✕</button>
              </div>
            </div>
          </div>
        ))}
        <div className="inline">
          <button type="button" className="btn btn-small" onClick={() => set('steps', [...f.steps, newStep()])} disabled={f.steps.length >= MAX_STEPS} data-testid="funnel-add-step">＋ {t('funnel.addStep')}</button>
          <span className="muted small">{t('funnel.stepsHint', { max: MAX_STEPS })}</span>
        </div>
        <FieldError error={err} field="steps" prefix={false} />
      </div>
      <div className="builder-grid builder-section">
        <Field label={t('funnel.window')} error={err} field="window">
          <DurationInput value={f.window} onChange={(v) => set('window', v)} testId="funnel-window" />
        </Field>
        <Field label={t('funnel.order')} error={err} field="order">
          <select className="input" value={f.order} onChange={(e) => set('order', e.target.value)} data-testid="funnel-order">
            {ORDERS.map((o) => <option key={o} value={o}>{t(`funnel.order.${o}`)}</option>)}
          </select>
        </Field>
        <Field label={t('q.aggregateBy')} error={err} field="aggregate_by">
          <AggregateSelect value={f.aggregate_by} onChange={(v) => set('aggregate_by', v)} testId="funnel-aggregate" />
        </Field>
        <Field label={t('funnel.countMode')} error={err} field="count">
          <select className="input" value={f.count} onChange={(e) => set('count', e.target.value)}>
            <option value="unique">{t('funnel.count.unique')}</option>
            <option value="total">{t('funnel.count.total')}</option>
          </select>
        </Field>
        <Field label={t('trend.range')} error={err} field="range">
          <RangePicker value={f.range} onChange={(v) => set('range', v)} testId="funnel-range" />
        </Field>
        <Field label={t('funnel.overTime')} error={err} field="over_time">
          <select className="input" value={f.over_time} onChange={(e) => set('over_time', e.target.value)}>
            {OVER_TIME.map((o) => <option key={o} value={o}>{o ? t(`interval.${o}`) : t('funnel.noOverTime')}</option>)}
          </select>
        </Field>
        <Field label={t('trend.breakdown')} error={err} field="breakdown" className="span-2">
          <PropertyRefPicker value={f.breakdown} onChange={(v) => set('breakdown', v)} noneLabel={t('trend.noBreakdown')} testId="funnel-bd" />
        </Field>
        <Field label={t('funnel.driversLabel')} error={err} field="drivers">
          <label className="check" title={t('funnel.driversHelp')}>
            <input type="checkbox" checked={f.drivers} onChange={(e) => set('drivers', e.target.checked)} data-testid="funnel-drivers" />
            <span>{t('funnel.drivers')}</span>
          </label>
        </Field>
      </div>
      {ordered && <div className="builder-section">
        <div className="section-label">{t('funnel.exclusions')}</div>
        {f.exclusions.map((ex, i) => (
          <div className="inline wrap exclusion-row" key={i}>
            <span className="muted small">{t('funnel.excludeEvent')}</span>
            <EventSelect value={ex.event} onChange={(v) => set('exclusions', f.exclusions.map((x, j) => (j === i ? { ...x, event: v } : x)))} special={anyEvent} />
            <span className="muted small">{t('funnel.between')}</span>
            <select className="input" value={ex.from_step} onChange={(e) => set('exclusions', f.exclusions.map((x, j) => (j === i ? { ...x, from_step: Number(e.target.value) } : x)))} aria-label={t('funnel.fromStep')}>
              {f.steps.map((_, k) => <option key={k} value={k}>{t('funnel.stepN', { n: k + 1 })}</option>)}
            </select>
            <span className="muted small">{t('funnel.and')}</span>
            <select className="input" value={ex.to_step} onChange={(e) => set('exclusions', f.exclusions.map((x, j) => (j === i ? { ...x, to_step: Number(e.target.value) } : x)))} aria-label={t('funnel.toStep')}>
              {f.steps.map((_, k) => <option key={k} value={k}>{t('funnel.stepN', { n: k + 1 })}</option>)}
            </select>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => set('exclusions', f.exclusions.filter((_, j) => j !== i))} aria-label={t('q.remove')}>✕</button>
            <FieldError error={err} field={`exclusions[${i}]`} />
          </div>
        ))}
        <button type="button" className="btn btn-small btn-link" onClick={() => set('exclusions', [...f.exclusions, { event: '', from_step: 0, to_step: Math.min(1, f.steps.length - 1) }])}>＋ {t('funnel.addExclusion')}</button>
        <FieldError error={err} field="exclusions" prefix={false} />
      </div>}
      <div className="builder-section">
        <div className="section-label">{t('q.globalFilters')}</div>
        <FilterList value={f.filters} onChange={(v) => set('filters', v)} error={err} field="filters" testId="funnel-filters" />
      </div>
      <BuilderActions running={runner.running} spec={spec} testIdPrefix="funnel" disabled={f.steps.some((s) => !s.event)} />
    </form>
  );

  const ranSteps = (runner.result && runner.result.steps) || [];
  return (
    <AnalysisPage
      title={t('funnel.title')}
      subtitle={t('funnel.subtitle')}
      builder={builder}
      runner={runner}
      hint={t('funnel.hint')}
      resultTitle={t('funnel.result')}
      saveTitle={runner.spec ? funnelTitle(runner.spec) : ''}
      testId="funnel-page"
      resultExtra={runner.spec && <Badge kind="blue">{t(runner.spec.aggregate_by === 'account' ? 'q.byAccount' : 'q.byPerson')}</Badge>}
    >
      <FunnelView spec={runner.spec} result={runner.result} onEntities={openEntities} active={drop} />
      {drop && (
        <div className="dropoff-wrap">
          <EntityList
            list={drop}
            steps={ranSteps}
            aggregateBy={runner.spec && runner.spec.aggregate_by}
            onClose={() => setDrop(null)}
            onPage={(offset) => openEntities(drop.step, drop.status, offset)}
          />
        </div>
      )}
    </AnalysisPage>
  );
}
