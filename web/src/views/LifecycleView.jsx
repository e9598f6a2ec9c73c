// Renders lifecycle (stacked bars per bucket: new, returning and resurrecting
// above zero, dormant below; docs/analytics/lifecycle.md) and stickiness (bars:
// entities active in exactly k intervals; docs/analytics/stickiness.md).
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { bucketLabel, fmtNum, fmtPct } from '../format.js';
import Chart from '../components/Chart.jsx';
import { Empty } from '../components/common.jsx';
import { categoryAxis, countAxis, escapeHtml } from '../lib/chartStyle.js';

export const LIFECYCLE_STATES = [
  { key: 'new', color: '#12a37f' },
  { key: 'returning', color: '#1f6feb' },
  { key: 'resurrecting', color: '#f08c00' },
  { key: 'dormant', color: '#d6336c' },
];

export function LifecycleView({ spec, result, compact }) {
  const { t, lang } = useI18n();
  const buckets = (result && result.buckets) || [];
  const interval = (result && result.interval) || (spec && spec.interval) || 'day';
  const option = useMemo(() => ({
    grid: { left: 56, right: 20, top: 36, bottom: 40 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps) => [`<b>${escapeHtml(ps[0].axisValue)}</b>`, ...ps.map((p) => `${p.marker}${escapeHtml(p.seriesName)}: ${fmtNum(lang, p.value)}`)].join('<br/>'),
    },
    xAxis: categoryAxis(buckets.map((b) => bucketLabel(b.t, interval))),
    yAxis: countAxis(lang),
    series: LIFECYCLE_STATES.map((s) => ({
      name: t(`lifecycle.${s.key}`),
      type: 'bar',
      stack: 'lifecycle',
      barMaxWidth: 36,
      itemStyle: { color: s.color },
      // Dormant comes as a negative number; draw it below the axis as given.
      data: buckets.map((b) => (s.key === 'dormant' ? -Math.abs(b.dormant || 0) : b[s.key] || 0)),
    })),
  }), [buckets, interval, lang, t]);

  const any = buckets.some((b) => b.new || b.returning || b.resurrecting || b.dormant);
  if (!any) return <Empty>{t('lifecycle.none')}</Empty>;
  return (
    <div className="view-stack">
      <Chart option={option} height={compact ? 260 : 340} testId="lifecycle-chart" />
      {!compact && (
        <div className="table-wrap">
          <table className="table" data-testid="lifecycle-table">
            <thead>
              <tr>
                <th>{t('lifecycle.bucket')}</th>
                {LIFECYCLE_STATES.map((s) => <th key={s.key} className="num"><span className="swatch" style={{ background: s.color }} />{t(`lifecycle.${s.key}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.t}>
                  <td className="nowrap">{bucketLabel(b.t, interval)}</td>
                  {LIFECYCLE_STATES.map((s) => <td key={s.key} className="num">{fmtNum(lang, b[s.key] || 0)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function StickinessView({ spec, result, compact }) {
  const { t, lang } = useI18n();
  const values = (result && result.values) || [];
  const total = (result && result.total) || 0;
  const interval = (result && result.interval) || (spec && spec.interval) || 'day';
  const option = useMemo(() => ({
    grid: { left: 56, right: 20, top: 24, bottom: 40 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps) => {
        const v = values[ps[0].dataIndex] || {};
        return `<b>${escapeHtml(ps[0].axisValue)}</b><br/>${fmtNum(lang, v.count)} (${fmtPct(lang, total ? v.count / total : 0)})`;
      },
    },
    xAxis: categoryAxis(values.map((v) => t(`stickiness.n.${interval}`, { n: v.intervals }))),
    yAxis: countAxis(lang),
    series: [{
      name: t('stickiness.entities'),
      type: 'bar',
      barMaxWidth: 36,
      itemStyle: { color: '#7048e8', borderRadius: [4, 4, 0, 0] },
      data: values.map((v) => v.count),
    }],
  }), [values, total, interval, lang, t]);

  if (!total) return <Empty>{t('stickiness.none')}</Empty>;
  return (
    <div className="view-stack">
      <Chart option={option} height={compact ? 240 : 300} testId="stickiness-chart" />
      {!compact && (
        <p className="muted small">{t('stickiness.total', { n: fmtNum(lang, total) })}</p>
      )}
    </div>
  );
}
