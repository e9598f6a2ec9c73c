// Renders a funnel answer (docs/analytics/funnel.md): bars per step (the
// count that reached it, and above it, in a light tone, those of the previous
// step who never got here), the step table with conversions, dropped counts
// and the median time to convert, the breakdown comparison (grouped bars of
// the conversion from the first step) and the conversion rate over time.
// steps[k].dropped counts the entities of the previous (required) step that
// never reached step k; the server lists them with "entities": {"step": k - 1,
// "status": "dropped"} (reached step k-1, got no further).
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { cohortValueLabel, isCohortBreakdown } from '../lib/cohorts.js';
import { bucketLabel, fmtDuration, fmtNum, fmtPct } from '../format.js';
import Chart, { PALETTE } from '../components/Chart.jsx';
import { Badge, Empty } from '../components/common.jsx';
import { categoryAxis, countAxis, escapeHtml, rateAxis } from '../lib/chartStyle.js';

export function stepName(s, i) {
  const name = s.name || s.label || s.event || '';
  return `${(s.index ?? i) + 1}. ${name}`;
}

function breakdownLabel(t, v, cohort) {
  if (cohort) return cohortValueLabel(t, v);
  return v === null || v === undefined ? t('q.nullValue') : String(v);
}

// Entities lost between step i-1 and step i (drawn above bar i).
function lostBefore(steps, i) {
  return i > 0 && steps[i] ? steps[i].dropped || 0 : 0;
}

