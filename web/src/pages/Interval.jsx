// Time between events (#/interval; docs/analytics/interval.md): the from- and
// to-event (each with filters), person or account, range.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import AnalysisPage, { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import {
  AggregateSelect, BuilderActions, EventSelect, Field, FilterList, RangePicker,
} from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec } from '../lib/filters.js';
import IntervalView from '../views/IntervalView.jsx';

function defaults() {
  return {
    from: { event: 'signup', filters: [] }, to: { event: 'purchase', filters: [] },
    aggregate_by: 'person', range: { last: '90d' },
  };
}

function sideToSpec(s) {
  const o = { event: s.event || '$any' };
  const fl = filtersToSpec(s.filters);
  if (fl.length) o.filters = fl;
  return o;
}

function sideFromSpec(s, d) {
  if (typeof s === 'string') return { event: s, filters: [] };
  return { event: (s && s.event) || d.event, filters: filtersFromSpec(s && s.filters) };
}

export function intervalFormToSpec(f) {
  return { kind: 'interval', from_event: sideToSpec(f.from), to_event: sideToSpec(f.to), aggregate_by: f.aggregate_by, range: f.range };
}

export function intervalFormFromSpec(spec) {
  const d = defaults();
  return {
    from: sideFromSpec(spec.from_event, d.from),
    to: sideFromSpec(spec.to_event, d.to),
    aggregate_by: spec.aggregate_by || d.aggregate_by,
    range: spec.range || d.range,
  };
}

export default function Interval() {
  const { t } = useI18n();
  const [f, setF, handed] = useBuilderState(['interval'], defaults, intervalFormFromSpec);
  const runner = useRunner(handed);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const spec = useMemo(() => intervalFormToSpec(f), [f]);
  const err = runner.error;
  const run = (e) => {
    e.preventDefault();
    runner.run(spec);
  };
  const any = [{ value: '$any', label: t('attribution.anyEvent') }];
  const builder = (
    <form className="builder" onSubmit={run} data-testid="interval-form">
      <div className="builder-grid">
        <Field label={t('interval.from')} error={err} field="from_event">
          <EventSelect value={f.from.event} onChange={(v) => set('from', { ...f.from, event: v })} special={any} testId="interval-from" />
        </Field>
        <Field label={t('interval.to')} error={err} field="to_event">
          <EventSelect value={f.to.event} onChange={(v) => set('to', { ...f.to, event: v })} special={any} testId="interval-to" />
        </Field>
        <Field label={t('q.aggregateBy')} error={err} field="aggregate_by">
          <AggregateSelect value={f.aggregate_by} onChange={(v) => set('aggregate_by', v)} testId="interval-agg" />
        </Field>
        <Field label={t('trend.range')} error={err} field="range">
          <RangePicker value={f.range} onChange={(v) => set('range', v)} testId="interval-range" />
        </Field>
      </div>
      <div className="builder-section">
        <div className="section-label">{t('interval.fromFilters')}</div>
        <FilterList value={f.from.filters} onChange={(v) => set('from', { ...f.from, filters: v })} error={err} field="from_event.filters" />
      </div>
      <div className="builder-section">
        <div className="section-label">{t('interval.toFilters')}</div>
        <FilterList value={f.to.filters} onChange={(v) => set('to', { ...f.to, filters: v })} error={err} field="to_event.filters" />
      </div>
      <BuilderActions running={runner.running} spec={spec} testIdPrefix="interval" />
    </form>
  );
  const name = (s) => (typeof s === 'string' ? s : s.event);
  return (
    <AnalysisPage
      title={t('interval.title')}
      subtitle={t('interval.subtitle')}
      builder={builder}
      runner={runner}
      resultTitle={t('interval.result')}
      saveTitle={runner.spec ? `${name(runner.spec.from_event)} → ${name(runner.spec.to_event)}` : ''}
      testId="interval-page"
    >
      <IntervalView spec={runner.spec} result={runner.result} />
    </AnalysisPage>
  );
}
