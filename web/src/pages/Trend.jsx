// Trend analysis (#/trends): series A, B, … (event, measure — counts, unique
// persons/accounts, or sum/avg/min/max/percentiles of a numeric property —,
// filters), formulas over the series letters ("B / A"), interval, range,
// breakdown, global filters and "compare with the previous period".
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import AnalysisPage, { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import {
  BuilderActions, EventSelect, Field, FieldError, FilterList, PropertyRefPicker, PropertySelect, RangePicker,
} from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec, refFromSpec, refToSpec } from '../lib/filters.js';
import TrendView, { AGG_MEASURES } from '../views/TrendView.jsx';

const COUNT_MEASURES = ['events', 'persons', 'accounts'];
const INTERVALS = ['hour', 'day', 'week', 'month'];
const MAX_SERIES = 20;
export const LETTERS = 'ABCDEFGHIJKLMNOPQRST';

const newSeries = (event = '$all') => ({ event, measure: 'events', property: '', label: '', filters: [], showFilters: false });

function defaults() {
  return {
    series: [newSeries()], formulas: [], interval: 'day', range: { last: '30d' },
    breakdown: { source: '', property: '' }, filters: [], compare: false,
  };
}

export function trendFormToSpec(f, allLabel) {
  const spec = {
    kind: 'trend',
    series: f.series.map((s) => {
      const o = { event: s.event || '$all', measure: s.measure };
      if (AGG_MEASURES.includes(s.measure)) o.property = s.property;
      o.label = s.label.trim() || (s.event && s.event !== '$all' ? s.event : allLabel);
      const fl = filtersToSpec(s.filters);
      if (fl.length) o.filters = fl;
      return o;
    }),
    interval: f.interval,
    range: f.range,
  };
  const formulas = f.formulas.filter((x) => x.expression.trim()).map((x) => ({ label: x.label.trim() || x.expression.trim(), expression: x.expression.trim() }));
  if (formulas.length) spec.formulas = formulas;
  const bd = refToSpec(f.breakdown);
  if (bd) {
    spec.breakdown = bd;
    spec.limit = 10;
  }
  spec.filters = filtersToSpec(f.filters);
  if (f.compare) spec.compare = 'previous_period';
  return spec;
}

export function trendFormFromSpec(spec) {
  const d = defaults();
  return {
    series: (spec.series || []).map((s) => ({
      ...newSeries(s.event || '$all'),
      measure: s.measure || 'events',
      property: s.property ? refFromSpec(s.property).property : '',
      label: s.label || '',
      filters: filtersFromSpec(s.filters),
      showFilters: Array.isArray(s.filters) && s.filters.length > 0,
    })),
    formulas: (spec.formulas || []).map((x) => ({ label: x.label || '', expression: x.expression || '' })),
    interval: spec.interval || d.interval,
    range: spec.range || d.range,
    breakdown: refFromSpec(spec.breakdown),
    filters: filtersFromSpec(spec.filters),
    compare: spec.compare === 'previous_period',
  };
}


export function trendTitle(spec) {
  return (spec.series || []).map((s) => s.label || s.event).join(' / ');
}

