// Renders an interval answer (docs/analytics/interval.md): the histogram of
// durations between the from- and to-event (buckets from_ms ≤ d < to_ms),
// the average and percentiles.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtDuration, fmtNum } from '../format.js';
import Chart from '../components/Chart.jsx';
import { Empty } from '../components/common.jsx';
import { categoryAxis, countAxis } from '../lib/chartStyle.js';
import { StatList } from './DistributionView.jsx';

const PCTS = ['p25', 'p50', 'p75', 'p90', 'p99'];

export default function IntervalView({ result, compact }) {
  const { t, lang } = useI18n();
  const hist = (result && result.histogram) || [];
  const bucket = (b) => `${fmtDuration(lang, b.from_ms)} – ${fmtDuration(lang, b.to_ms)}`;
  const option = useMemo(() => ({
    grid: { left: 56, right: 20, top: 24, bottom: 56 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtNum(lang, v) },
    xAxis: categoryAxis(hist.map((b) => fmtDuration(lang, b.from_ms)), { axisLabel: { rotate: 30 } }),
    yAxis: countAxis(lang),
    series: [{
      name: t('interval.count'),
      type: 'bar',
      barMaxWidth: 36,
      itemStyle: { color: '#12a37f', borderRadius: [4, 4, 0, 0] },
      data: hist.map((b) => b.count),
    }],
  }), [hist, lang, t]);

  if (!result || !result.pairs) return <Empty>{t('interval.none')}</Empty>;
  const p = result.percentiles || {};
  return (
    <div className="view-stack">
      <StatList
        testId="interval-stats"
        items={[
          [t('interval.pairs'), fmtNum(lang, result.pairs), 'pairs'],
          [t('interval.entities'), fmtNum(lang, result.entities)],
          [t('interval.average'), fmtDuration(lang, result.average_ms)],
          ...PCTS.map((k) => [k.toUpperCase(), fmtDuration(lang, p[`${k}_ms`])]),
          [t('interval.min'), fmtDuration(lang, result.min_ms)],
          [t('interval.max'), fmtDuration(lang, result.max_ms)],
        ]}
      />
      <Chart option={option} height={compact ? 240 : 320} testId="interval-chart" />
      {!compact && (
        <div className="table-wrap">
          <table className="table" data-testid="interval-table">
            <thead>
              <tr>
                <th>{t('interval.bucket')}</th>
                <th className="num">{t('interval.count')}</th>
              </tr>
            </thead>
            <tbody>
              {hist.map((b) => (
                <tr key={b.from_ms}>
                  <td className="nowrap">{bucket(b)}</td>
                  <td className="num">{fmtNum(lang, b.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
