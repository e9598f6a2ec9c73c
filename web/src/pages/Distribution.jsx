// Frequency distribution (#/distribution; docs/analytics/distribution.md):
// one event (with filters), person or account, range.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import AnalysisPage, { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import {
  AggregateSelect, BuilderActions, EventSelect, Field, FilterList, RangePicker,
} from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec } from '../lib/filters.js';
import DistributionView from '../views/DistributionView.jsx';

function defaults() {
  return { event: 'login', filters: [], aggregate_by: 'person', range: { last: '30d' } };
}

export function distributionFormToSpec(f) {
  const spec = { kind: 'distribution', event: f.event || '$any', aggregate_by: f.aggregate_by, range: f.range };
  const fl = filtersToSpec(f.filters);
  if (fl.length) spec.filters = fl;
  return spec;
}

export function distributionFormFromSpec(spec) {
  const d = defaults();
  return {
    event: spec.event || '$any',
    filters: filtersFromSpec(spec.filters),
    aggregate_by: spec.aggregate_by || d.aggregate_by,
    range: spec.range || d.range,
  };
}

export default function Distribution() {
  const { t } = useI18n();
  const [f, setF, handed] = useBuilderState(['distribution'], defaults, distributionFormFromSpec);
  const runner = useRunner(handed);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const spec = useMemo(() => distributionFormToSpec(f), [f]);
  const err = runner.error;
  const run = (e) => {
    e.preventDefault();
    runner.run(spec);
  };
  const builder = (
    <form className="builder" onSubmit={run} data-testid="distribution-form">
      <div className="builder-grid">
        <Field label={t('distribution.event')} error={err} field="event">
          <EventSelect value={f.event} onChange={(v) => set('event', v)} special={[{ value: '$any', label: t('attribution.anyEvent') }]} testId="distribution-event" />
        </Field>
        <Field label={t('q.aggregateBy')} error={err} field="aggregate_by">
          <AggregateSelect value={f.aggregate_by} onChange={(v) => set('aggregate_by', v)} testId="distribution-agg" />
        </Field>
        <Field label={t('trend.range')} error={err} field="range">
          <RangePicker value={f.range} onChange={(v) => set('range', v)} testId="distribution-range" />
        </Field>
      </div>
      <div className="builder-section">
        <div className="section-label">{t('q.globalFilters')}</div>
        <FilterList value={f.filters} onChange={(v) => set('filters', v)} error={err} field="filters" testId="distribution-filters" />
      </div>
      <BuilderActions running={runner.running} spec={spec} testIdPrefix="distribution" />
    </form>
  );
  return (
    <AnalysisPage
      title={t('distribution.title')}
      subtitle={t('distribution.subtitle')}
      builder={builder}
      runner={runner}
      resultTitle={t('distribution.result')}
      saveTitle={runner.spec ? `${t('distribution.title')} · ${runner.spec.event}` : ''}
      testId="distribution-page"
    >
      <DistributionView spec={runner.spec} result={runner.result} />
    </AnalysisPage>
  );
}
