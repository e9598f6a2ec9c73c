// Retention analysis (#/retention): start and return events (each with
// filters), first-time or recurring cohorts, period and number of periods,
// person or account, breakdown and range.
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n.jsx';
import AnalysisPage, { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import {
  AggregateSelect, BuilderActions, EventSelect, Field, FilterList, PropertyRefPicker, PropertySelect, RangePicker,
} from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec, refFromSpec, refToSpec } from '../lib/filters.js';
import RetentionView from '../views/RetentionView.jsx';

const PERIODS = ['day', 'week', 'month'];

function defaults() {
  return {
    start: { event: 'signup', filters: [] },
    ret: { event: '$any', filters: [] },
    mode: 'first_time', period: 'week', periods: 8, aggregate_by: 'person',
    breakdown: { source: '', property: '' }, range: { last: '90d' }, filters: [], revenue: '',
  };
}

export function retentionFormToSpec(f) {
  const side = (s) => {
    const o = { event: s.event };
    const fl = filtersToSpec(s.filters);
    o.filters = fl;
    return o;
  };
  const spec = {
    kind: 'retention',
    start: side(f.start),
    return: side(f.ret),
    mode: f.mode,
    period: f.period,
    periods: Number(f.periods),
    aggregate_by: f.aggregate_by,
    range: f.range,
  };
  const bd = refToSpec(f.breakdown);
  if (bd) spec.breakdown = bd;
  const fl = filtersToSpec(f.filters);
  if (fl.length) spec.filters = fl;
  if (f.revenue) spec.revenue = f.revenue;
  return spec;
}

export function retentionFormFromSpec(spec) {
  const d = defaults();
  const side = (s, def) => ({ event: (s && s.event) || def.event, filters: filtersFromSpec(s && s.filters) });
  return {
    start: side(spec.start, d.start),
    ret: side(spec.return, d.ret),
    mode: spec.mode || d.mode,
    period: spec.period || d.period,
    periods: spec.periods || d.periods,
    aggregate_by: spec.aggregate_by || d.aggregate_by,
    breakdown: refFromSpec(spec.breakdown),
    range: spec.range || d.range,
    filters: filtersFromSpec(spec.filters),
    revenue: spec.revenue ? refFromSpec(spec.revenue).property : '',
  };
}

export function retentionTitle(spec, t) {
  const ret = spec.return && spec.return.event && spec.return.event !== '$any' ? spec.return.event : t('retention.anyEvent');
  return `${(spec.start && spec.start.event) || ''} → ${ret}`;
}

export default function Retention() {
  const { t } = useI18n();
  const [f, setF, handed] = useBuilderState(['retention'], defaults, retentionFormFromSpec);
  const runner = useRunner(handed);
  const [showStartFilters, setShowStartFilters] = useState(f.start.filters.length > 0);
  const [showReturnFilters, setShowReturnFilters] = useState(f.ret.filters.length > 0);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const spec = useMemo(() => retentionFormToSpec(f), [f]);
  const err = runner.error;

  const run = (e) => {
    e.preventDefault();
    runner.run(spec);
  };

  const builder = (
    <form className="builder" onSubmit={run} data-testid="retention-form">
      <div className="builder-grid">
        <Field label={t('retention.start')} error={err} field="start">
          <EventSelect value={f.start.event} onChange={(v) => set('start', { ...f.start, event: v })} testId="retention-start" />
          <button type="button" className="btn btn-small btn-link align-start" onClick={() => setShowStartFilters((s) => !s)}>
            {t('trend.filter')}{f.start.filters.length ? ` (${f.start.filters.length})` : ''}
          </button>
        </Field>
        <Field label={t('retention.return')} error={err} field="return">
          <EventSelect
            value={f.ret.event}
            onChange={(v) => set('ret', { ...f.ret, event: v })}
            special={[{ value: '$any', label: t('retention.anyEvent') }]}
            testId="retention-return"
          />
          <button type="button" className="btn btn-small btn-link align-start" onClick={() => setShowReturnFilters((s) => !s)}>
            {t('trend.filter')}{f.ret.filters.length ? ` (${f.ret.filters.length})` : ''}
          </button>
        </Field>
        <Field label={t('retention.mode')} error={err} field="mode">
          <select className="input" value={f.mode} onChange={(e) => set('mode', e.target.value)} data-testid="retention-mode" title={t(`retention.modeHelp.${f.mode}`)}>
            <option value="first_time">{t('retention.mode.first_time')}</option>
            <option value="recurring">{t('retention.mode.recurring')}</option>
          </select>
        </Field>
        <Field label={t('retention.period')} error={err} field="period">
          <select className="input" value={f.period} onChange={(e) => set('period', e.target.value)} data-testid="retention-period">
            {PERIODS.map((p) => <option key={p} value={p}>{t(`interval.${p}`)}</option>)}
          </select>
        </Field>
        <Field label={t('retention.periods')} error={err} field="periods">
          <input className="input" type="number" min={1} max={60} value={f.periods} onChange={(e) => set('periods', e.target.value)} data-testid="retention-periods" />
        </Field>
        <Field label={t('q.aggregateBy')} error={err} field="aggregate_by">
          <AggregateSelect value={f.aggregate_by} onChange={(v) => set('aggregate_by', v)} testId="retention-aggregate" />
        </Field>
        <Field label={t('trend.range')} error={err} field="range">
          <RangePicker value={f.range} onChange={(v) => set('range', v)} testId="retention-range" />
        </Field>
        <Field label={t('trend.breakdown')} error={err} field="breakdown" className="span-2">
          <PropertyRefPicker value={f.breakdown} onChange={(v) => set('breakdown', v)} noneLabel={t('trend.noBreakdown')} testId="retention-bd" />
        </Field>
        <Field label={t('retention.revenueProperty')} error={err} field="revenue">
          <PropertySelect source="event" value={f.revenue} onChange={(v) => set('revenue', v)} testId="retention-revenue" />
        </Field>
      </div>
      {showStartFilters && (
        <div className="builder-section">
          <div className="section-label">{t('retention.startFilters')}</div>
          <FilterList value={f.start.filters} onChange={(v) => set('start', { ...f.start, filters: v })} error={err} field="start.filters" />
        </div>
      )}
      {showReturnFilters && (
        <div className="builder-section">
          <div className="section-label">{t('retention.returnFilters')}</div>
          <FilterList value={f.ret.filters} onChange={(v) => set('ret', { ...f.ret, filters: v })} error={err} field="return.filters" />
        </div>
      )}
      <div className="builder-section">
        <div className="section-label">{t('q.globalFilters')}</div>
        <FilterList value={f.filters} onChange={(v) => set('filters', v)} error={err} field="filters" />
      </div>
      <p className="muted small help">{t(`retention.modeHelp.${f.mode}`)}</p>
      <BuilderActions running={runner.running} spec={spec} testIdPrefix="retention" disabled={!f.start.event || !f.ret.event} />
    </form>
  );

  return (
    <AnalysisPage
      title={t('retention.title')}
      subtitle={t('retention.subtitle')}
      builder={builder}
      runner={runner}
      hint={t('retention.hint')}
      resultTitle={t('retention.result')}
      saveTitle={runner.spec ? retentionTitle(runner.spec, t) : ''}
      testId="retention-page"
    >
      <RetentionView spec={runner.spec} result={runner.result} />
    </AnalysisPage>
  );
}
