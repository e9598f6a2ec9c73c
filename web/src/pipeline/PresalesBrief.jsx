// The pre-sales brief of an opportunity (GET /api/opportunities/ID/brief): the
// customer's facts (from the account), the brief itself (business process,
// revenue, core needs, intent, products that fit, our project team), the roles
// attending the next visit and the materials to bring for this stage, those
// roles and the industry. The brief is written with POST /api/briefs (first
// time) or PATCH /api/briefs/ID.
import { useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync } from '../hooks.js';
import { Empty, ErrorBox, Loading } from '../components/common.jsx';
import { roleLabel } from '../views/CoverageView.jsx';
import { fmtMoney, linesToList, listToLines, patch } from './util.js';
import './pipeline.css';

function BriefForm({ opportunityId, brief, onSaved, onCancel }) {
  const { t } = useI18n();
  const b = brief || {};
  const [v, setV] = useState({
    business_process: b.business_process || '',
    revenue: b.revenue === null || b.revenue === undefined ? '' : String(b.revenue),
    core_needs: listToLines(b.core_needs),
    intent_level: b.intent_level || '',
    products_fit: listToLines(b.products_fit),
    notes: b.notes || '',
  });
  const [team, setTeam] = useState(() => (b.project_team || []).map((m) => ({ member: m.member || '', responsibility: m.responsibility || '', contact: m.contact || '' })));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setV((x) => ({ ...x, [k]: e.target.value }));
  const setMember = (i, k, val) => setTeam((ts) => ts.map((m, j) => (j === i ? { ...m, [k]: val } : m)));

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      business_process: v.business_process.trim() || null,
      revenue: v.revenue.trim() === '' ? null : Number(v.revenue),
      core_needs: linesToList(v.core_needs),
      intent_level: v.intent_level || null,
      products_fit: linesToList(v.products_fit),
      project_team: team.filter((m) => m.member.trim() || m.responsibility.trim())
        .map((m) => ({ member: m.member.trim(), responsibility: m.responsibility.trim(), ...(m.contact.trim() ? { contact: m.contact.trim() } : {}) })),
      notes: v.notes.trim() || null,
    };
    try {
      if (brief && brief.id) await patch(`/api/briefs/${encodeURIComponent(brief.id)}`, body);
      else await api.post('/api/briefs', { ...body, opportunity_id: opportunityId });
      onSaved();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className="pl-form" onSubmit={submit} data-testid="brief-form">
      <label className="field">
        <span>{t('pl.brief.businessProcess')}</span>
        <textarea className="input pl-textarea" rows={3} value={v.business_process} onChange={set('business_process')} data-testid="brief-business_process" />
      </label>
      <div className="pl-form-grid">
        <label className="field">
          <span>{t('pl.brief.revenue')}</span>
          <input className="input" type="number" min="0" step="any" value={v.revenue} onChange={set('revenue')} data-testid="brief-revenue" />
        </label>
        <label className="field">
          <span>{t('pl.intent')}</span>
          <select className="input" value={v.intent_level} onChange={set('intent_level')} data-testid="brief-intent_level">
            <option value="">–</option>
            {['high', 'medium', 'low'].map((x) => <option key={x} value={x}>{t(`pl.intent.${x}`)}</option>)}
          </select>
        </label>
      </div>
      <div className="grid-2">
        <label className="field">
          <span>{t('pl.brief.coreNeeds')} · {t('pl.onePerLine')}</span>
          <textarea className="input pl-textarea" rows={4} value={v.core_needs} onChange={set('core_needs')} data-testid="brief-core_needs" />
        </label>
        <label className="field">
          <span>{t('pl.brief.productsFit')} · {t('pl.onePerLine')}</span>
          <textarea className="input pl-textarea" rows={4} value={v.products_fit} onChange={set('products_fit')} data-testid="brief-products_fit" />
        </label>
      </div>
      <div className="field">
        <span>{t('pl.brief.team')}</span>
        {team.map((m, i) => (
          <div className="inline pl-team-row" key={i} data-testid="brief-team-row">
            <input className="input" placeholder={t('pl.brief.member')} value={m.member} onChange={(e) => setMember(i, 'member', e.target.value)} aria-label={t('pl.brief.member')} />
            <input className="input grow" placeholder={t('pl.brief.responsibility')} value={m.responsibility} onChange={(e) => setMember(i, 'responsibility', e.target.value)} aria-label={t('pl.brief.responsibility')} />
            <input className="input" placeholder={t('pl.brief.memberContact')} value={m.contact} onChange={(e) => setMember(i, 'contact', e.target.value)} aria-label={t('pl.brief.memberContact')} />
            <button type="button" className="btn btn-small btn-ghost link-danger" onClick={() => setTeam((ts) => ts.filter((_, j) => j !== i))}>{t('pl.remove')}</button>
          </div>
        ))}
        <div><button type="button" className="btn btn-small" onClick={() => setTeam((ts) => [...ts, { member: '', responsibility: '', contact: '' }])} data-testid="brief-team-add">＋ {t('pl.brief.addMember')}</button></div>
      </div>
      <label className="field">
        <span>{t('pl.notes')}</span>
        <textarea className="input pl-textarea" rows={2} value={v.notes} onChange={set('notes')} data-testid="brief-notes" />
      </label>
      <ErrorBox error={error} />
      <div className="inline">
        <span className="grow" />
        <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('pl.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="brief-save">{busy ? t('common.saving') : t('pl.save')}</button>
      </div>
    </form>
  );
}

