// Opportunity page (#/opportunities/ID): the header with its stage switch, the
// fields (editable), the decision-chain map (GET .../decision-chain) with the
// decision steps, the stakeholders, the communication plan per role, the
// pre-sales brief and the visits of this opportunity. Every write reloads the
// opportunity and the chain, so the map always shows what the server has.
import { useCallback, useMemo, useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtTime } from '../../format.js';
import { Card, Empty, ErrorBox, Loading } from '../../components/common.jsx';
import DecisionChainMap from '../../pipeline/DecisionChainMap.jsx';
import Stakeholders from '../../pipeline/Stakeholders.jsx';
import CommPlan from '../../pipeline/CommPlan.jsx';
import OppFieldsForm, { OppFieldsView } from '../../pipeline/OppFields.jsx';
import PresalesBrief from '../../pipeline/PresalesBrief.jsx';
import { CHAIN_ROLES, fmtMoney, outcomeBadge, patch, stageLabel } from '../../pipeline/util.js';
import { useStages } from '../../pipeline/useStages.js';
import '../../pipeline/pipeline.css';

const DAYS = [7, 30, 90];

function Visits({ opportunityId, tz }) {
  const { t, tOr, lang } = useI18n();
  const res = useAsync(() => api.get(`/api/visits${qs({ opportunity_id: opportunityId, sort: 'held_at', order: 'desc', limit: 50 })}`), [opportunityId]);
  if (res.loading && !res.data) return <Loading />;
  if (res.error) return <ErrorBox error={res.error} onRetry={res.reload} />;
  const rows = (res.data && res.data.records) || [];
  if (!rows.length) return <Empty>{t('pl.visits.none')}</Empty>;
  return (
    <div className="table-wrap">
      <table className="table table-hover" data-testid="opp-visits">
        <thead>
          <tr>
            <th>{t('pl.visits.when')}</th>
            <th>{t('pl.visits.kind')}</th>
            <th>{t('pl.visits.title')}</th>
            <th>{t('pl.visits.status')}</th>
            <th className="num">{t('pl.visits.attendees')}</th>
            <th>{t('pl.owner')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((v) => (
            <tr key={v.id}>
              <td className="nowrap">{fmtTime(lang, v.held_at, tz)}</td>
              <td>{tOr(`pl.visitKind.${v.kind}`, v.kind)}</td>
              <td><a href={`#/visits/${v.id}`}>{v.title}</a></td>
              <td>{tOr(`pl.visitStatus.${v.status}`, v.status)}</td>
              <td className="num">{(v.attendees || []).length}</td>
              <td>{v.owner || '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function OpportunityDetail({ id, tz }) {
  const { t, tOr, lang } = useI18n();
  const [days, setDays] = useState(30);
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState(false);
  const [stageError, setStageError] = useState(null);
  const [stageBusy, setStageBusy] = useState(false);

  const opp = useAsync(() => api.get(`/api/opportunities/${encodeURIComponent(id)}`), [id, version]);
  const chain = useAsync(() => api.get(`/api/opportunities/${encodeURIComponent(id)}/decision-chain${qs({ days })}`), [id, days, version]);
  const { stages } = useStages();
  const record = opp.data && opp.data.record;
  const accountId = record && record.account_id;
  const contactsRes = useAsync(
    () => (accountId ? api.get(`/api/contacts${qs({ account_id: accountId, limit: 500, sort: 'name', order: 'asc' })}`) : Promise.resolve({ records: [] })),
    [accountId],
  );
  const contacts = (contactsRes.data && contactsRes.data.records) || [];
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  // Role choices: the decision roles, then any other role the chain knows.
  const roles = useMemo(() => {
    const out = [...CHAIN_ROLES];
    for (const r of (chain.data && chain.data.roles) || []) if (r.role && !out.includes(r.role)) out.push(r.role);
    for (const c of contacts) if (c.role && !out.includes(c.role)) out.push(c.role);
    return out;
  }, [chain.data, contacts]);

  if (opp.loading && !opp.data) return <div className="page"><Loading /></div>;
  if (opp.error && !opp.data) {
    return (
      <div className="page" data-testid="opportunity-page">
        <a href="#/opportunities" className="small">← {t('pl.backToList')}</a>
        <ErrorBox error={opp.error} onRetry={opp.reload} />
      </div>
    );
  }
  const o = record || {};
  const stage = stages.find((s) => s.key === o.stage);

  const moveStage = async (to) => {
    if (!to || to === o.stage) return;
    setStageBusy(true);
    setStageError(null);
    try {
      await patch(`/api/opportunities/${encodeURIComponent(o.id)}`, { stage: to });
      changed();
    } catch (e) {
      setStageError(e);
    } finally {
      setStageBusy(false);
    }
  };

  return (
    <div className="page" data-testid="opportunity-page">
      <div className="page-head">
        <div>
          <a href="#/pipeline" className="small">← {t('nav.pipeline')}</a>
          <h1 data-testid="opp-name">{o.name}</h1>
          <p className="muted">
            {o.account_id ? <a href={`#/accounts/${o.account_id}`} data-testid="opp-account">{o.account_name || o.account_id}</a> : null}
            {' · '}{o.amount === null || o.amount === undefined ? '–' : `${fmtMoney(lang, o.amount)} ${o.currency || ''}`}
            {o.owner ? ` · ${o.owner}` : ''}
            {o.expected_close ? ` · ${t('pl.expectedClose')} ${o.expected_close}` : ''}
          </p>
        </div>
        <div className="inline">
          <span className={`badge badge-${outcomeBadge(stage && stage.outcome)}`} data-testid="opp-stage-badge">{stageLabel(tOr, stage || o.stage)}</span>
          <label className="inline small">
            <span className="muted">{t('pl.moveStage')}</span>
            <select className="input" value={o.stage || ''} disabled={stageBusy || !stages.length} onChange={(e) => moveStage(e.target.value)} data-testid="opp-stage-select">
              {!stages.some((s) => s.key === o.stage) && <option value={o.stage || ''}>{o.stage}</option>}
              {stages.map((s) => <option key={s.key} value={s.key}>{stageLabel(tOr, s)}</option>)}
            </select>
          </label>
        </div>
      </div>
      <ErrorBox error={stageError} />
      {opp.error && <ErrorBox error={opp.error} onRetry={opp.reload} />}

      <Card
        title={t('pl.section.fields')}
        testId="opp-fields-card"
        actions={!editing && <button type="button" className="btn btn-small" onClick={() => setEditing(true)} data-testid="opp-edit">{t('pl.edit')}</button>}
      >
        {editing ? (
          <OppFieldsForm opp={o} stages={stages} contacts={contacts} onCancel={() => setEditing(false)} onSaved={() => { setEditing(false); changed(); }} />
        ) : (
          <OppFieldsView opp={o} stages={stages} />
        )}
      </Card>

      <Card
        title={t('pl.chain.title')}
        testId="chain-card"
        className={chain.loading && chain.data ? 'card-busy' : undefined}
        actions={(
          <div className="segmented" role="group" aria-label={t('pl.chain.activeWindow')}>
            {DAYS.map((d) => (
              <button key={d} type="button" className={d === days ? 'active' : ''} onClick={() => setDays(d)} data-testid={`chain-days-${d}`}>
                {t('pl.lastDays', { n: d })}
              </button>
            ))}
          </div>
        )}
      >
        <ErrorBox error={chain.error} onRetry={chain.reload} />
        {chain.loading && !chain.data && <Loading />}
        {chain.data && <DecisionChainMap chain={chain.data} onChanged={changed} />}
      </Card>

      <Card title={t('pl.section.stakeholders')} testId="stakeholders-card">
        {record && <Stakeholders opportunity={o} contacts={contacts} roles={roles} onChanged={changed} />}
      </Card>

      <Card title={t('pl.section.plan')} testId="plan-card">
        {record && <CommPlan key={`${o.id}-${o.updated_at}`} opportunity={o} roles={roles} onSaved={changed} />}
      </Card>

      <Card title={t('pl.section.brief')} testId="brief-card">
        <PresalesBrief opportunityId={id} version={version} />
      </Card>

      <Card
        title={t('pl.section.visits')}
        testId="visits-card"
        actions={o.account_id ? (
          <a className="btn btn-small" href={`#/visits?new=1&account_id=${encodeURIComponent(o.account_id)}&opportunity_id=${encodeURIComponent(o.id)}`} data-testid="opp-new-visit">
            ＋ {t('pl.visits.new')}
          </a>
        ) : null}
      >
        <Visits opportunityId={id} tz={tz} key={version} />
      </Card>
    </div>
  );
}
