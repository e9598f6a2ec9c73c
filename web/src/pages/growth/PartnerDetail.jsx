// A partner (#/partners/ID): its fields, points balance and tier, the ledger
// with the running balance (GET /api/partners/ID/ledger, exportable), and two
// forms — add points (earn kinds or a penalty) and redeem — posting to
// POST /api/partners/ID/points with an idempotency key per form fill (see
// growth/success/PointsForm.jsx). When this server has no ledger endpoint yet the
// ledger is read from the point_entries records (running balance summed here)
// and says so.
import { useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtNum } from '../../format.js';
import { Card, ErrorBox, Loading } from '../../components/common.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import Ledger, { withRunningBalance } from '../../growth/success/Ledger.jsx';
import PointsForm from '../../growth/success/PointsForm.jsx';
import { LoadState, Pending, isMissing, listOf } from '../../growth/success/Pending.jsx';
import { TierBadge, rankRow } from '../../growth/success/Tiers.jsx';
import ExportButtons from '../../growth/success/ExportButtons.jsx';

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
