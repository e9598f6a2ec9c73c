// Monthly content report (#/content-report?month=2026-11): GET
// /api/reports/content?month= (contract E2) — the month's totals, every item
// with its reads, the breakdowns by kind and by channel (chart + table) and the
// target accounts that read most; links to the printable HTML page
// (/api/reports/content.html?month=) and to the CSV / XLSX export.
// Breakdown rows are shown as the server sends them: a label member (kind /
// channel / name) plus every numeric member as a column.
import { useMemo, useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { Card, Empty, Loading } from '../../components/common.jsx';
import Chart from '../../components/Chart.jsx';
import { ExportLinks } from '../../records/RecordTable.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import LoadError from '../../growth/marketing/Unavailable.jsx';
import { AXIS, SPLIT } from '../../growth/marketing/charts.js';
import { num, shiftMonth, thisMonth } from '../../growth/marketing/util.js';
import { RoleReaders } from './Content.jsx';
import '../../growth/marketing/marketing.css';

const METRIC_ORDER = ['items', 'items_read', 'count', 'pv', 'uv', 'target_account_readers', 'readers', 'shares', 'media_reposts', 'exposure'];

// [{kind: 'x', pv: 1}] or {x: {pv: 1}} or {x: 3} → [{label, metrics: {pv: 1}}].
function normalize(v, labelKeys) {
  if (!v) return [];
  if (Array.isArray(v)) {
    return v.map((r) => {
      const lk = labelKeys.find((k) => r[k] !== undefined);
      const metrics = {};
      for (const [k, x] of Object.entries(r)) if (typeof x === 'number' && !/(^|_)id$/.test(k)) metrics[k] = x;
      return { label: lk ? r[lk] : '', row: r, metrics };
    });
  }
  if (typeof v === 'object') {
    return Object.entries(v).map(([label, x]) => ({ label, row: {}, metrics: typeof x === 'number' ? { count: x } : Object.fromEntries(Object.entries(x || {}).filter(([, y]) => typeof y === 'number')) }));
  }
  return [];
}

function metricKeys(rows) {
  const present = new Set();
  for (const r of rows) for (const k of Object.keys(r.metrics)) present.add(k);
  const out = METRIC_ORDER.filter((k) => present.has(k));
  for (const k of present) if (!out.includes(k)) out.push(k);
  return out;
}

function Breakdown({ title, rows, labelOf, testId }) {
  const { t, tOr, lang } = useI18n();
  const keys = metricKeys(rows);
  const chartKey = keys.includes('pv') ? 'pv' : keys[0];
  const option = useMemo(() => ({
    grid: { left: 110, right: 30, top: 10, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS, splitLine: SPLIT },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => labelOf(r.label)), axisLabel: { ...AXIS, width: 100, overflow: 'truncate' } },
    series: [{ type: 'bar', name: tOr(`mk.report.metric.${chartKey}`, chartKey), barMaxWidth: 22, data: rows.map((r) => r.metrics[chartKey] || 0), label: { show: true, position: 'right' } }],
  }), [rows, chartKey, labelOf, tOr]);
  return (
    <Card title={title} testId={testId}>
      {rows.length === 0 ? <Empty /> : (
        <>
          {chartKey && <Chart option={option} height={Math.max(150, 32 * rows.length)} testId={`${testId}-chart`} />}
          <table className="table">
            <thead><tr><th>{t('mk.report.group')}</th>{keys.map((k) => <th key={k} className="num">{tOr(`mk.report.metric.${k}`, k)}</th>)}</tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.label}-${i}`}><td>{labelOf(r.label)}</td>{keys.map((k) => <td key={k} className="num">{num(lang, r.metrics[k])}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}

export default function ContentReport({ params, tz }) {
  const { t, tOr, lang } = useI18n();
  const [month, setMonth] = useState((params && params.month) || shiftMonth(thisMonth(tz), -1));
  const res = useAsync(() => api.get(`/api/reports/content${qs({ month })}`), [month]);
  const r = res.data;

  const totals = useMemo(() => {
    const v = (r && r.totals) || {};
    return metricKeys([{ metrics: Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'number')) }]).map((k) => [k, v[k]]);
  }, [r]);
  const byKind = useMemo(() => normalize(r && r.by_kind, ['kind', 'name', 'key']), [r]);
  const byChannel = useMemo(() => normalize(r && r.by_channel, ['channel', 'name', 'key']), [r]);
  const top = useMemo(() => normalize(r && r.top_target_accounts, ['account_name', 'name', 'account', 'group_id']), [r]);
  const items = (r && r.items) || [];
  const kindLabel = useMemo(() => (k) => choiceLabel(tOr, 'content_items', 'kind', k), [tOr]);
  const channelLabel = useMemo(() => (c) => c || t('mk.report.noChannel'), [t]);
  const accountLabel = useMemo(() => (a) => a || '–', []);
  const topKeys = metricKeys(top);

  return (
    <div className="page" data-testid="content-report-page">
      <div className="page-head">
        <div>
          <h1>{t('mk.report.title')}</h1>
          <p className="muted">{t('mk.report.subtitle')}{tz ? ` · ${tz}` : ''}</p>
        </div>
        <div className="inline">
          <button type="button" className="btn" onClick={() => setMonth(shiftMonth(month, -1))} aria-label={t('mk.report.prev')} data-testid="cr-prev">‹</button>
          <input type="month" className="input" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} data-testid="cr-month" aria-label={t('mk.report.month')} />
          <button type="button" className="btn" onClick={() => setMonth(shiftMonth(month, 1))} aria-label={t('mk.report.next')} data-testid="cr-next">›</button>
          <a className="btn" href={`/api/reports/content.html${qs({ month })}`} target="_blank" rel="noreferrer" data-testid="cr-html">{t('mk.report.html')}</a>
          <ExportLinks path="/api/reports/content/export" params={{ month }} name={`content-${month}`} testId="cr" />
        </div>
      </div>
      <LoadError error={res.error} onRetry={res.reload} endpoint="/api/reports/content" />
      {res.loading && !r && <Loading />}
      {r && (
        <div className={res.loading ? 'mk-stack mk-busy' : 'mk-stack'} data-testid="cr-report" data-month={r.month || month}>
          <div className="kpis mk-kpis" data-testid="cr-totals">
            {totals.map(([k, v]) => (
              <div className="kpi" key={k} data-testid="cr-total" data-key={k} data-value={v}>
                <div className="kpi-label">{tOr(`mk.report.metric.${k}`, k)}</div>
                <div className="kpi-value">{num(lang, v)}</div>
              </div>
            ))}
          </div>
          <Card title={t('mk.report.items', { n: items.length })} testId="cr-items">
            {items.length === 0 ? <Empty>{t('mk.report.noItems')}</Empty> : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>{t('mk.content.item')}</th><th>{tOr('field.content_items.kind', 'kind')}</th><th>{tOr('field.content_items.channel', 'channel')}</th>
                      <th className="num">{t('mk.content.pv')}</th><th className="num">{t('mk.content.uv')}</th><th className="num">{t('mk.content.target')}</th>
                      <th>{t('mk.content.byRole')}</th><th className="num">{t('mk.content.shares')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i0, idx) => {
                      const i = { ...(i0.item || i0.content_item || {}), ...i0 };
                      return (
                        <tr key={i.id ?? idx} data-testid="cr-item" data-pv={i.pv}>
                          <td>{i.id ? <a href={`#/content?id=${i.id}`}>{i.title || `#${i.id}`}</a> : i.title}</td>
                          <td>{kindLabel(i.kind)}</td>
                          <td>{i.channel || '–'}</td>
                          <td className="num">{num(lang, i.pv)}</td>
                          <td className="num">{num(lang, i.uv)}</td>
                          <td className="num">{num(lang, i.target_account_readers)}</td>
                          <td><RoleReaders roles={i.readers_by_role} /></td>
                          <td className="num">{num(lang, i.shares)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
          <div className="grid-2">
            <Breakdown title={t('mk.report.byKind')} rows={byKind} labelOf={kindLabel} testId="cr-by-kind" />
            <Breakdown title={t('mk.report.byChannel')} rows={byChannel} labelOf={channelLabel} testId="cr-by-channel" />
          </div>
          <Card title={t('mk.report.topAccounts')} testId="cr-top-accounts">
            {top.length === 0 ? <Empty>{t('mk.report.noTop')}</Empty> : (
              <table className="table">
                <thead><tr><th>{t('mk.report.account')}</th>{topKeys.map((k) => <th key={k} className="num">{tOr(`mk.report.metric.${k}`, k)}</th>)}</tr></thead>
                <tbody>
                  {top.map((a, i) => (
                    <tr key={i} data-testid="cr-top-account">
                      <td>{a.row.account_id ? <a href={`#/accounts/${a.row.account_id}`}>{accountLabel(a.label)}</a> : accountLabel(a.label)}</td>
                      {topKeys.map((k) => <td key={k} className="num">{num(lang, a.metrics[k])}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
      )}
    </div>
  );
}
