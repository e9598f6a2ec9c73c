// Renders a retention answer (docs/analytics/retention.md): the cohort table
// as a heat map (rows = cohorts by start period, columns = periods since the
// start, the cell is the share of the cohort that returned, counts on hover)
// and the retention curve of the total (one line per breakdown value).
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { cohortValueLabel, isCohortBreakdown } from '../lib/cohorts.js';
import { fmtNum, fmtPct, periodLabel } from '../format.js';
import Chart from '../components/Chart.jsx';
import { Empty } from '../components/common.jsx';
import { categoryAxis, escapeHtml, rateAxis } from '../lib/chartStyle.js';

function heatStyle(rate) {
  if (rate === null || rate === undefined) return undefined;
  const r = Math.max(0, Math.min(1, Number(rate)));
  // Period 0 is 100 % by definition; a square-root scale keeps the usual 5–40 % apart.
  const a = 0.06 + 0.88 * Math.sqrt(r);
  return { background: `rgba(31,111,235,${a.toFixed(3)})`, color: a > 0.55 ? '#fff' : '#1c2430' };
}

function valueLabel(t, v, cohort) {
  if (cohort) return cohortValueLabel(t, v);
  return v === null || v === undefined ? t('q.nullValue') : String(v);
}

// metric "rate": the share that returned; "revenue": the revenue of their returns
// (when the spec asked for it), coloured against the largest cell.
export function HeatTable({ rows, total, period, periods, metric = 'rate', testId = 'retention-heatmap' }) {
  const { t, lang } = useI18n();
  const cols = Array.from({ length: periods }, (_, i) => i);
  const maxRevenue = metric === 'revenue'
    ? Math.max(1e-9, ...[total, ...rows].filter(Boolean).flatMap((r) => (r.revenue || []).map((v) => Number(v) || 0)))
    : 1;
  const cell = (row, i) => {
    const v = row.values ? row.values[i] : undefined;
    const r = row.rates ? row.rates[i] : undefined;
    if (v === undefined || v === null || r === undefined || r === null) {
      return <td key={i} className="heat-cell heat-na" />;
    }
    // A period that has not ended yet can still grow.
    const partial = row.complete_periods !== undefined && i >= row.complete_periods;
    const cls = partial ? 'heat-cell heat-partial' : 'heat-cell';
    const suffix = partial ? ` · ${t('retention.partial')}` : '';
    if (metric === 'revenue') {
      const rev = row.revenue ? Number(row.revenue[i]) || 0 : 0;
      return (
        <td key={i} className={cls} style={heatStyle(rev / maxRevenue)} data-value={v}
          title={`${t('retention.cellTitle', { n: fmtNum(lang, v), size: fmtNum(lang, row.size), rate: fmtPct(lang, r) })} · ${t('retention.revenue')} ${fmtNum(lang, rev)}${suffix}`}>
          {fmtNum(lang, Math.round(rev))}
        </td>
      );
    }
    return (
      <td
        key={i}
        className={cls}
        style={heatStyle(r)}
        title={t('retention.cellTitle', { n: fmtNum(lang, v), size: fmtNum(lang, row.size), rate: fmtPct(lang, r) }) + suffix}
        data-value={v}
      >
        {fmtPct(lang, r)}
      </td>
    );
  };
  return (
    <div className="table-wrap">
      <table className="table heat-table" data-testid={testId}>
        <thead>
          <tr>
            <th>{t('retention.cohort')}</th>
            <th className="num">{t('retention.size')}</th>
            {cols.map((i) => <th key={i} className="num">{t(`retention.periodN.${period}`, { n: i })}</th>)}
          </tr>
        </thead>
        <tbody>
          {total && (
            <tr className="heat-total">
              <td><strong>{t('retention.total')}</strong></td>
              <td className="num"><strong>{fmtNum(lang, total.size)}</strong></td>
              {cols.map((i) => cell(total, i))}
            </tr>
          )}
          {rows.map((c, ri) => (
            <tr key={ri}>
              <td className="nowrap">{periodLabel(c.start, period)}</td>
              <td className="num">{fmtNum(lang, c.size)}</td>
              {cols.map((i) => cell(c, i))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function RetentionView({ spec, result, compact }) {
  const { t, lang } = useI18n();
  const [which, setWhich] = useState(-1);
  const [metric, setMetric] = useState('rate');
  const period = (spec && spec.period) || 'week';
  const cohorts = (result && result.cohorts) || [];
  const total = result && result.total;
  const breakdown = (result && result.breakdown) || [];
  const cohortBd = isCohortBreakdown(spec, null);
  const periods = Math.max(
    (spec && spec.periods) || 0,
    ...(total && total.rates ? [total.rates.length] : []),
    ...cohorts.map((c) => (c.rates || []).length),
  );

  const curve = useMemo(() => {
    if (!total || !periods) return null;
    const xs = Array.from({ length: periods }, (_, i) => t(`retention.periodN.${period}`, { n: i }));
    const lines = [{ name: t('retention.total'), total }];
    for (const b of breakdown.slice(0, 10)) lines.push({ name: valueLabel(t, b.value, cohortBd), total: b.total });
    return {
      grid: { left: 56, right: 20, top: lines.length > 1 ? 48 : 24, bottom: 40 },
      legend: lines.length > 1 ? { type: 'scroll', top: 0 } : undefined,
      tooltip: {
        trigger: 'axis',
        formatter: (ps) => [`<b>${escapeHtml(ps[0].axisValue)}</b>`, ...ps.map((p) => {
          const tot = lines[p.seriesIndex].total || {};
          const v = (tot.values || [])[p.dataIndex];
          return `${p.marker}${escapeHtml(p.seriesName)}: ${fmtPct(lang, p.value)} (${fmtNum(lang, v)} / ${fmtNum(lang, tot.size)})`;
        })].join('<br/>'),
      },
      xAxis: categoryAxis(xs, { boundaryGap: false }),
      yAxis: rateAxis(lang, { max: 1 }),
      series: lines.map((l, i) => ({
        name: l.name,
        type: 'line',
        smooth: true,
        symbolSize: 6,
        lineStyle: { width: i === 0 ? 3 : 2 },
        areaStyle: lines.length === 1 ? { opacity: 0.08 } : undefined,
        data: ((l.total && l.total.rates) || []).map((r) => (r === null || r === undefined ? null : r)),
      })),
    };
  }, [total, breakdown, periods, period, lang, t]);

  if (!total || !total.size) return <Empty>{t('retention.none')}</Empty>;
  const shown = which >= 0 && breakdown[which] ? breakdown[which] : { cohorts, total };
  const hasRevenue = Array.isArray(total.revenue);

  return (
    <div className="view-stack">
      {curve && <Chart option={curve} height={compact ? 240 : 280} testId="retention-curve" />}
      {!compact && (
        <>
          {(breakdown.length > 0 || hasRevenue) && (
            <div className="inline wrap">
              {breakdown.length > 0 && (
                <>
                  <span className="muted small">{t('retention.showCohortsOf')}</span>
                  <select className="input" value={which} onChange={(e) => setWhich(Number(e.target.value))} data-testid="retention-bd-select">
                    <option value={-1}>{t('retention.total')}</option>
                    {breakdown.map((b, i) => <option key={i} value={i}>{valueLabel(t, b.value, cohortBd)}</option>)}
                  </select>
                </>
              )}
              {hasRevenue && (
                <div className="segmented" role="group">
                  <button type="button" className={metric === 'rate' ? 'active' : ''} onClick={() => setMetric('rate')}>{t('retention.rate')}</button>
                  <button type="button" className={metric === 'revenue' ? 'active' : ''} onClick={() => setMetric('revenue')} data-testid="retention-show-revenue">{t('retention.revenue')}</button>
                </div>
              )}
            </div>
          )}
          <HeatTable rows={shown.cohorts || []} total={shown.total} period={period} periods={periods} metric={hasRevenue ? metric : 'rate'} />
        </>
      )}
      {compact && <HeatTable rows={[]} total={total} period={period} periods={periods} testId="retention-heatmap-compact" />}
    </div>
  );
}
