// Renders an attribution answer (docs/analytics/attribution.md): horizontal
// bars of the credit per touch-point value (one bar per model with "all"),
// and the table of credit, share and conversions touched. "$direct" is the
// conversions without a touch point.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtNum, fmtPct } from '../format.js';
import Chart, { PALETTE } from '../components/Chart.jsx';
import { Empty } from '../components/common.jsx';
import { AXIS_LABEL, AXIS_LINE, SPLIT_LINE } from '../lib/chartStyle.js';

const MODELS = ['first_touch', 'last_touch', 'linear'];

export function attributionValueLabel(t, v) {
  if (v === '$direct') return t('attribution.direct');
  return v === null || v === undefined ? t('q.nullValue') : String(v);
}

const round2 = (x) => Math.round((Number(x) || 0) * 100) / 100;

export default function AttributionView({ spec, result, compact }) {
  const { t, lang } = useI18n();
  const rows = (result && result.rows) || [];
  const models = (result && result.models) || [result && result.model ? result.model : 'first_touch'];
  const multi = models.length > 1 || (result && result.model === 'all');
  const shownModels = multi ? MODELS.filter((m) => models.includes(m) || result.model === 'all') : models;
  const credit = (r, m) => (typeof r.credit === 'object' && r.credit !== null ? r.credit[m] : r.credit);
  const share = (r, m) => (typeof r.share === 'object' && r.share !== null ? r.share[m] : r.share);
  const shown = compact ? rows.slice(0, 10) : rows.slice(0, 20);

  const option = useMemo(() => {
    const names = shown.map((r) => attributionValueLabel(t, r.value)).reverse();
    return {
      grid: { left: 8, right: 40, top: multi ? 32 : 8, bottom: 8, containLabel: true },
      legend: multi ? { top: 0 } : undefined,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtNum(lang, round2(v)) },
      xAxis: { type: 'value', axisLine: AXIS_LINE, axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE },
      yAxis: { type: 'category', data: names, axisLine: AXIS_LINE, axisLabel: { ...AXIS_LABEL, width: 160, overflow: 'truncate' } },
      series: shownModels.map((m, i) => ({
        name: t(`attribution.model.${m}`),
        type: 'bar',
        barMaxWidth: 22,
        itemStyle: { color: PALETTE[i % PALETTE.length], borderRadius: [0, 4, 4, 0] },
        data: shown.map((r) => round2(credit(r, m))).reverse(),
      })),
    };
  }, [shown, shownModels, multi, lang, t]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!result || !rows.length) return <Empty>{t('attribution.none')}</Empty>;
  return (
    <div className="view-stack">
      <p className="muted small" data-testid="attribution-summary">
        {t('attribution.summary', { n: fmtNum(lang, result.conversions || 0), d: fmtNum(lang, result.direct_conversions || 0) })}
        {spec && spec.touch && spec.touch.property ? ` · ${typeof spec.touch.property === 'string' ? spec.touch.property : spec.touch.property.property}` : ''}
      </p>
      <Chart option={option} height={Math.max(compact ? 200 : 240, shown.length * (multi ? 40 : 26) + 40)} testId="attribution-chart" />
      {!compact && (
        <div className="table-wrap">
          <table className="table" data-testid="attribution-table">
            <thead>
              <tr>
                <th>{t('attribution.value')}</th>
                {shownModels.map((m) => <th key={`c${m}`} className="num">{t('attribution.credit')}{multi ? ` · ${t(`attribution.model.${m}`)}` : ''}</th>)}
                {shownModels.map((m) => <th key={`s${m}`} className="num">{t('attribution.share')}{multi ? ` · ${t(`attribution.model.${m}`)}` : ''}</th>)}
                <th className="num">{t('attribution.touched')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-testid="attribution-row">
                  <td>{r.value === '$direct' ? <span className="muted">{attributionValueLabel(t, r.value)}</span> : attributionValueLabel(t, r.value)}</td>
                  {shownModels.map((m) => <td key={`c${m}`} className="num">{fmtNum(lang, round2(credit(r, m)))}</td>)}
                  {shownModels.map((m) => <td key={`s${m}`} className="num">{fmtPct(lang, share(r, m) || 0)}</td>)}
                  <td className="num">{fmtNum(lang, r.conversions || 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
