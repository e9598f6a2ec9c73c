// A partner's points ledger with the running balance, newest first. Used by
// pages/growth/PartnerDetail.jsx.
// Props: entries = ledger entries oldest first ({id, kind, points (signed),
// reason, idempotency_key, recorded_by, created_at, balance?}); when an entry has
// no "balance" (running_balance) the running sum is computed here.
import { useI18n } from '../../i18n.jsx';
import { fmtNum, fmtTime } from '../../format.js';
import { Empty } from '../../components/common.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import './success.css';

export function withRunningBalance(entries) {
  let sum = 0;
  return entries.map((e) => {
    sum += Number(e.points) || 0;
    const given = e.balance ?? e.running_balance;
    return { ...e, balance: given === undefined || given === null ? sum : given };
  });
}

export default function Ledger({ entries, tz }) {
  const { t, tOr, lang } = useI18n();
  if (!entries || entries.length === 0) return <Empty>{t('points.noEntries')}</Empty>;
  const rows = withRunningBalance(entries).slice().reverse();
  return (
    <div className="table-wrap">
      <table className="table rec-table" data-testid="ledger-table">
        <thead>
          <tr>
            <th>{t('points.when')}</th><th>{tOr('field.point_entries.kind', 'kind')}</th>
            <th className="num">{t('points.points')}</th><th className="num">{t('points.runningBalance')}</th>
            <th>{tOr('field.point_entries.reason', 'reason')}</th><th>{tOr('field.point_entries.recorded_by', 'recorded_by')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => {
            const n = Number(e.points) || 0;
            return (
              <tr key={e.id ?? e.idempotency_key} data-testid="ledger-row" data-kind={e.kind}>
                <td className="nowrap">{fmtTime(lang, e.created_at, tz)}</td>
                <td>{choiceLabel(tOr, 'point_entries', 'kind', e.kind)}</td>
                <td className={`num ${n < 0 ? 'sc-neg-num' : 'sc-pos-num'}`} data-testid="ledger-points">{n > 0 ? '+' : ''}{fmtNum(lang, n)}</td>
                <td className="num" data-testid="ledger-balance"><strong>{fmtNum(lang, e.balance)}</strong></td>
                <td>{e.reason || '–'}</td>
                <td>{e.recorded_by || '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