function List({ items }) {
  if (!items || !items.length) return <span className="muted">–</span>;
  return <ul className="pl-bullets">{items.map((x, i) => <li key={i}>{x}</li>)}</ul>;
}

export default function PresalesBrief({ opportunityId, version }) {
  const { t, tOr, lang } = useI18n();
  const [editing, setEditing] = useState(false);
  const res = useAsync(() => api.get(`/api/opportunities/${encodeURIComponent(opportunityId)}/brief`), [opportunityId, version]);
  if (res.loading && !res.data) return <Loading />;
  if (res.error && !res.data) return <ErrorBox error={res.error} onRetry={res.reload} />;
  const d = res.data || {};
  const acc = d.account || {};
  const brief = d.brief;
  const b = brief || {};
  const materials = d.materials || [];
  const roles = d.attending_roles || [];
  const sep = lang === 'en' ? ', ' : '、';

  if (editing) {
    return (
      <BriefForm
        opportunityId={Number(opportunityId) || opportunityId}
        brief={brief}
        onCancel={() => setEditing(false)}
        onSaved={() => { setEditing(false); res.reload(); }}
      />
    );
  }

  const fact = (label, value) => (
    <div className="pl-dl-item"><dt>{label}</dt><dd>{value === null || value === undefined || value === '' ? '–' : value}</dd></div>
  );
  return (
    <div className="pl-brief" data-testid="brief">
      <ErrorBox error={res.error} onRetry={res.reload} />
      <h3 className="pl-h3">{t('pl.brief.customer')}</h3>
      <dl className="pl-dl" data-testid="brief-customer">
        {fact(t('pl.brief.account'), acc.name)}
        {fact(t('pl.brief.industry'), acc.industry)}
        {fact(t('pl.brief.size'), acc.size)}
        {fact(t('pl.brief.region'), acc.region)}
        {fact(t('pl.brief.level'), acc.level)}
        {fact(t('pl.brief.revenue'), b.revenue ?? acc.revenue ? fmtMoney(lang, b.revenue ?? acc.revenue) : null)}
        {fact(t('pl.brief.employees'), acc.employees ? fmtMoney(lang, acc.employees) : null)}
        {fact(t('pl.intent'), b.intent_level || (d.opportunity && d.opportunity.intent_level) ? t(`pl.intent.${b.intent_level || d.opportunity.intent_level}`) : null)}
      </dl>
      {!brief && <div className="state state-empty" data-testid="brief-empty">{t('pl.brief.none')}</div>}
      {brief && (
        <div className="grid-2">
          <div>
            <h3 className="pl-h3">{t('pl.brief.businessProcess')}</h3>
            <p className="pl-pre">{b.business_process || '–'}</p>
            <h3 className="pl-h3">{t('pl.brief.coreNeeds')}</h3>
            <div data-testid="brief-needs"><List items={b.core_needs} /></div>
            <h3 className="pl-h3">{t('pl.brief.productsFit')}</h3>
            <List items={b.products_fit} />
          </div>
          <div>
            <h3 className="pl-h3">{t('pl.brief.team')}</h3>
            {(b.project_team || []).length ? (
              <table className="table table-inner">
                <thead><tr><th>{t('pl.brief.member')}</th><th>{t('pl.brief.responsibility')}</th><th>{t('pl.brief.memberContact')}</th></tr></thead>
                <tbody>
                  {b.project_team.map((m, i) => <tr key={i}><td>{m.member}</td><td>{m.responsibility}</td><td>{m.contact || '–'}</td></tr>)}
                </tbody>
              </table>
            ) : <span className="muted">–</span>}
            {b.notes && (<><h3 className="pl-h3">{t('pl.notes')}</h3><p className="pl-pre">{b.notes}</p></>)}
          </div>
        </div>
      )}
      <h3 className="pl-h3">{t('pl.brief.materials')}</h3>
      <p className="muted small">{roles.length ? t('pl.brief.attending', { roles: roles.map((r) => roleLabel(tOr, r)).join(sep) }) : t('pl.brief.noAttending')}</p>
      {materials.length ? (
        <ul className="pl-materials" data-testid="brief-materials">
          {materials.map((m) => (
            <li key={m.id}>
              <span className="badge">{tOr(`pl.material.${m.kind}`, m.kind)}</span>{' '}
              {m.url ? <a href={m.url} target="_blank" rel="noreferrer">{m.title}</a> : m.title}
              {m.notes ? <span className="muted small"> · {m.notes}</span> : null}
            </li>
          ))}
        </ul>
      ) : <Empty>{t('pl.brief.noMaterials')}</Empty>}
      <div>
        <button type="button" className="btn btn-small" onClick={() => setEditing(true)} data-testid="brief-edit">{brief ? t('pl.brief.edit') : t('pl.brief.create')}</button>
      </div>
    </div>
  );
}
