// A partner (#/partners/ID): its fields, the account of its own company (a
// RefPicker saving PATCH /api/partners/ID {account_id}; the partner's points entries
// are then events on that account's timeline — none without an account, see
// docs/growth/partners.md), points balance and tier, the ledger
// with the running balance (GET /api/partners/ID/ledger, exportable), and two
// forms — add points (earn kinds or a penalty) and redeem — posting to
// POST /api/partners/ID/points with an idempotency key per form fill (see
// growth/success/PointsForm.jsx). When this server has no ledger endpoint yet the
// ledger is read from the point_entries records (running balance summed here)
// and says so.
import { useState } from 'react';
import { api, qs, request } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtNum } from '../../format.js';
import { Card, ErrorBox, Loading } from '../../components/common.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import { RefPicker } from '../../records/RefPicker.jsx';
import Ledger, { withRunningBalance } from '../../growth/success/Ledger.jsx';
import PointsForm from '../../growth/success/PointsForm.jsx';
import { LoadState, Pending, isMissing, listOf } from '../../growth/success/Pending.jsx';
import { TierBadge, rankRow } from '../../growth/success/Tiers.jsx';
import ExportButtons from '../../growth/success/ExportButtons.jsx';

// The partner's account: its link, and a picker that saves at once (clearing unlinks).
function PartnerAccount({ partner, onSaved }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const save = async (accountId) => {
    setBusy(true);
    setError(null);
    try {
      const d = await request('PATCH', `/api/partners/${partner.id}`, { account_id: accountId });
      onSaved(d.record);
      setEditing(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="inline wrap" data-testid="partner-account">
      <small className="muted">{t('partners.account')}</small>
      {editing ? (
        <RefPicker resource="accounts" value={partner.account_id ?? null} label={partner.account_name || ''}
          onChange={(accountId) => save(accountId)} disabled={busy} testId="partner-account-picker"
          placeholder={t('partners.accountPick')} />
      ) : partner.account_id ? (
        <a href={`#/accounts/${partner.account_id}`} data-testid="partner-account-link">{partner.account_name || `#${partner.account_id}`}</a>
      ) : (
        <span className="muted" data-testid="partner-account-none">{t('partners.noAccount')}</span>
      )}
      <button type="button" className="btn btn-small btn-ghost" onClick={() => { setEditing((e) => !e); setError(null); }} data-testid="partner-account-edit">
        {editing ? t('partners.accountDone') : t('rec.edit')}
      </button>
      {error && <span className="text-danger small" data-testid="partner-account-error">{error.message}</span>}
      <small className="muted help">{t('partners.accountHelp')}</small>
    </div>
  );
}

export default function PartnerDetail({ id, tz }) {
  const { t, tOr, lang } = useI18n();
  const [tick, setTick] = useState(0);
  const partner = useAsync(() => api.get(`/api/partners/${id}`), [id]);
  const ledger = useAsync(async () => {
    try {
      const d = await api.get(`/api/partners/${id}/ledger`);
      return { ...d, entries: listOf(d, 'entries', 'ledger'), fallback: false };
    } catch (e) {
      if (!isMissing(e)) throw e;
      const d = await api.get(`/api/point_entries${qs({ partner_id: id, sort: 'created_at', order: 'asc', limit: 500 })}`);
      return { entries: d.records || [], fallback: true };
    }
  }, [id, tick]);
  const ranking = useAsync(() => api.get('/api/partners/ranking').catch(() => null), [id, tick]);

  if (partner.error) return <div className="page"><ErrorBox error={partner.error} onRetry={partner.reload} /></div>;
  if (!partner.data) return <div className="page"><Loading /></div>;
  const p = partner.data.record;
  const entries = ledger.data ? ledger.data.entries : [];
  const computed = withRunningBalance(entries);
  const balance = ledger.data
    ? (typeof ledger.data.balance === 'number' ? ledger.data.balance : computed.length ? computed[computed.length - 1].balance : 0)
    : null;
  const rank = ranking.data ? listOf(ranking.data, 'partners', 'ranking').map(rankRow).find((r) => String(r.id) === String(id)) : null;
  const refresh = () => setTick((n) => n + 1);

  return (
    <div className="page" data-testid="partner-page">
      <div className="page-head">
        <div>
          <p className="muted"><a href="#/partners">← {t('nav.partners')}</a></p>
          <h1 data-testid="partner-name">{p.name}</h1>
          <PartnerAccount partner={p} onSaved={(r) => partner.setData({ record: r })} />
          <p className="muted">
            {[choiceLabel(tOr, 'partners', 'kind', p.kind), p.certification && choiceLabel(tOr, 'partners', 'certification', p.certification), p.region, p.contact, p.owner].filter((x) => x && x !== '–').join(' · ')}
          </p>
        </div>
        <div className="inline">
          {rank && <TierBadge tier={rank.tier} />}
          <div>
            <small className="muted">{t('partners.balance')}</small>
            <div className="sc-balance" data-testid="partner-balance">{balance === null ? '–' : fmtNum(lang, balance)}</div>
          </div>
        </div>
      </div>
      {rank && (
        <p className="muted" data-testid="partner-rank">
          {t('partners.rankLine', { rank: rank.rank ?? '–', earned: fmtNum(lang, rank.earned) })}
          {rank.next ? ` · ${t('partners.toGo', { n: fmtNum(lang, rank.toGo), tier: tOr(`partners.tier.${rank.next}`, rank.next) })}` : ''}
        </p>
      )}
      <div className="grid-2">
        <Card title={t('points.addTitle')} testId="partner-earn">
          <PointsForm partnerId={id} mode="earn" onDone={refresh} />
        </Card>
        <Card title={t('points.redeemTitle')} testId="partner-redeem">
          <PointsForm partnerId={id} mode="redeem" balance={balance} onDone={refresh} />
        </Card>
      </div>
      <Card title={t('points.ledger')} testId="partner-ledger"
        actions={<ExportButtons path={`/api/partners/${id}/ledger/export`} params={{}} prefix={`partner-${id}-ledger`} testId="ledger-export" />}>
        <LoadState state={ledger} what={`/api/partners/${id}/ledger`}>
          {(d) => (
            <>
              {d.fallback && <Pending what={`/api/partners/${id}/ledger`} testId="ledger-fallback">{t('points.ledgerFallback')}</Pending>}
              <Ledger entries={d.entries} tz={tz} />
            </>
          )}
        </LoadState>
      </Card>
    </div>
  );
}
