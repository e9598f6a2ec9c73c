// Renders a trend answer (docs/http_api.md "Queries", docs/analytics/trend.md):
// one line per series; formula series (s.formula) drawn thicker, previous-period
// series (s.compare === "previous") dashed in the colour of the series they
// compare against, plotted on the current period's buckets by position.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { cohortValueLabel, isCohortBreakdown } from '../lib/cohorts.js';
import { bucketLabel, fmtNum } from '../format.js';
import Chart, { PALETTE } from '../components/Chart.jsx';
import { Badge, Empty } from '../components/common.jsx';
import { categoryAxis, countAxis } from '../lib/chartStyle.js';

export const AGG_MEASURES = ['sum', 'avg', 'min', 'max', 'p50', 'p90', 'p95', 'p99'];

function propName(p) {
  if (!p) return '';
  return typeof p === 'string' ? p : p.property || '';
}

// Series that compare against each other share this key.
function pairKey(s) {
  return JSON.stringify([s.event ?? null, s.measure ?? null, propName(s.property), s.breakdown_value ?? null, s.formula ?? null, s.label_base ?? null]);
}

export function seriesColors(series) {
  const byKey = new Map();
  let next = 0;
  return series.map((s) => {
    const k = pairKey(s);
    if (s.compare === 'previous') return byKey.get(k) || PALETTE[(next++) % PALETTE.length];
    const c = PALETTE[(next++) % PALETTE.length];
    if (!byKey.has(k)) byKey.set(k, c);
    return c;
  });
}

// The server names previous-period series "<label> (previous period)"; the
// console shows the base label with a translated marker instead.
export function baseLabel(s) {
  const l = s.label || String(s.breakdown_value ?? s.event ?? s.formula ?? '');
  return s.compare === 'previous' ? l.replace(/\s*\(previous period\)$/, '') : l;
}

export function measureText(t, s) {
  if (s.formula) return t('trend.formula');
  const m = s.measure || 'events';
  if (AGG_MEASURES.includes(m)) return t('trend.aggOf', { agg: t(`measure.${m}`), property: propName(s.property) });
  return t(`measure.${m}`);
}

export default function TrendView({ spec, result, compact }) {
  const { t, lang } = useI18n();
  const series = (result && result.series) || [];
  const interval = (result && result.interval) || 'day';
  const colors = useMemo(() => seriesColors(series), [series]);
  const cohortBd = isCohortBreakdown(spec, result);
  // Cohort breakdown values are true (member) / null: name them in words.
  const label = (s) => (cohortBd && s.breakdown_value !== undefined && !s.formula
    ? `${cohortValueLabel(t, s.breakdown_value)}${s.event && s.event !== '$all' ? ` · ${s.event}` : ''}`
    : baseLabel(s));
  const current = series.find((s) => s.compare !== 'previous') || series[0];

  const option = useMemo(() => {
    const xs = current ? (current.points || []).map((p) => bucketLabel(p.t, interval)) : [];
    const name = (s) => (s.compare === 'previous' ? `${label(s)} (${t('trend.previous')})` : label(s));
    // Formulas (ratios, percentages) live on their own axis when drawn with counts.
    const twoAxes = series.some((s) => s.formula) && series.some((s) => !s.formula);
    return {
      grid: { left: 56, right: twoAxes ? 56 : 20, top: series.length > 1 ? 48 : 24, bottom: 40 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) => (v === null || v === undefined ? '–' : fmtNum(lang, Math.round(v * 100) / 100)),
      },
      legend: series.length > 1 ? { type: 'scroll', top: 0 } : undefined,
      xAxis: categoryAxis(xs, { boundaryGap: false }),
      yAxis: twoAxes ? [countAxis(lang), countAxis(lang, { splitLine: { show: false } })] : countAxis(lang),
      series: series.map((s, i) => ({
        name: name(s),
        type: 'line',
        yAxisIndex: twoAxes && s.formula ? 1 : 0,
        smooth: series.length === 1,
        showSymbol: xs.length <= 31,
        symbolSize: 5,
        itemStyle: { color: colors[i] },
        lineStyle: {
          color: colors[i],
          type: s.compare === 'previous' ? 'dashed' : 'solid',
          width: s.formula ? 3 : 2,
          opacity: s.compare === 'previous' ? 0.7 : 1,
        },
        data: (s.points || []).map((p) => p.value),
      })),
    };
  }, [series, current, colors, interval, lang, t, cohortBd]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!series.length) return <Empty />;
  // The server sends breakdown_value: null on every series without a breakdown;
  // the answer's "breakdown" member says whether there is one.
  const hasBreakdown = !!(result && result.breakdown) || series.some((s) => s.breakdown_value !== undefined && s.breakdown_value !== null);
  return (
    <div className="view-stack">
      <Chart option={option} height={compact ? 260 : 340} testId="trend-chart" />
      {!compact && (
        <div className="table-wrap">
          <table className="table" data-testid="trend-table">
            <thead>
              <tr>
                <th>{t('trend.series')}</th>
                <th>{t('trend.event')}</th>
                <th>{t('trend.measure')}</th>
                {hasBreakdown && <th>{t('trend.breakdownValue')}</th>}
                <th className="num">{t('trend.total')}</th>
              </tr>
            </thead>
            <tbody>
              {series.map((s, i) => (
                <tr key={i} className={s.compare === 'previous' ? 'row-muted' : undefined}>
                  <td>
                    <span className={s.compare === 'previous' ? 'swatch swatch-dashed' : 'swatch'} style={{ background: s.compare === 'previous' ? 'transparent' : colors[i], borderColor: colors[i] }} />
                    {label(s)}
                    {s.compare === 'previous' && <> <Badge>{t('trend.previous')}</Badge></>}
                  </td>
                  <td className="mono">{s.formula ? s.formula : s.event}</td>
                  <td>{measureText(t, s)}</td>
                  {hasBreakdown && <td>{cohortBd ? cohortValueLabel(t, s.breakdown_value) : s.breakdown_value === null ? <span className="muted">null</span> : s.breakdown_value === undefined ? '' : String(s.breakdown_value)}</td>}
                  <td className="num" data-testid="trend-total" data-value={s.total ?? ''}>{s.total === null || s.total === undefined ? '–' : fmtNum(lang, Math.round(s.total * 100) / 100)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
