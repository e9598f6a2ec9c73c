// The forecast under the board (GET /api/pipeline/forecast): totals, amount and
// weighted amount by stage and by expected-close month (open opportunities),
// as charts and a table, with CSV / XLSX export. `version` changes when a card
// moved, so the forecast follows the board.
import { useMemo } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync } from '../hooks.js';
import { Card, Empty, ErrorBox, Loading } from '../components/common.jsx';
import Chart from '../components/Chart.jsx';
import { ExportLinks } from '../records/RecordTable.jsx';
import { fmtMoney, stageLabel } from './util.js';
import './pipeline.css';

function barOption(lang, labels, series) {
  return {
    grid: { left: 64, right: 20, top: 36, bottom: 36 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtMoney(lang, v) },
    legend: { top: 0 },
    xAxis: {
      type: 'category',
      data: labels,
      axisLine: { lineStyle: { color: '#c9d1dc' } },
      axisLabel: { color: '#5b6675', interval: 0, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      splitLine: { lineStyle: { color: '#eef1f5' } },
      axisLabel: { color: '#5b6675', formatter: (v) => fmtMoney(lang, v) },
    },
    series: series.map((s) => ({ type: 'bar', barMaxWidth: 36, ...s })),
  };
}

export default function Forecast({ version, stages }) {
  const { t, tOr, lang } = useI18n();
  const fc = useAsync(() => api.get('/api/pipeline/forecast'), [version]);
  const data = fc.data;
  const byStage = (data && data.by_stage) || [];
  const byMonth = (data && data.by_month) || [];
  const totals = (data && data.totals) || {};
  // Labels come from the board's stages when known (they carry the project's own labels).
  const label = (key) => stageLabel(tOr, (stages || []).find((s) => s.key === key) || key);

  const stageOption = useMemo(() => barOption(lang, byStage.map((s) => label(s.key)), [
    { name: t('pl.amount'), data: byStage.map((s) => Number(s.amount) || 0) },
    { name: t('pl.weighted'), data: byStage.map((s) => Number(s.weighted_amount) || 0) },
  ]), [data, lang, stages]); // eslint-disable-line react-hooks/exhaustive-deps
  const monthOption = useMemo(() => barOption(lang, byMonth.map((m) => m.month), [
    { name: t('pl.amount'), data: byMonth.map((m) => Number(m.amount) || 0) },
    { name: t('pl.weighted'), data: byMonth.map((m) => Number(m.weighted_amount) || 0) },
  ]), [data, lang]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Card
      title={t('pl.forecast')}
      className={fc.loading && data ? 'card-busy' : undefined}
      actions={<ExportLinks path="/api/pipeline/forecast/export" params={{}} name="forecast" testId="forecast" />}
      testId="forecast"
    >
      <ErrorBox error={fc.error} onRetry={fc.reload} />
      {fc.loading && !data && <Loading />}
      {data && (
        <div className="pl-forecast">
          <div className="kpis pl-kpis4" data-testid="forecast-totals">
            {[
              ['open_amount', 'pl.openAmount'],
              ['weighted_amount', 'pl.weightedAmount'],
              ['won_amount', 'pl.wonAmount'],
              ['lost_amount', 'pl.lostAmount'],
            ].map(([k, label]) => (
              <div className="kpi" key={k}>
                <div className="kpi-label">{t(label)}</div>
                <div className="kpi-value" data-testid={`forecast-${k}`} data-value={totals[k]}>{fmtMoney(lang, totals[k])}</div>
              </div>
            ))}
          </div>
          <div className="grid-2">
            <div>
              <h3 className="pl-h3">{t('pl.byStage')}</h3>
              {byStage.length ? <Chart option={stageOption} height={260} testId="forecast-stage-chart" /> : <Empty />}
            </div>
            <div>
              <h3 className="pl-h3">{t('pl.byMonth')}</h3>
              {byMonth.length ? <Chart option={monthOption} height={260} testId="forecast-month-chart" /> : <Empty>{t('pl.noOpenWithClose')}</Empty>}
            </div>
          </div>
          <div className="grid-2">
            <div className="table-wrap">
              <table className="table" data-testid="forecast-stage-table">
                <thead>
                  <tr>
                    <th>{t('pl.stage')}</th>
                    <th className="num">{t('pl.count')}</th>
                    <th className="num">{t('pl.amount')}</th>
                    <th className="num">{t('pl.weighted')}</th>
                  </tr>
                </thead>
                <tbody>
                  {byStage.map((s) => (
                    <tr key={s.key} data-stage={s.key}>
                      <td>{label(s.key)}</td>
                      <td className="num">{fmtMoney(lang, s.count)}</td>
                      <td className="num">{fmtMoney(lang, s.amount)}</td>
                      <td className="num">{fmtMoney(lang, s.weighted_amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="table-wrap">
              <table className="table" data-testid="forecast-month-table">
                <thead>
                  <tr>
                    <th>{t('pl.month')}</th>
                    <th className="num">{t('pl.count')}</th>
                    <th className="num">{t('pl.amount')}</th>
                    <th className="num">{t('pl.weighted')}</th>
                  </tr>
                </thead>
                <tbody>
                  {byMonth.map((m) => (
                    <tr key={m.month}>
                      <td>{m.month}</td>
                      <td className="num">{fmtMoney(lang, m.count)}</td>
                      <td className="num">{fmtMoney(lang, m.amount)}</td>
                      <td className="num">{fmtMoney(lang, m.weighted_amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      )}
    </Card>
  );
}
