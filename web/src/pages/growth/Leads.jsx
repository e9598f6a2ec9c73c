// Leads (#/leads?validity=&status=&source=&campaign_id=&id=): every lead in the
// generic record table with validity / status / source / owner / campaign
// filters; the score (0–100, computed by the server) opens its explanation
// (GET /api/leads/ID/score); first-response time in hours (first_response_at −
// created_at). "Recompute scores" POSTs /api/leads/score (contract E1). A row
// opens the lead in the record form; ?id= opens that lead at once.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import Drawer from '../../records/Drawer.jsx';
import LeadScore from '../../growth/marketing/LeadScore.jsx';
import LoadError from '../../growth/marketing/Unavailable.jsx';
import { hoursBetween, num } from '../../growth/marketing/util.js';
import { StatusBadge } from './Campaigns.jsx';
import '../../growth/marketing/marketing.css';

const LEAD_FIELDS = ['name', 'source', 'campaign_id', 'content_id', 'partner_id', 'channel', 'keyword', 'account_id', 'contact_id',
  'validity', 'invalid_reason', 'owner', 'status', 'first_response_at', 'notes'];

// Score as a coloured pill (≥ 70 high, ≥ 40 middle).
function ScorePill({ score, onClick }) {
  const { t } = useI18n();
  if (score === null || score === undefined) return <span className="muted">–</span>;
  const cls = score >= 70 ? 'mk-score-high' : score >= 40 ? 'mk-score-mid' : 'mk-score-low';
  return <button type="button" className={`mk-score-pill ${cls}`} onClick={onClick} title={t('mk.leads.explain')} data-testid="lead-score-open" data-score={score}>{score}</button>;
}

// The columns of a lead table; onScore(lead) opens the score explanation.
export function leadColumns({ t, lang, onScore, withCampaign = true }) {
  return [
    'name',
    { key: 'score', label: t('mk.leads.score'), sortable: true, num: true, render: (r) => <ScorePill score={r.score} onClick={onScore ? () => onScore(r) : undefined} /> },
    { key: 'validity', sortable: true, render: (r) => <StatusBadge resource="leads" field="validity" value={r.validity} /> },
    { key: 'status', sortable: true, render: (r) => <StatusBadge resource="leads" value={r.status} /> },
    'source',
    ...(withCampaign ? ['campaign_id'] : []),
    'account_id',
    'owner',
    {
      key: 'first_response_at',
      label: t('mk.leads.firstResponse'),
      sortable: true,
      num: true,
      render: (r) => {
        const h = hoursBetween(r.created_at, r.first_response_at);
        if (h === null) return <span className="muted" data-testid="lead-response" data-hours="">{t('mk.leads.noResponse')}</span>;
        return <span data-testid="lead-response" data-hours={h.toFixed(1)} className={h > 24 ? 'mk-slow' : undefined}>{t('mk.leads.hours', { h: num(lang, h, 1) })}</span>;
      },
    },
    'created_at',
  ];
}

export default function Leads({ tz, params }) {
  const { t, lang } = useI18n();
  const [scoring, setScoring] = useState(null);
  const [editing, setEditing] = useState(null); // lead record | 'new'
  const [reloadKey, setReloadKey] = useState(0);
  const [recompute, setRecompute] = useState({ busy: false, error: null, done: null });
  const close = useCallback(() => setEditing(null), []);
  const closeScore = useCallback(() => setScoring(null), []);

  const wantId = params && params.id;
  useEffect(() => {
    if (!wantId) return;
    api.get(`/api/leads/${wantId}`).then((r) => setEditing(r.record), () => {});
  }, [wantId]);

  const initialFilters = useMemo(() => {
    const out = {};
    for (const k of ['validity', 'status', 'source', 'owner']) if (params && params[k]) out[k] = params[k];
    if (params && params.campaign_id) out.campaign_id = Number(params.campaign_id) || params.campaign_id;
    return out;
  }, [params]);
  const columns = useMemo(() => leadColumns({ t, lang, onScore: setScoring }), [t, lang]);

  const runScores = async () => {
    setRecompute({ busy: true, error: null, done: null });
    try {
      const r = await api.post('/api/leads/score', {});
      setRecompute({ busy: false, error: null, done: r || {} });
      setReloadKey((k) => k + 1);
    } catch (e) {
      setRecompute({ busy: false, error: e, done: null });
    }
  };

  return (
    <div className="page" data-testid="leads-page">
      <div className="page-head">
        <div>
          <h1>{t('mk.leads.title')}</h1>
          <p className="muted">{t('mk.leads.subtitle')}</p>
        </div>
        <div className="inline">
          {recompute.done && <span className="muted small" data-testid="leads-rescored">{t('mk.leads.rescored', { n: recompute.done.updated ?? recompute.done.scored ?? recompute.done.count ?? '' })}</span>}
          <button type="button" className="btn" disabled={recompute.busy} onClick={runScores} data-testid="leads-rescore">{recompute.busy ? t('common.saving') : t('mk.leads.rescore')}</button>
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="leads-new">＋ {t('mk.leads.new')}</button>
        </div>
      </div>
      <LoadError error={recompute.error} endpoint="/api/leads/score" />
      <RecordTable
        resource="leads"
        columns={columns}
        filters={['validity', 'status', 'source', 'owner', 'campaign_id', 'created_at']}
        initialFilters={initialFilters}
        rowActions={(r) => <button type="button" className="btn btn-small" onClick={() => setEditing(r)} data-testid="leads-edit">{t('rec.edit')}</button>}
        reloadKey={reloadKey}
        tz={tz}
        testId="leads"
      />
      {scoring && (
        <Drawer title={t('mk.leads.scoreOf', { name: scoring.name })} onClose={closeScore} testId="lead-score-drawer">
          <LeadScore leadId={scoring.id} />
        </Drawer>
      )}
      {editing && (
        <Drawer title={editing === 'new' ? t('mk.leads.new') : editing.name} onClose={close} testId="lead-drawer">
          <RecordForm
            resource="leads"
            record={editing === 'new' ? null : editing}
            fields={LEAD_FIELDS}
            refParams={(path, values) => (path === 'contact_id' && values.account_id ? { account_id: values.account_id } : undefined)}
            onCancel={close}
            onSaved={() => { setEditing(null); setReloadKey((k) => k + 1); }}
            tz={tz}
            testId="lead-form"
          />
          {editing !== 'new' && (
            <div className="mk-drawer-section">
              <h3>{t('mk.leads.scoreOf', { name: editing.name })}</h3>
              <LeadScore leadId={editing.id} />
            </div>
          )}
        </Drawer>
      )}
    </div>
  );
}
