// The renewal calendar: one box per month, each renewal as a card (account,
// date, ARR, owner, status, risk). Used by pages/growth/Renewals.jsx.
//
// Props: months = [{month:"2026-12", renewals:[{id, account_id, account_name,
// renewal_date, arr, owner, status, risk, from_account}]}] (the answer of
// GET /api/renewals/calendar), lang.
// A renewal with from_account: true has no renewal record yet (the account's
// renewal_date trait only); it links to the account and says so.
import { useI18n } from '../../i18n.jsx';
import { fmtNum } from '../../format.js';
import { Empty } from '../../components/common.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import './success.css';

// risk may be a word (high|medium|low) or a health score (lower = riskier).
export function riskLevel(risk) {
  if (risk === null || risk === undefined || risk === '') return '';
  if (typeof risk === 'number') return risk < 50 ? 'high' : risk < 70 ? 'medium' : 'low';
  return String(risk);
}

// Groups renewal records (GET /api/renewals) by month: the console-side
// fallback when the calendar endpoint is not there.
export function monthsFromRecords(records) {
  const by = new Map();
  for (const r of records) {
    const m = (r.renewal_date || '').slice(0, 7);
    if (!m) continue;
    if (!by.has(m)) by.set(m, []);
    by.get(m).push(r);
  }
  return [...by.keys()].sort().map((month) => ({
    month,
    renewals: by.get(month).sort((a, b) => String(a.renewal_date).localeCompare(String(b.renewal_date))),
  }));
}

export default function RenewalCalendar({ months }) {
  const { t, tOr, lang } = useI18n();
  if (!months || months.length === 0) return <Empty>{t('renewals.none')}</Empty>;
  return (
    <div className="sc-calendar" data-testid="renewal-calendar">
      {months.map((m) => {
        const arr = (m.renewals || []).reduce((s, r) => s + (Number(r.arr) || 0), 0);
        return (
          <section key={m.month} className="sc-month" data-testid="renewal-month" data-month={m.month}>
            <header className="sc-month-head">
              <h3>{m.month}</h3>
              <small>{t('renewals.monthSum', { n: (m.renewals || []).length, arr: fmtNum(lang, arr) })}</small>
            </header>
            {(m.renewals || []).length === 0 && <p className="sc-month-empty">–</p>}
            <ul>
              {(m.renewals || []).map((r) => {
                const risk = riskLevel(r.risk);
                const href = `#/accounts/${r.account_id}`;
                return (
                  <li key={`${r.from_account ? 'a' : 'r'}-${r.id ?? r.account_id}`}
                    className={`sc-renewal${risk ? ` sc-risk-${risk}` : ''}${r.status ? ` sc-status-${r.status}` : ''}`}
                    data-testid="renewal-card" title={r.health_score !== undefined && r.health_score !== null ? t('renewals.healthScore', { n: Math.round(r.health_score) }) : undefined}>
                    <div className="sc-renewal-line">
                      <a href={href} title={r.account_name}>{r.account_name || `#${r.account_id}`}</a>
                      <span className="nowrap">{fmtNum(lang, r.arr)}</span>
                    </div>
                    <div className="sc-renewal-line muted">
                      <span>{r.renewal_date}{r.owner ? ` · ${r.owner}` : ''}</span>
                      <span>
                        {r.from_account
                          ? <span className="badge" title={t('renewals.fromAccountHint')}>{t('renewals.fromAccount')}</span>
                          : <span className={`badge ${r.status === 'signed' ? 'badge-green' : r.status === 'lost' ? 'badge-red' : r.status === 'in_progress' ? 'badge-blue' : ''}`}>{choiceLabel(tOr, 'renewals', 'status', r.status)}</span>}
                        {risk === 'high' && <span className="badge badge-red" data-testid="renewal-risk"> {t('renewals.risk')}</span>}
                      </span>
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
