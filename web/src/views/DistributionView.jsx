// Renders a distribution answer (docs/analytics/distribution.md): the
// histogram of per-entity event counts (buckets from ≤ count < to; one per
// count up to 9, then 1-2-5 widths) and the summary statistics.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtNum } from '../format.js';
import Chart from '../components/Chart.jsx';
import { Empty } from '../components/common.jsx';
import { categoryAxis, countAxis } from '../lib/chartStyle.js';

export function countBucketLabel(b) {
  return b.to - b.from <= 1 ? String(b.from) : `${b.from}–${b.to - 1}`;
}

const round2 = (x) => Math.round((Number(x) || 0) * 100) / 100;

export function StatList({ items, testId }) {
  return (
    <div className="inline wrap stat-list" data-testid={testId}>
      {items.map(([label, value, key]) => (
        <div key={label} className="stat" data-testid={key ? `${testId}-${key}` : undefined}>
          <div className="muted small">{label}</div>
          <div><strong>{value}</strong></div>
        </div>
      ))}
    </div>
  );
}

export default function DistributionView({ result, compact }) {
  const { t, lang } = useI18n();
  const hist = (result && result.histogram) || [];
  const option = useMemo(() => ({
    grid: { left: 56, right: 20, top: 24, bottom: 40 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtNum(lang, v) },
    xAxis: categoryAxis(hist.map(countBucketLabel), { name: t('distribution.bucket'), nameLocation: 'middle', nameGap: 28 }),
    yAxis: countAxis(lang),
    series: [{
      name: t('distribution.entities'),
      type: 'bar',
      barMaxWidth: 36,
      itemStyle: { color: '#1f6feb', borderRadius: [4, 4, 0, 0] },
      data: hist.map((b) => b.count),
    }],
  }), [hist, lang, t]);

  if (!result || !result.entities) return <Empty>{t('distribution.none')}</Empty>;
  return (
    <div className="view-stack">
      <StatList
        testId="distribution-stats"
        items={[
          [t('distribution.entities'), fmtNum(lang, result.entities), 'entities'],
          [t('distribution.events'), fmtNum(lang, result.events)],
          [t('distribution.average'), fmtNum(lang, round2(result.average))],
          [t('distribution.median'), fmtNum(lang, round2(result.median))],
          [t('distribution.p90'), fmtNum(lang, round2(result.p90))],
          [t('distribution.min'), fmtNum(lang, result.min)],
          [t('distribution.max'), fmtNum(lang, result.max)],
        ]}
      />
      <Chart option={option} height={compact ? 240 : 320} testId="distribution-chart" />
      {!compact && (
        <div className="table-wrap">
          <table className="table" data-testid="distribution-table">
            <thead>
              <tr>
                <th>{t('distribution.bucket')}</th>
                <th className="num">{t('distribution.entities')}</th>
              </tr>
            </thead>
            <tbody>
              {hist.map((b) => (
                <tr key={b.from}>
                  <td>{countBucketLabel(b)}</td>
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
