// The decision-chain map of one opportunity, drawn from GET
// /api/opportunities/ID/decision-chain (the page loads it and passes `chain`):
// the chain roles in order (user → evaluator → budget_holder → decision_maker
// → signer, then other roles), each as met and active in the product
// ("engaged"), met only, active only or missing, with its stakeholders
// coloured by stance; then, per decision step, the drivers and frictions noted
// on the opportunity (decision_notes), editable here (PATCH the opportunity).
import { useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtNum } from '../format.js';
import { ErrorBox } from '../components/common.jsx';
import { roleLabel } from '../views/CoverageView.jsx';
import { CHAIN_ROLES, linesToList, listToLines, patch } from './util.js';
import './pipeline.css';

const STATUSES = ['engaged', 'met', 'active_only', 'missing'];

function RoleNode({ r }) {
  const { t, tOr, lang } = useI18n();
  const people = r.stakeholders || [];
  return (
    <div className={`pl-node pl-node-${r.status}`} data-testid="chain-role" data-role={r.role} data-status={r.status}>
      <div className="pl-node-head">
        <strong>{roleLabel(tOr, r.role)}</strong>
        <span className="pl-node-status" data-testid="chain-role-status">{t(`pl.chain.${r.status}`)}</span>
      </div>
      <div className="pl-node-flags small">
        <span className={r.met ? 'pl-flag pl-flag-on' : 'pl-flag'} data-testid="chain-role-met" data-value={r.met ? 1 : 0}>
          {r.met ? '✓' : '○'} {t('pl.chain.metFlag')}
        </span>
        <span className={r.active ? 'pl-flag pl-flag-on' : 'pl-flag'} data-testid="chain-role-active" data-value={r.active_people || 0}>
          {r.active ? '✓' : '○'} {t('pl.chain.activeFlag', { n: fmtNum(lang, r.active_people || 0) })}
        </span>
      </div>
      {people.length > 0 ? (
        <ul className="pl-node-people">
          {people.map((s) => (
            <li key={s.id} className={`pl-stance pl-stance-${s.stance || 'neutral'}`} data-testid="chain-stakeholder" data-stance={s.stance}>
              <span className="pl-stance-dot" aria-hidden="true" />
              <span className="pl-node-name">{s.contact_name || s.contact_id}</span>
              <span className="muted small">{t(`pl.stance.${s.stance || 'neutral'}`)}{s.engagement ? ` · ${t(`pl.engagement.${s.engagement}`)}` : ''}</span>
            </li>
          ))}
        </ul>
      ) : (
        <div className="muted small pl-node-none">{t('pl.chain.noStakeholder')}</div>
      )}
    </div>
  );
}

function StepsEditor({ opportunity, onSaved, onCancel }) {
  const { t } = useI18n();
  const [rows, setRows] = useState(() => (opportunity.decision_notes || []).map((n) => ({
    step: n.step || '', drivers: listToLines(n.drivers), frictions: listToLines(n.frictions),
  })));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const set = (i, k, v) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const notes = rows.filter((r) => r.step.trim() || r.drivers.trim() || r.frictions.trim())
        .map((r) => ({ step: r.step.trim(), drivers: linesToList(r.drivers), frictions: linesToList(r.frictions) }));
      await patch(`/api/opportunities/${encodeURIComponent(opportunity.id)}`, { decision_notes: notes });
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="pl-steps-edit" onSubmit={save} data-testid="chain-steps-form">
      {rows.map((r, i) => (
        <div className="pl-step-edit" key={i} data-testid="chain-step-edit">
          <label className="field">
            <span>{t('pl.chain.step')}</span>
            <input className="input" value={r.step} onChange={(e) => set(i, 'step', e.target.value)} placeholder={t('pl.chain.stepPlaceholder')} data-testid="chain-step-name" />
          </label>
          <label className="field">
            <span>{t('pl.chain.drivers')} · {t('pl.onePerLine')}</span>
            <textarea className="input pl-textarea" rows={3} value={r.drivers} onChange={(e) => set(i, 'drivers', e.target.value)} data-testid="chain-step-drivers" />
          </label>
          <label className="field">
            <span>{t('pl.chain.frictions')} · {t('pl.onePerLine')}</span>
            <textarea className="input pl-textarea" rows={3} value={r.frictions} onChange={(e) => set(i, 'frictions', e.target.value)} data-testid="chain-step-frictions" />
          </label>
          <button type="button" className="btn btn-small btn-ghost link-danger" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>{t('pl.remove')}</button>
        </div>
      ))}
      <ErrorBox error={error} />
      <div className="inline">
        <button type="button" className="btn btn-small" onClick={() => setRows((rs) => [...rs, { step: '', drivers: '', frictions: '' }])} data-testid="chain-step-add">＋ {t('pl.chain.addStep')}</button>
        <span className="grow" />
        <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>{t('pl.cancel')}</button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-testid="chain-steps-save">{busy ? t('common.saving') : t('pl.save')}</button>
      </div>
    </form>
  );
}

