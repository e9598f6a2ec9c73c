// Partners (#/partners): the ranking (GET /api/partners/ranking) — partners by
// points earned in the last 12 months, their tier (bronze / silver / gold /
// platinum), progress to the next tier and points to go, priority rank and
// certification — exportable; below, the partner records (create / edit). A
// server without the ranking endpoint shows a notice and the records only.
import { useState } from 'react';
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtNum } from '../../format.js';
import { Card, Empty } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import { LoadState, ProgressBar, listOf } from '../../growth/success/Pending.jsx';
import { TierBadge, rankRow, tierProgress } from '../../growth/success/Tiers.jsx';
import ExportButtons from '../../growth/success/ExportButtons.jsx';

function Ranking() {
  const { t, tOr, lang } = useI18n();
  const state = useAsync(() => api.get('/api/partners/ranking'), []);
  return (
    <Card title={t('partners.ranking')} testId="partners-ranking"
      actions={<ExportButtons path="/api/partners/ranking/export" params={{}} prefix="partner-ranking" testId="ranking-export" />}>
      <LoadState state={state} what="/api/partners/ranking">
        {(d) => {
          const rows = listOf(d, 'partners', 'ranking').map(rankRow);
          if (rows.length === 0) return <Empty>{t('partners.none')}</Empty>;
          return (
            <table className="table rec-table" data-testid="ranking-table">
              <thead>
                <tr>
                  <th className="num">{t('partners.rank')}</th><th>{t('partners.partner')}</th>
                  <th>{tOr('field.partners.certification', 'certification')}</th>
                  <th className="num">{t('partners.earned12m')}</th><th>{t('partners.tierCol')}</th>
                  <th>{t('partners.nextTier')}</th><th className="num">{t('partners.balance')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} data-testid="ranking-row">
                    <td className="num">{r.rank ?? '–'}</td>
                    <td><a href={`#/partners/${r.id}`}>{r.name || `#${r.id}`}</a>{r.kind ? <small className="muted"> · {choiceLabel(tOr, 'partners', 'kind', r.kind)}</small> : null}</td>
                    <td>{r.certification ? choiceLabel(tOr, 'partners', 'certification', r.certification) : '–'}</td>
                    <td className="num">{fmtNum(lang, r.earned)}</td>
                    <td><TierBadge tier={r.tier} /></td>
                    <td style={{ minWidth: 200 }}>
                      {r.next
                        ? <ProgressBar pct={r.progress ?? tierProgress(r.tier, r.next, r.earned)} label={t('partners.toGo', { n: fmtNum(lang, r.toGo), tier: tOr(`partners.tier.${r.next}`, r.next) })} testId="tier-progress" />
                        : <span className="muted">{t('partners.topTier')}</span>}
                    </td>
                    <td className="num">{fmtNum(lang, r.balance)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </LoadState>
    </Card>
  );
}

export default function Partners({ tz }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(null);
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <div className="page" data-testid="partners-page">
      <div className="page-head">
        <div>
          <h1>{t('nav.partners')}</h1>
          <p className="muted">{t('partners.subtitle')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setEditing({})} data-testid="partners-new">＋ {t('partners.new')}</button>
      </div>
      <Ranking key={reloadKey} />
      <RecordTable
        resource="partners"
        title={t('partners.records')}
        columns={['name', 'kind', 'certification', 'region', 'contact', 'owner']}
        filters={['kind', 'certification', 'region', 'owner']}
        rowLink={(r) => `/partners/${r.id}`}
        rowActions={(r) => <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(r)} data-testid="partner-edit">{t('playbooks.edit')}</button>}
        reloadKey={reloadKey}
        tz={tz}
        testId="partners"
      />
      {editing && (
        <Drawer title={editing.id ? editing.name : t('partners.new')} onClose={() => setEditing(null)} testId="partner-drawer">
          <RecordForm resource="partners" record={editing.id ? editing : null} tz={tz}
            onCancel={() => setEditing(null)}
            onSaved={() => { setEditing(null); setReloadKey((k) => k + 1); }} />
        </Drawer>
      )}
    </div>
  );
}