export default function Trend({ tz }) {
  const { t } = useI18n();
  const [f, setF, handed] = useBuilderState(['trend'], defaults, trendFormFromSpec);
  const runner = useRunner(handed);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const setSeries = (i, patch) => setF((o) => ({ ...o, series: o.series.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const setFormula = (i, patch) => setF((o) => ({ ...o, formulas: o.formulas.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  const spec = useMemo(() => trendFormToSpec(f, t('trend.allEvents')), [f, t]);
  const err = runner.error;
  const missingProperty = f.series.some((s) => AGG_MEASURES.includes(s.measure) && !s.property);

  const run = (e) => {
    e.preventDefault();
    runner.run(spec);
  };

  const builder = (
    <form className="builder" onSubmit={run} data-testid="trend-form">
      <div className="steps">
        {f.series.map((s, i) => {
          const sfx = i === 0 ? '' : `-${i}`;
          return (
            <div className="step-row" key={i} data-testid="trend-series">
              <div className="step-main">
                <span className="step-num step-letter">{LETTERS[i]}</span>
                <div className="step-fields">
                  <div className="inline wrap">
                    <EventSelect value={s.event} onChange={(v) => setSeries(i, { event: v })} special={[{ value: '$all', label: t('trend.allEvents') }]} testId={`trend-event${sfx}`} />
                    <select className="input" value={s.measure} onChange={(e) => setSeries(i, { measure: e.target.value })} data-testid={`trend-measure${sfx}`} aria-label={t('trend.measure')}>
                      <optgroup label={t('trend.countMeasures')}>
                        {COUNT_MEASURES.map((m) => <option key={m} value={m}>{t(`measure.${m}`)}</option>)}
                      </optgroup>
                      <optgroup label={t('trend.propertyMeasures')}>
                        {AGG_MEASURES.map((m) => <option key={m} value={m}>{t(`measure.${m}`)}</option>)}
                      </optgroup>
                    </select>
                    {AGG_MEASURES.includes(s.measure) && (
                      <PropertySelect source="event" value={s.property} onChange={(v) => setSeries(i, { property: v })} testId={`trend-measure-property${sfx}`} />
                    )}
                    <input className="input" value={s.label} onChange={(e) => setSeries(i, { label: e.target.value })} placeholder={t('trend.seriesLabel')} aria-label={t('trend.seriesLabel')} />
                    <button type="button" className="btn btn-small btn-link" onClick={() => setSeries(i, { showFilters: !s.showFilters })}>
                      {t('trend.filter')}{s.filters.length ? ` (${s.filters.length})` : ''}
                    </button>
                  </div>
                  {s.showFilters && <FilterList value={s.filters} onChange={(v) => setSeries(i, { filters: v })} error={err} field={`series[${i}].filters`} />}
                  <FieldError error={err} field={`series[${i}].event`} />
                  <FieldError error={err} field={`series[${i}].measure`} />
                  <FieldError error={err} field={`series[${i}].property`} />
                  <FieldError error={err} field={`series[${i}]`} prefix={false} />
                </div>
                <div className="step-tools">
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => set('series', f.series.filter((_, j) => j !== i))} disabled={f.series.length <= 1} aria-label={t('q.remove')} title={t('q.remove')}>✕</button>
                </div>
              </div>
            </div>
          );
        })}
        {f.formulas.map((x, i) => (
          <div className="step-row formula-row" key={`f${i}`} data-testid="trend-formula">
            <div className="step-main">
              <span className="step-num step-formula">ƒ</span>
              <div className="step-fields">
                <div className="inline wrap">
                  <input className="input input-formula mono" value={x.expression} onChange={(e) => setFormula(i, { expression: e.target.value })} placeholder={t('trend.formulaPlaceholder')} aria-label={t('trend.formula')} data-testid={`trend-formula-expr-${i}`} />
                  <input className="input" value={x.label} onChange={(e) => setFormula(i, { label: e.target.value })} placeholder={t('trend.seriesLabel')} aria-label={t('trend.seriesLabel')} />
                </div>
                <FieldError error={err} field={`formulas[${i}]`} />
              </div>
              <div className="step-tools">
                <button type="button" className="btn btn-small btn-ghost" onClick={() => set('formulas', f.formulas.filter((_, j) => j !== i))} aria-label={t('q.remove')} title={t('q.remove')}>✕</button>
              </div>
            </div>
          </div>
        ))}
        <div className="inline wrap">
          <button type="button" className="btn btn-small" onClick={() => set('series', [...f.series, newSeries()])} disabled={f.series.length >= MAX_SERIES} data-testid="trend-add-series">＋ {t('trend.addSeries')}</button>
          <button type="button" className="btn btn-small" onClick={() => set('formulas', [...f.formulas, { label: '', expression: f.series.length > 1 ? 'B / A' : '' }])} data-testid="trend-add-formula">＋ {t('trend.addFormula')}</button>
          <span className="muted small">{t('trend.formulaHelp')}</span>
        </div>
        <FieldError error={err} field="series" prefix={false} />
        <FieldError error={err} field="formulas" prefix={false} />
      </div>
      <div className="builder-grid builder-section">
        <Field label={t('trend.interval')} error={err} field="interval">
          <select className="input" value={f.interval} onChange={(e) => set('interval', e.target.value)} data-testid="trend-interval">
            {INTERVALS.map((m) => <option key={m} value={m}>{t(`interval.${m}`)}</option>)}
          </select>
        </Field>
        <Field label={t('trend.range')} error={err} field="range">
          <RangePicker value={f.range} onChange={(v) => set('range', v)} testId="trend-range" />
        </Field>
        <Field label={t('trend.breakdown')} error={err} field="breakdown" className="span-2">
          <PropertyRefPicker value={f.breakdown} onChange={(v) => set('breakdown', v)} noneLabel={t('trend.noBreakdown')} testId="trend-bd" />
        </Field>
        <div className="field">
          <span>{t('trend.compare')}</span>
          <label className="check">
            <input type="checkbox" checked={f.compare} onChange={(e) => set('compare', e.target.checked)} data-testid="trend-compare" />
            <span>{t('trend.comparePrevious')}</span>
          </label>
          <FieldError error={err} field="compare" />
        </div>
      </div>
      <div className="builder-section">
        <div className="section-label">{t('q.globalFilters')}</div>
        <FilterList value={f.filters} onChange={(v) => set('filters', v)} error={err} field="filters" testId="trend-filters" />
      </div>
      <BuilderActions running={runner.running} spec={spec} testIdPrefix="trend" disabled={missingProperty} />
    </form>
  );

  return (
    <AnalysisPage
      title={t('trend.title')}
      subtitle={t('trend.subtitle')}
      builder={builder}
      runner={runner}
      resultTitle={t('trend.result')}
      saveTitle={runner.spec ? trendTitle(runner.spec) : ''}
      testId="trend-page"
      resultExtra={runner.result && runner.result.timezone && <span className="muted small">{runner.result.timezone}</span>}
    >
      <TrendView spec={runner.spec} result={runner.result} tz={tz} />
    </AnalysisPage>
  );
}
