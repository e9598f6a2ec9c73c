// Weekly report (#/weekly-report?week=2026-W47): GET /api/reports/weekly?week=
// (ISO week in the project zone; without it the server picks the last full
// week). The key metrics this week against last week, breakdowns by owner, by
// decision role and by industry (table + chart of one metric), the stage
// conversions, the accounts at risk, and CSV / XLSX export of the same week.
import { useMemo, useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtPct } from '../../format.js';
import { Card, Empty, ErrorBox, Loading } from '../../components/common.jsx';
import Chart from '../../components/Chart.jsx';
import { roleLabel } from '../../views/CoverageView.jsx';
import { ExportLinks } from '../../records/RecordTable.jsx';
import { fmtMoney, shiftWeek, stageLabel } from '../../pipeline/util.js';
import '../../pipeline/pipeline.css';

const METRICS = ['new_accounts', 'trials', 'opportunities_created', 'stage_conversions',
  'pipeline_moved_amount', 'deals_won', 'won_amount', 'at_risk_accounts'];
// For these a rise is bad news (shown in red).
const LOWER_IS_BETTER = new Set(['at_risk_accounts']);
const BREAKDOWNS = [
  ['by_owner', 'owner'],
  ['by_role', 'role'],
  ['by_industry', 'industry'],
];

// The answer's `to` is the exclusive end (next Monday 00:00 in the project zone);
// the heading shows the week's last day. Dates are taken from the wall-clock text.
function lastDay(to) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(to || '');
  if (!m) return '–';
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - 86400000).toISOString().slice(0, 10);
}

function Change({ metric, thisWeek, lastWeek }) {
  const { t, lang } = useI18n();
  const a = Number(thisWeek) || 0;
  const b = Number(lastWeek) || 0;
  const diff = a - b;
  if (diff === 0) return <span className="pl-change pl-change-flat" data-testid="wr-change" data-dir="flat">→ {t('wr.noChange')}</span>;
  const up = diff > 0;
  const good = LOWER_IS_BETTER.has(metric) ? !up : up;
  const amount = fmtMoney(lang, Math.abs(diff));
  return (
    <span className={`pl-change ${good ? 'pl-change-good' : 'pl-change-bad'}`} data-testid="wr-change" data-dir={up ? 'up' : 'down'}>
      {up ? '▲' : '▼'} {amount}{b ? ` (${fmtPct(lang, Math.abs(diff) / b)})` : ''}
    </span>
  );
}

// Counts and amounts alike are shown whole; amounts get no currency sign
// because a project may mix currencies (the report sums the amounts as stored).
function value(lang, metric, v) {
  return fmtMoney(lang, v);
}