export default function DecisionChainMap({ chain, onChanged }) {
  const { t, tOr, lang } = useI18n();
  const [editing, setEditing] = useState(false);
  const roles = chain.roles || [];
  const inChain = roles.filter((r) => CHAIN_ROLES.includes(r.role));
  const others = roles.filter((r) => !CHAIN_ROLES.includes(r.role));
  const steps = chain.steps || [];
  const missing = chain.missing || [];
  const sep = lang === 'en' ? ', ' : '、';

  return (
    <div className="pl-chain" data-testid="chain-map">
      <div className="pl-chain-legend small">
        {STATUSES.map((s) => (
          <span key={s} className={`pl-legend pl-legend-${s}`}><span className="pl-legend-swatch" aria-hidden="true" />{t(`pl.chain.${s}`)}</span>
        ))}
        <span className="pl-legend-sep" />
        {['supporter', 'neutral', 'blocker'].map((s) => (
          <span key={s} className={`pl-stance pl-stance-${s}`}><span className="pl-stance-dot" aria-hidden="true" />{t(`pl.stance.${s}`)}</span>
        ))}
      </div>
      <div className="pl-chain-flow" role="list" aria-label={t('pl.chain.title')}>
        {inChain.map((r, i) => (
          <div className="pl-chain-cell" role="listitem" key={r.role}>
            {i > 0 && <span className="pl-chain-arrow" aria-hidden="true">→</span>}
            <RoleNode r={r} />
          </div>
        ))}
      </div>
      {others.length > 0 && (
        <>
          <h3 className="pl-h3">{t('pl.chain.otherRoles')}</h3>
          <div className="pl-chain-flow pl-chain-others" role="list">
            {others.map((r) => <div className="pl-chain-cell" role="listitem" key={r.role}><RoleNode r={r} /></div>)}
          </div>
        </>
      )}
      <div className={missing.length ? 'state state-warn pl-chain-missing' : 'pl-chain-missing text-ok'} data-testid="chain-missing" data-value={missing.join(',')}>
        {missing.length
          ? t('pl.chain.missingList', { roles: missing.map((r) => roleLabel(tOr, r)).join(sep) })
          : t('pl.chain.complete')}
      </div>

      <div className="pl-steps-head">
        <h3 className="pl-h3">{t('pl.chain.steps')}</h3>
        {!editing && (
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)} data-testid="chain-steps-edit">{t('pl.edit')}</button>
        )}
      </div>
      {editing ? (
        <StepsEditor
          opportunity={chain.opportunity || {}}
          onCancel={() => setEditing(false)}
          onSaved={() => { setEditing(false); onChanged(); }}
        />
      ) : steps.length ? (
        <div className="pl-steps">
          {steps.map((s, i) => (
            <div className="pl-step" key={`${s.step}-${i}`} data-testid="chain-step">
              <div className="pl-step-title"><span className="pl-step-num">{i + 1}</span>{s.step}</div>
              <div className="pl-step-cols">
                <div>
                  <div className="pl-step-label text-ok">↑ {t('pl.chain.drivers')}</div>
                  <ul className="pl-step-list pl-drivers">
                    {(s.drivers || []).map((d, j) => <li key={j}>{d}</li>)}
                    {!(s.drivers || []).length && <li className="muted">–</li>}
                  </ul>
                </div>
                <div>
                  <div className="pl-step-label text-danger">↓ {t('pl.chain.frictions')}</div>
                  <ul className="pl-step-list pl-frictions">
                    {(s.frictions || []).map((d, j) => <li key={j}>{d}</li>)}
                    {!(s.frictions || []).length && <li className="muted">–</li>}
                  </ul>
                </div>
              </div>
            </div>
          ))}
        </div>
      ) : (
        <div className="muted small">{t('pl.chain.noSteps')}</div>
      )}
    </div>
  );
}
