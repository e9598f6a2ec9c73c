// Renewals (#/renewals): the renewal calendar by month (GET /api/renewals/calendar
// ?from&to — renewal records plus accounts that only have a renewal_date) and the
// at-risk list (GET /api/renewals/at-risk?days&below — renewals within `days`
// whose account health is below `below`, with the parts of the score), each
// exportable (…/export?format=csv|xlsx), and the renewal records themselves.
// When this server has no calendar endpoint yet, the calendar is grouped here
// from the renewal records (GET /api/renewals) and says so; a missing at-risk
// endpoint shows a notice. ?from=YYYY-MM&to=YYYY-MM preset the range.
import { useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtNum } from '../../format.js';
import { Card, Empty, ErrorBox } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel, todayIn } from '../../records/recordFormat.js';
import RenewalCalendar, { monthsFromRecords } from '../../growth/success/RenewalCalendar.jsx';
import HealthParts from '../../growth/success/HealthParts.jsx';
import { LoadState, Pending, isMissing } from '../../growth/success/Pending.jsx';
import ExportButtons from '../../growth/success/ExportButtons.jsx';

// First and last day of a YYYY-MM month.
function monthStart(m) { return `${m}-01`; }
function monthEnd(m) {
  const [y, mo] = m.split('-').map(Number);
  return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
}
function addMonths(m, n) {
  const [y, mo] = m.split('-').map(Number);
  const d = new Date(Date.UTC(y, mo - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

function Calendar({ from, to }) {
  const { t } = useI18n();
  const params = { from: monthStart(from), to: monthEnd(to) };
  const state = useAsync(async () => {
    try {
      return { ...(await api.get(`/api/renewals/calendar${qs(params)}`)), fallback: false };
    } catch (e) {
      if (!isMissing(e)) throw e;
      const d = await api.get(`/api/renewals${qs({ renewal_date_from: params.from, renewal_date_to: params.to, sort: 'renewal_date', order: 'asc', limit: 500 })}`);
      return { months: monthsFromRecords(d.records || []), fallback: true };
    }
  }, [from, to]);
  return (
    <Card title={t('renewals.calendar')} testId="renewal-calendar-card"
      actions={<ExportButtons path="/api/renewals/calendar/export" params={params} prefix="renewal-calendar" testId="renewal-calendar-export" />}>
      <LoadState state={state} what="/api/renewals">
        {(d) => (
          <>
            {d.fallback && <Pending what="/api/renewals/calendar" testId="renewal-calendar-fallback">{t('renewals.calendarFallback')}</Pending>}
            <RenewalCalendar months={d.months || []} />
          </>
        )}
      </LoadState>
    </Card>
  );
}

function AtRisk() {
  const { t, tOr, lang } = useI18n();
  const [days, setDays] = useState(90);
  const [below, setBelow] = useState(50);
  const params = { days, below };
  const state = useAsync(() => api.get(`/api/renewals/at-risk${qs(params)}`), [days, below]);
  return (
    <Card title={t('renewals.atRisk')} testId="renewal-at-risk"
      actions={(
        <span className="inline wrap">
          <label className="inline sc-nowrap">{t('renewals.withinDays')}
            <select className="input input-small" value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="at-risk-days">
              {[30, 60, 90, 180, 365].map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <label className="inline sc-nowrap">{t('renewals.healthBelow')}
            <select className="input input-small" value={below} onChange={(e) => setBelow(Number(e.target.value))} data-testid="at-risk-below">
              {[30, 40, 50, 60, 70, 80].map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <ExportButtons path="/api/renewals/at-risk/export" params={params} prefix="renewals-at-risk" testId="at-risk-export" />
        </span>
      )}>
      <LoadState state={state} what="/api/renewals/at-risk">
        {(d) => {
          const items = d.renewals || d.items || [];
          if (items.length === 0) return <Empty>{t('renewals.noRisk')}</Empty>;
          return (
            <div className="table-wrap">
              <table className="table rec-table" data-testid="at-risk-table">
                <thead>
                  <tr>
                    <th>{t('renewals.account')}</th><th>{t('renewals.date')}</th><th className="num">ARR</th>
                    <th>{tOr('field.owner', 'owner')}</th><th>{tOr('field.status', 'status')}</th>
                    <th className="num">{t('renewals.health')}</th><th>{t('renewals.parts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => {
                    const h = r.health || {};
                    const score = r.health_score ?? r.score ?? h.score;
                    return (
                      <tr key={`${r.id ?? 'a'}-${r.account_id}`} data-testid="at-risk-row">
                        <td><a href={`#/accounts/${r.account_id}`}>{r.account_name || `#${r.account_id}`}</a></td>
                        <td className="nowrap">{r.renewal_date}{r.days_left !== undefined ? <small className="muted"> · {t('sales.daysLeft', { n: r.days_left })}</small> : null}</td>
                        <td className="num">{fmtNum(lang, r.arr)}</td>
                        <td>{r.owner || '–'}</td>
                        <td>{r.from_account ? t('renewals.fromAccount') : choiceLabel(tOr, 'renewals', 'status', r.status)}</td>
                        <td className="num"><strong className={Number(score) < 30 ? 'text-danger' : 'text-amber'}>{score === undefined || score === null ? '–' : Math.round(Number(score) * 10) / 10}</strong></td>
                        <td><HealthParts parts={r.parts || h.parts} /></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          );
        }}
      </LoadState>
    </Card>
  );
}

export default function Renewals({ tz, params }) {
  const { t, tOr } = useI18n();
  const thisMonth = todayIn(tz).slice(0, 7);
  const [from, setFrom] = useState((params && params.from) || thisMonth);
  const [to, setTo] = useState((params && params.to) || addMonths(thisMonth, 11));
  const [creating, setCreating] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const bad = from > to;
  return (
    <div className="page" data-testid="renewals-page">
      <div className="page-head">
        <div>
          <h1>{t('nav.renewals')}</h1>
          <p className="muted">{t('renewals.subtitle')}</p>
        </div>
      </div>
      <div className="toolbar">
        <label className="field"><span>{t('renewals.from')}</span>
          <input type="month" className="input" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} data-testid="renewals-from" />
        </label>
        <label className="field"><span>{t('renewals.to')}</span>
          <input type="month" className="input" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} data-testid="renewals-to" />
        </label>
      </div>
      {bad ? <ErrorBox error={{ message: t('renewals.badRange') }} /> : <Calendar key={`${from}-${to}-${reloadKey}`} from={from} to={to} />}
      <AtRisk />
      <RecordTable
        resource="renewals"
        title={t('renewals.records')}
        columns={['account_id', 'renewal_date', 'arr', 'owner', 'status', 'lost_reason']}
        filters={['status', 'owner', 'account_id', 'renewal_date']}
        sort="renewal_date" order="asc"
        reloadKey={reloadKey}
        tz={tz}
        testId="renewals"
        actions={<button type="button" className="btn btn-small btn-primary" onClick={() => setCreating(true)} data-testid="renewal-new">+ {t('renewals.new')}</button>}
      />
      {creating && (
        <Drawer title={t('renewals.new')} onClose={() => setCreating(false)} testId="renewal-drawer">
          <RecordForm resource="renewals" tz={tz} onCancel={() => setCreating(false)}
            onSaved={() => { setCreating(false); setReloadKey((k) => k + 1); }}
            submitLabel={tOr('rec.create', 'OK')} />
        </Drawer>
      )}
    </div>
  );
}
