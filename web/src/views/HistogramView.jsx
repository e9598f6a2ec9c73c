// A histogram answer laid out the same way for every kind that has one
// (distribution, interval): summary statistics, a bar chart of the buckets and,
// outside dashboards, the bucket table. Callers say how a bucket is labelled.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtNum } from '../format.js';
import Chart from '../components/Chart.jsx';
import { categoryAxis, countAxis } from '../lib/chartStyle.js';

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

// histogram: [{…, count}]; axisLabel(b) labels the chart axis, rowLabel(b) the table;
// xAxis: extra ECharts axis options; testId prefixes "-stats", "-chart", "-table".
export default function HistogramView({
  histogram, stats, axisLabel, rowLabel, bucketHeader, countHeader, color, xAxis, bottom, testId, compact,
}) {
  const { lang } = useI18n();
  const option = useMemo(() => ({
    grid: { left: 56, right: 20, top: 24, bottom },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtNum(lang, v) },
    xAxis: categoryAxis(histogram.map(axisLabel), xAxis),
    yAxis: countAxis(lang),
    series: [{
      name: countHeader,
      type: 'bar',
      barMaxWidth: 36,
      itemStyle: { color, borderRadius: [4, 4, 0, 0] },
      data: histogram.map((b) => b.count),
    }],
  }), [histogram, lang, axisLabel, countHeader, color, xAxis, bottom]);
  return (
    <div className="view-stack">
      <StatList testId={`${testId}-stats`} items={stats} />
      <Chart option={option} height={compact ? 240 : 320} testId={`${testId}-chart`} />
      {!compact && (
        <div className="table-wrap">
          <table className="table" data-testid={`${testId}-table`}>
            <thead>
              <tr>
                <th>{bucketHeader}</th>
                <th className="num">{countHeader}</th>
              </tr>
            </thead>
            <tbody>
              {histogram.map((b, i) => (
                <tr key={i}>
                  <td className="nowrap">{rowLabel(b)}</td>
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