function Breakdown({ report }) {
  const { t, tOr, lang } = useI18n();
  const [tab, setTab] = useState('by_owner');
  const [metric, setMetric] = useState('opportunities_created');
  const dim = BREAKDOWNS.find(([k]) => k === tab)[1];
  const rows = report[tab] || [];
  const keys = useMemo(() => {
    const present = new Set();
    for (const r of rows) for (const k of Object.keys(r.metrics || {})) present.add(k);
    const ordered = METRICS.filter((k) => present.has(k));
    for (const k of present) if (!ordered.includes(k)) ordered.push(k);
    return ordered;
  }, [rows]);
  const shown = keys.includes(metric) ? metric : keys[0];
  const name = (r) => {
    const v = r[dim];
    if (v === null || v === undefined || v === '') return t(`wr.no.${dim}`);
    return dim === 'role' ? roleLabel(tOr, v) : String(v);
  };
  const get = (r, k, w) => ((r.metrics || {})[k] || {})[w];

  const option = useMemo(() => ({
    grid: { left: 56, right: 20, top: 36, bottom: 60 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => value(lang, shown, v) },
    legend: { top: 0 },
    xAxis: { type: 'category', data: rows.map(name), axisLabel: { color: '#5b6675', interval: 0, rotate: rows.length > 6 ? 30 : 0, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef1f5' } }, axisLabel: { color: '#5b6675', formatter: (v) => value(lang, shown, v) } },
    series: [
      { type: 'bar', name: t('wr.thisWeek'), barMaxWidth: 32, data: rows.map((r) => Number(get(r, shown, 'this_week')) || 0) },
      { type: 'bar', name: t('wr.lastWeek'), barMaxWidth: 32, data: rows.map((r) => Number(get(r, shown, 'last_week')) || 0) },
    ],
  }), [rows, shown, lang]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Card
      title={t('wr.breakdown')}
      testId="wr-breakdown"
      actions={(
        <div className="segmented" role="tablist">
          {BREAKDOWNS.map(([k]) => (
            <button key={k} type="button" role="tab" aria-selected={k === tab} className={k === tab ? 'active' : ''} onClick={() => setTab(k)} data-testid={`wr-tab-${k}`}>
              {t(`wr.${k}`)}
            </button>
          ))}
        </div>
      )}
    >
      {rows.length === 0 ? <Empty /> : (
        <>
          <div className="inline">
            <label className="inline small">
              <span className="muted">{t('wr.chartMetric')}</span>
              <select className="input" value={shown} onChange={(e) => setMetric(e.target.value)} data-testid="wr-chart-metric">
                {keys.map((k) => <option key={k} value={k}>{tOr(`wr.metric.${k}`, k)}</option>)}
              </select>
            </label>
          </div>
          <Chart option={option} height={280} testId="wr-breakdown-chart" />
          <div className="table-wrap">
            <table className="table" data-testid="wr-breakdown-table">
              <thead>
                <tr>
                  <th>{t(`wr.dim.${dim}`)}</th>
                  {keys.map((k) => <th key={k} className="num">{tOr(`wr.metric.${k}`, k)}</th>)}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={`${r[dim]}-${i}`}>
                    <td>{name(r)}</td>
                    {keys.map((k) => (
                      <td key={k} className="num">
                        <div>{value(lang, k, get(r, k, 'this_week'))}</div>
                        <div className="muted small" title={t('wr.lastWeek')}>{value(lang, k, get(r, k, 'last_week'))}</div>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small">{t('wr.cellHint')}</p>
          </div>
        </>
      )}
    </Card>
  );
}

export default function WeeklyReport({ params, tz }) {
  const { t, tOr, lang } = useI18n();
  const [week, setWeek] = useState((params && params.week) || '');
  const res = useAsync(() => api.get(`/api/reports/weekly${qs({ week })}`), [week]);
  const r = res.data;
  const shownWeek = week || (r && r.week) || '';
  const metrics = (r && r.metrics) || [];
  const conv = (r && r.stage_conversions) || [];
  const risk = (r && r.at_risk) || [];

  return (
    <div className="page" data-testid="weekly-report-page">
      <div className="page-head">
        <div>
          <h1>{t('wr.title')}</h1>
          <p className="muted">
            {r ? t('wr.range', { week: r.week, from: String(r.from || '').slice(0, 10), to: lastDay(r.to), prev: r.previous ? r.previous.week : '–' }) : t('wr.subtitle')}
            {tz ? ` · ${tz}` : ''}
          </p>
        </div>
        <div className="inline">
          <button type="button" className="btn" disabled={!shownWeek} onClick={() => setWeek(shiftWeek(shownWeek, -1))} data-testid="wr-prev" aria-label={t('wr.prev')}>‹</button>
          <input
            type="week"
            className="input"
            value={shownWeek}
            onChange={(e) => { if (e.target.value) setWeek(e.target.value); }}
            data-testid="wr-week"
            aria-label={t('wr.week')}
          />
          <button type="button" className="btn" disabled={!shownWeek} onClick={() => setWeek(shiftWeek(shownWeek, 1))} data-testid="wr-next" aria-label={t('wr.next')}>›</button>
          <ExportLinks path="/api/reports/weekly/export" params={{ week: shownWeek }} name={`weekly-${shownWeek || 'report'}`} testId="wr" />
        </div>
      </div>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !r && <Loading />}
      {r && (
        <>
          <div className={res.loading ? 'pl-metrics pl-busy' : 'pl-metrics'} data-testid="wr-metrics">
            {metrics.map((m) => (
              <div className="kpi" key={m.key} data-testid="wr-metric" data-key={m.key} data-this={m.this_week} data-last={m.last_week}>
                <div className="kpi-label">{tOr(`wr.metric.${m.key}`, m.key)}</div>
                <div className="kpi-value" data-testid="wr-metric-value">{value(lang, m.key, m.this_week)}</div>
                <div className="kpi-hint">
                  {t('wr.vsLast', { v: value(lang, m.key, m.last_week) })}{' '}
                  <Change metric={m.key} thisWeek={m.this_week} lastWeek={m.last_week} />
                </div>
              </div>
            ))}
          </div>
          <Breakdown report={r} />
          <div className="grid-2">
            <Card title={t('wr.conversions')} testId="wr-conversions">
              {conv.length ? (
                <table className="table">
                  <thead><tr><th>{t('wr.toStage')}</th><th className="num">{t('wr.thisWeek')}</th><th className="num">{t('wr.lastWeek')}</th><th>{t('wr.change')}</th></tr></thead>
                  <tbody>
                    {conv.map((c) => (
                      <tr key={c.to_stage} data-stage={c.to_stage}>
                        <td>{stageLabel(tOr, c.to_stage)}</td>
                        <td className="num">{fmtMoney(lang, c.this_week)}</td>
                        <td className="num">{fmtMoney(lang, c.last_week)}</td>
                        <td><Change metric="stage_conversions" thisWeek={c.this_week} lastWeek={c.last_week} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : <Empty>{t('wr.noConversions')}</Empty>}
            </Card>
            <Card title={t('wr.atRisk', { n: fmtMoney(lang, risk.length) })} testId="wr-at-risk">
              {risk.length ? (
                <table className="table">
                  <thead><tr><th>{t('wr.account')}</th><th className="num">{t('wr.score')}</th><th>{t('pl.owner')}</th><th>{t('wr.renewal')}</th></tr></thead>
                  <tbody>
                    {risk.map((a) => (
                      <tr key={a.account_id}>
                        <td><a href={`#/accounts/${a.account_id}`} data-testid="wr-risk-link">{a.name || a.account_id}</a></td>
                        <td className="num">{a.score === null || a.score === undefined ? '–' : fmtMoney(lang, a.score)}</td>
                        <td>{a.owner || '–'}</td>
                        <td>{a.renewal_date || '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : <Empty>{t('wr.noRisk')}</Empty>}
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
