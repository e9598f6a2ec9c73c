// Lifecycle and stickiness (#/lifecycle): one activity event (with filters),
// interval, person or account, range; "run" asks for both analyses.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { Card, Empty, ErrorBox, Loading } from '../components/common.jsx';
import { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import { ResultActions } from '../components/ResultActions.jsx';
import {
  AggregateSelect, BuilderActions, EventSelect, Field, FilterList, RangePicker,
} from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec } from '../lib/filters.js';
import { LifecycleView, StickinessView } from '../views/LifecycleView.jsx';

const INTERVALS = ['day', 'week', 'month'];

function defaults() {
  return { event: '$any', filters: [], interval: 'week', aggregate_by: 'person', range: { last: '90d' } };
}

export function activityFormToSpec(kind, f) {
  const spec = { kind, event: f.event, interval: f.interval, aggregate_by: f.aggregate_by, range: f.range };
  const fl = filtersToSpec(f.filters);
  if (fl.length) spec.filters = fl;
  return spec;
}

export function activityFormFromSpec(spec) {
  const d = defaults();
  return {
    event: spec.event || d.event,
    filters: filtersFromSpec(spec.filters),
    interval: spec.interval || d.interval,
    aggregate_by: spec.aggregate_by || d.aggregate_by,
    range: spec.range || d.range,
  };
}

function ResultCard({ title, runner, saveTitle, testId, children }) {
  if (runner.error) return <ErrorBox error={runner.error} />;
  if (!runner.result) return runner.running ? <Loading /> : null;
  return (
    <Card title={title} actions={<ResultActions spec={runner.spec} defaultTitle={saveTitle} />} testId={testId} className={runner.running ? 'card-busy' : undefined}>
      {children}
    </Card>
  );
}

export default function Lifecycle() {
  const { t } = useI18n();
  const [f, setF, handed] = useBuilderState(['lifecycle', 'stickiness'], defaults, activityFormFromSpec);
  const lifecycle = useRunner(handed && handed.kind === 'lifecycle' ? handed : null);
  const stickiness = useRunner(handed && handed.kind === 'stickiness' ? handed : null);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const lcSpec = useMemo(() => activityFormToSpec('lifecycle', f), [f]);
  const stSpec = useMemo(() => activityFormToSpec('stickiness', f), [f]);
  const err = lifecycle.error || stickiness.error;
  const eventName = (spec) => (spec.event === '$any' ? t('retention.anyEvent') : spec.event);

  const run = (e) => {
    e.preventDefault();
    lifecycle.run(lcSpec);
    stickiness.run(stSpec);
  };

  return (
    <div className="page" data-testid="lifecycle-page">
      <div className="page-head">
        <div>
          <h1>{t('lifecycle.title')}</h1>
          <p className="muted">{t('lifecycle.subtitle')}</p>
        </div>
      </div>
      <Card>
        <form className="builder" onSubmit={run} data-testid="lifecycle-form">
          <div className="builder-grid">
            <Field label={t('lifecycle.event')} error={err} field="event">
              <EventSelect value={f.event} onChange={(v) => set('event', v)} special={[{ value: '$any', label: t('retention.anyEvent') }]} testId="lifecycle-event" />
            </Field>
            <Field label={t('trend.interval')} error={err} field="interval">
              <select className="input" value={f.interval} onChange={(e) => set('interval', e.target.value)} data-testid="lifecycle-interval">
                {INTERVALS.map((i) => <option key={i} value={i}>{t(`interval.${i}`)}</option>)}
              </select>
            </Field>
            <Field label={t('q.aggregateBy')} error={err} field="aggregate_by">
              <AggregateSelect value={f.aggregate_by} onChange={(v) => set('aggregate_by', v)} testId="lifecycle-aggregate" />
            </Field>
            <Field label={t('trend.range')} error={err} field="range">
              <RangePicker value={f.range} onChange={(v) => set('range', v)} testId="lifecycle-range" />
            </Field>
          </div>
          <div className="builder-section">
            <div className="section-label">{t('trend.filter')}</div>
            <FilterList value={f.filters} onChange={(v) => set('filters', v)} error={err} field="filters" />
          </div>
          <p className="muted small help">{t('lifecycle.help')}</p>
          <BuilderActions running={lifecycle.running || stickiness.running} spec={lcSpec} testIdPrefix="lifecycle" disabled={!f.event} />
        </form>
      </Card>
      {!lifecycle.result && !stickiness.result && !lifecycle.running && !stickiness.running && !err && (
        <Card><Empty>{t('lifecycle.hint')}</Empty></Card>
      )}
      <ResultCard title={t('lifecycle.result')} runner={lifecycle} saveTitle={lifecycle.spec ? `${t('lifecycle.title')} · ${eventName(lifecycle.spec)}` : ''} testId="lifecycle-result">
        <LifecycleView spec={lifecycle.spec} result={lifecycle.result} />
      </ResultCard>
      <ResultCard title={t('stickiness.result')} runner={stickiness} saveTitle={stickiness.spec ? `${t('stickiness.title')} · ${eventName(stickiness.spec)}` : ''} testId="stickiness-result">
        <StickinessView spec={stickiness.spec} result={stickiness.result} />
      </ResultCard>
    </div>
  );
}