export default function FunnelView({ spec, result, compact, onEntities, active }) {
  const { t, lang } = useI18n();
  const steps = (result && result.steps) || [];
  const breakdown = (result && result.breakdown) || [];
  const cohortBd = isCohortBreakdown(spec, null);
  const overTime = (result && result.over_time) || [];
  const drivers = result && Array.isArray(result.drivers) ? result.drivers : null;
  const entered = steps.length ? steps[0].count : 0;

  const barOption = useMemo(() => {
    const names = steps.map(stepName);
    return {
      grid: { left: 56, right: 20, top: 36, bottom: 40 },
      legend: { top: 0, data: [t('funnel.reached'), t('funnel.lostBefore')] },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps) => {
          const s = steps[ps[0].dataIndex];
          if (!s) return '';
          const rows = [
            `<b>${escapeHtml(stepName(s, ps[0].dataIndex))}</b>`,
            `${t('funnel.count')}: ${fmtNum(lang, s.count)}`,
            `${t('funnel.fromPrevious')}: ${fmtPct(lang, s.conversion_from_previous)}`,
            `${t('funnel.fromFirst')}: ${fmtPct(lang, s.conversion_from_first)}`,
          ];
          if (ps[0].dataIndex > 0) rows.push(`${t('funnel.lostBefore')}: ${fmtNum(lang, lostBefore(steps, ps[0].dataIndex))}`);
          if (s.time_to_convert) rows.push(`${t('funnel.medianTime')}: ${fmtDuration(lang, s.time_to_convert.median_ms)}`);
          return rows.join('<br/>');
        },
      },
      xAxis: categoryAxis(names, { axisLabel: { interval: 0, width: 110, overflow: 'truncate' } }),
      yAxis: countAxis(lang),
      series: [
        {
          name: t('funnel.reached'),
          type: 'bar',
          stack: 'funnel',
          barMaxWidth: 72,
          data: steps.map((s) => s.count),
          itemStyle: { color: PALETTE[0], borderRadius: [0, 0, 0, 0] },
          label: {
            show: true, position: 'insideTop', color: '#fff', fontWeight: 600,
            formatter: (p) => (steps[p.dataIndex] && steps[p.dataIndex].count > 0 ? fmtPct(lang, steps[p.dataIndex].conversion_from_first) : ''),
          },
        },
        {
          name: t('funnel.lostBefore'),
          type: 'bar',
          stack: 'funnel',
          barMaxWidth: 72,
          data: steps.map((_, i) => lostBefore(steps, i)),
          itemStyle: { color: 'rgba(31,111,235,0.14)', borderRadius: [4, 4, 0, 0] },
          cursor: onEntities ? 'pointer' : 'default',
        },
      ],
    };
  }, [steps, lang, t, onEntities]);

  const breakdownOption = useMemo(() => {
    if (!breakdown.length) return null;
    const shown = breakdown.slice(0, 10);
    return {
      grid: { left: 56, right: 20, top: 48, bottom: 40 },
      legend: { type: 'scroll', top: 0 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps) => {
          const i = ps[0].dataIndex;
          const head = `<b>${escapeHtml(stepName(steps[i] || {}, i))}</b>`;
          return [head, ...ps.map((p) => {
            const s = (shown[p.seriesIndex].steps || [])[i] || {};
            return `${p.marker}${escapeHtml(p.seriesName)}: ${fmtPct(lang, s.conversion_from_first)} (${fmtNum(lang, s.count)})`;
          })].join('<br/>');
        },
      },
      xAxis: categoryAxis(steps.map(stepName), { axisLabel: { interval: 0, width: 110, overflow: 'truncate' } }),
      yAxis: rateAxis(lang, { max: 1 }),
      series: shown.map((b) => ({
        name: breakdownLabel(t, b.value, cohortBd),
        type: 'bar',
        barMaxWidth: 28,
        data: (b.steps || []).map((s) => s.conversion_from_first),
      })),
    };
  }, [breakdown, steps, lang, t, cohortBd]);

  const overTimeOption = useMemo(() => {
    if (!overTime.length) return null;
    const interval = (spec && spec.over_time) || 'week';
    return {
      grid: { left: 56, right: 56, top: 36, bottom: 40 },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        formatter: (ps) => {
          const p = overTime[ps[0].dataIndex];
          return [
            `<b>${escapeHtml(bucketLabel(p.t, interval))}</b>`,
            `${t('funnel.rate')}: ${fmtPct(lang, p.rate)}`,
            `${t('funnel.entered')}: ${fmtNum(lang, p.entered)}`,
            `${t('funnel.convertedAll')}: ${fmtNum(lang, p.converted)}`,
          ].join('<br/>');
        },
      },
      xAxis: categoryAxis(overTime.map((p) => bucketLabel(p.t, interval)), { boundaryGap: true }),
      yAxis: [rateAxis(lang), countAxis(lang, { splitLine: { show: false } })],
      series: [
        {
          name: t('funnel.entered'), type: 'bar', yAxisIndex: 1, barMaxWidth: 24,
          itemStyle: { color: 'rgba(31,111,235,0.16)' }, data: overTime.map((p) => p.entered),
        },
        {
          name: t('funnel.rate'), type: 'line', symbolSize: 5,
          itemStyle: { color: PALETTE[1] }, data: overTime.map((p) => p.rate),
        },
      ],
    };
  }, [overTime, spec, lang, t]);

  if (!steps.length) return <Empty />;
  if (!entered) return <Empty>{t('funnel.noneEntered')}</Empty>;

  const onChartClick = onEntities
    ? (p) => {
      if (p.seriesIndex === 1 && lostBefore(steps, p.dataIndex) > 0) onEntities(p.dataIndex - 1, 'dropped');
      else if (p.seriesIndex === 0 && steps[p.dataIndex] && steps[p.dataIndex].count > 0) onEntities(p.dataIndex, 'reached');
    }
    : undefined;
  // The open list: "reached" k shows on row k, "dropped" after k on row k+1.
  const isActive = (i, status) => active && active.status === status && (status === 'dropped' ? active.step === i - 1 : active.step === i);

  return (
    <div className="view-stack">
      <Chart option={barOption} height={compact ? 260 : 320} testId="funnel-chart" onClick={onChartClick} />
      {!compact && (
        <div className="table-wrap">
          <table className="table" data-testid="funnel-steps">
            <thead>
              <tr>
                <th>{t('funnel.step')}</th>
                <th className="num">{t('funnel.count')}</th>
                <th className="num">{t('funnel.fromPrevious')}</th>
                <th className="num">{t('funnel.fromFirst')}</th>
                <th className="num" title={t('funnel.droppedHelp')}>{t('funnel.dropped')}</th>
                <th className="num">{t('funnel.medianTime')}</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((s, i) => (
                <tr key={i} className={isActive(i, 'reached') || isActive(i, 'dropped') ? 'row-open' : undefined}>
                  <td>
                    <div className="step-cell">
                      <strong>{stepName(s, i)}</strong>
                      {s.optional && <Badge>{t('funnel.optional')}</Badge>}
                      {s.name && s.name !== s.event && <span className="mono muted small">{s.event}</span>}
                    </div>
                    <div className="step-bar" aria-hidden="true"><div style={{ width: `${Math.min(100, 100 * (s.conversion_from_first || 0))}%` }} /></div>
                  </td>
                  <td className="num" data-testid="funnel-step-count" data-value={s.count}>
                    {onEntities && s.count > 0 ? (
                      <button type="button" className={isActive(i, 'reached') ? 'btn-link active' : 'btn-link'} onClick={() => onEntities(i, 'reached')} data-testid={`funnel-reached-${i}`} title={t('funnel.showReached')}>
                        {fmtNum(lang, s.count)}
                      </button>
                    ) : fmtNum(lang, s.count)}
                  </td>
                  <td className="num">{i === 0 ? '–' : fmtPct(lang, s.conversion_from_previous)}</td>
                  <td className="num">{fmtPct(lang, s.conversion_from_first)}</td>
                  <td className="num">
                    {i > 0 && s.dropped > 0 && onEntities ? (
                      <button type="button" className={isActive(i, 'dropped') ? 'btn-link link-danger active' : 'btn-link link-danger'} onClick={() => onEntities(i - 1, 'dropped')} data-testid={`funnel-dropped-${i}`} title={t('funnel.showDropped')}>
                        {fmtNum(lang, s.dropped)}
                      </button>
                    ) : (
                      <span className="muted">{i === 0 ? '–' : fmtNum(lang, s.dropped || 0)}</span>
                    )}
                  </td>
                  <td className="num" title={s.time_to_convert ? `${t('funnel.averageTime')}: ${fmtDuration(lang, s.time_to_convert.average_ms)}` : undefined}>
                    {s.time_to_convert ? fmtDuration(lang, s.time_to_convert.median_ms) : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {breakdownOption && (
        <div>
          <h3 className="subhead">{t('funnel.breakdownTitle')}</h3>
          <Chart option={breakdownOption} height={compact ? 240 : 300} testId="funnel-breakdown-chart" />
          {!compact && (
            <div className="table-wrap">
              <table className="table" data-testid="funnel-breakdown-table">
                <thead>
                  <tr>
                    <th>{t('trend.breakdownValue')}</th>
                    {steps.map((s, i) => <th key={i} className="num">{stepName(s, i)}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {breakdown.map((b, bi) => (
                    <tr key={bi}>
                      <td><span className="swatch" style={{ background: bi < 10 ? PALETTE[bi % PALETTE.length] : 'transparent' }} />{cohortBd ? cohortValueLabel(t, b.value) : b.value === null ? <span className="muted">{t('q.nullValue')}</span> : String(b.value)}</td>
                      {(b.steps || []).map((s, i) => (
                        <td key={i} className="num">{fmtNum(lang, s.count)} <span className="muted small">{fmtPct(lang, s.conversion_from_first)}</span></td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      {drivers && !compact && (
        <div>
          <h3 className="subhead">{t('funnel.driversTitle')}</h3>
          {drivers.length === 0 ? <p className="muted small">{t('funnel.noDrivers')}</p> : (
            <div className="table-wrap">
              <table className="table" data-testid="funnel-drivers-table">
                <thead>
                  <tr>
                    <th>{t('funnel.driver')}</th>
                    <th className="num">{t('funnel.driverConverters')}</th>
                    <th className="num">{t('funnel.driverDropped')}</th>
                    <th className="num" title={t('funnel.oddsHelp')}>{t('funnel.oddsRatio')}</th>
                    <th className="num">p</th>
                  </tr>
                </thead>
                <tbody>
                  {drivers.map((d, i) => (
                    <tr key={i}>
                      <td>
                        <Badge kind={d.kind === 'event' ? 'blue' : 'neutral'}>{t(d.kind === 'event' ? 'funnel.driverEvent' : 'funnel.driverTrait')}</Badge>{' '}
                        <span className="mono">{d.name}</span>
                        {d.value !== null && d.value !== undefined && <> = <strong>{String(d.value)}</strong></>}
                      </td>
                      <td className="num">{fmtNum(lang, d.converters)}</td>
                      <td className="num">{fmtNum(lang, d.dropped)}</td>
                      <td className={d.odds_ratio >= 1 ? 'num text-ok' : 'num text-danger'}>{fmtNum(lang, Math.round(d.odds_ratio * 100) / 100)}</td>
                      <td className="num muted">{d.p_value < 0.001 ? '< 0.001' : fmtNum(lang, Math.round(d.p_value * 1000) / 1000)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      {overTimeOption && (
        <div>
          <h3 className="subhead">{t('funnel.overTimeTitle')}</h3>
          <Chart option={overTimeOption} height={compact ? 220 : 280} testId="funnel-over-time-chart" />
        </div>
      )}
    </div>
  );
}
