// Attribution (#/attribution; docs/analytics/attribution.md): the conversion
// event (with filters), the touch-point event and the attributed property
// (with filters), model, lookback, which conversions count, person or account,
// range and the number of rows.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import AnalysisPage, { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import {
  AggregateSelect, BuilderActions, EventSelect, Field, FilterList, PropertyRefPicker, RangePicker,
} from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec, refFromSpec, refToSpec } from '../lib/filters.js';
import AttributionView from '../views/AttributionView.jsx';

const MODELS = ['first_touch', 'last_touch', 'linear', 'all'];
const LOOKBACKS = ['1d', '7d', '14d', '30d', '60d', '90d', '180d'];

function defaults() {
  return {
    conversion: { event: 'purchase', filters: [] },
    touch: { event: '$any', property: { source: 'event', property: '' }, filters: [] },
    model: 'first_touch', lookback: '30d', conversions: 'all',
    aggregate_by: 'person', range: { last: '90d' }, limit: 20,
  };
}

export function attributionFormToSpec(f) {
  const touch = { event: f.touch.event || '$any' };
  const prop = refToSpec(f.touch.property);
  touch.property = prop ? (prop.source === 'event' ? prop.property : prop) : '';
  const tf = filtersToSpec(f.touch.filters);
  if (tf.length) touch.filters = tf;
  const conversion = { event: f.conversion.event || '$any' };
  const cf = filtersToSpec(f.conversion.filters);
  if (cf.length) conversion.filters = cf;
  const spec = {
    kind: 'attribution', conversion, touch, model: f.model, lookback: f.lookback,
    conversions: f.conversions, aggregate_by: f.aggregate_by, range: f.range, limit: Number(f.limit) || 20,
  };
  return spec;
}

export function attributionFormFromSpec(spec) {
  const d = defaults();
  const conv = typeof spec.conversion === 'string' ? { event: spec.conversion } : spec.conversion || {};
  const touch = spec.touch || {};
  return {
    conversion: { event: conv.event || d.conversion.event, filters: filtersFromSpec(conv.filters) },
    touch: { event: touch.event || '$any', property: refFromSpec(touch.property), filters: filtersFromSpec(touch.filters) },
    model: spec.model || d.model,
    lookback: spec.lookback || d.lookback,
    conversions: spec.conversions || d.conversions,
    aggregate_by: spec.aggregate_by || d.aggregate_by,
    range: spec.range || d.range,
    limit: spec.limit || d.limit,
  };
}

export default function Attribution({ tz }) {
  const { t } = useI18n();
  const [f, setF, handed] = useBuilderState(['attribution'], defaults, attributionFormFromSpec);
  const runner = useRunner(handed);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const spec = useMemo(() => attributionFormToSpec(f), [f]);
  const err = runner.error;
  const missing = !f.touch.property || !f.touch.property.property;
  const run = (e) => {
    e.preventDefault();
    runner.run(spec);
  };
  const propName = (s) => {
    const p = s && s.touch && s.touch.property;
    return typeof p === 'string' ? p : (p && p.property) || '';
  };

  const builder = (
    <form className="builder" onSubmit={run} data-testid="attribution-form">
      <div className="builder-grid">
        <Field label={t('attribution.conversion')} error={err} field="conversion">
          <EventSelect value={f.conversion.event} onChange={(v) => set('conversion', { ...f.conversion, event: v })} special={[{ value: '$any', label: t('attribution.anyEvent') }]} testId="attribution-conversion" />
        </Field>
        <Field label={t('attribution.touchEvent')} error={err} field="touch.event">
          <EventSelect value={f.touch.event} onChange={(v) => set('touch', { ...f.touch, event: v })} special={[{ value: '$any', label: t('attribution.anyEvent') }]} testId="attribution-touch-event" />
        </Field>
        <Field label={t('attribution.touchProperty')} error={err} field="touch.property" className="span-2">
          <PropertyRefPicker value={f.touch.property} onChange={(v) => set('touch', { ...f.touch, property: v })} cohorts={false} testId="attribution-touch" />
        </Field>
        <Field label={t('attribution.model')} error={err} field="model">
          <select className="input" value={f.model} onChange={(e) => set('model', e.target.value)} data-testid="attribution-model">
            {MODELS.map((m) => <option key={m} value={m}>{t(`attribution.model.${m}`)}</option>)}
          </select>
        </Field>
        <Field label={t('attribution.lookback')} error={err} field="lookback">
          <select className="input" value={f.lookback} onChange={(e) => set('lookback', e.target.value)} data-testid="attribution-lookback">
            {LOOKBACKS.map((m) => <option key={m} value={m}>{t('range.lastDays', { n: parseInt(m, 10) })}</option>)}
            {!LOOKBACKS.includes(f.lookback) && <option value={f.lookback}>{f.lookback}</option>}
          </select>
        </Field>
        <Field label={t('attribution.conversions')} error={err} field="conversions">
          <select className="input" value={f.conversions} onChange={(e) => set('conversions', e.target.value)} data-testid="attribution-conversions">
            <option value="all">{t('attribution.conversions.all')}</option>
            <option value="first">{t('attribution.conversions.first')}</option>
          </select>
        </Field>
        <Field label={t('q.aggregateBy')} error={err} field="aggregate_by">
          <AggregateSelect value={f.aggregate_by} onChange={(v) => set('aggregate_by', v)} testId="attribution-agg" />
        </Field>
        <Field label={t('trend.range')} error={err} field="range">
          <RangePicker value={f.range} onChange={(v) => set('range', v)} testId="attribution-range" />
        </Field>
        <Field label={t('attribution.limit')} error={err} field="limit">
          <input className="input" type="number" min="1" max="1000" value={f.limit} onChange={(e) => set('limit', e.target.value)} data-testid="attribution-limit" />
        </Field>
      </div>
      <div className="builder-section">
        <div className="section-label">{t('attribution.conversionFilters')}</div>
        <FilterList value={f.conversion.filters} onChange={(v) => set('conversion', { ...f.conversion, filters: v })} error={err} field="conversion.filters" />
      </div>
      <div className="builder-section">
        <div className="section-label">{t('attribution.touchFilters')}</div>
        <FilterList value={f.touch.filters} onChange={(v) => set('touch', { ...f.touch, filters: v })} error={err} field="touch.filters" />
      </div>
      {missing && <small className="muted">{t('attribution.needProperty')}</small>}
      <BuilderActions running={runner.running} spec={spec} testIdPrefix="attribution" disabled={missing} />
    </form>
  );

  return (
    <AnalysisPage
      title={t('attribution.title')}
      subtitle={t('attribution.subtitle')}
      builder={builder}
      runner={runner}
      resultTitle={t('attribution.result')}
      saveTitle={runner.spec ? `${runner.spec.conversion.event} ← ${propName(runner.spec)}` : ''}
      testId="attribution-page"
    >
      <AttributionView spec={runner.spec} result={runner.result} tz={tz} />
    </AnalysisPage>
  );
}
