// The stakeholders of one opportunity (GET /api/stakeholders?opportunity_id=ID):
// contact of the account × role × stance × engagement, listed, added (POST),
// edited (PATCH) and removed (DELETE) in place. `contacts` are the account's
// contacts; `roles` the role choices (decision roles first). onChanged lets the
// page redraw the decision-chain map.
import { useState } from 'react';
import { api, qs } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync } from '../hooks.js';
import { Empty, ErrorBox, Loading } from '../components/common.jsx';
import { roleLabel } from '../views/CoverageView.jsx';
import { patch } from './util.js';
import RoleSelect from './RoleSelect.jsx';
import './pipeline.css';

const STANCES = ['supporter', 'neutral', 'blocker'];
const ENGAGEMENTS = ['high', 'medium', 'low', 'none'];

function StakeholderForm({ initial, contacts, roles, onSubmit, onCancel, testId }) {
  const { t } = useI18n();
  const [v, setV] = useState({
    contact_id: initial.contact_id ? String(initial.contact_id) : '',
    role: initial.role || '',
    stance: initial.stance || 'neutral',
    engagement: initial.engagement || 'medium',
    notes: initial.notes || '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setV((x) => ({ ...x, [k]: e.target.value }));
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({
        contact_id: v.contact_id ? Number(v.contact_id) : null,
        role: v.role,
        stance: v.stance,
        engagement: v.engagement,
        notes: v.notes || null,
      });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fieldError = (f) => (error && error.field === f ? <small className="field-error" data-testid="field-error" data-field={f}>{error.message}</small> : null);
  return (
    <form className="pl-inline-form" onSubmit={submit} data-testid={testId}>
      <label className="field">
        <span>{t('pl.contact')}</span>
        <select className="input" value={v.contact_id} onChange={set('contact_id')} data-testid="sh-contact" required>
          <option value="">{t('pl.choose')}</option>
          {contacts.map((c) => <option key={c.id} value={String(c.id)}>{c.name}{c.title ? ` · ${c.title}` : ''}</option>)}
        </select>
        {fieldError('contact_id')}
      </label>
      <label className="field">
        <span>{t('pl.role')}</span>
        <RoleSelect value={v.role} roles={roles} onChange={(role) => setV((x) => ({ ...x, role }))} testId="sh-role" required />
        {fieldError('role')}
      </label>
      <label className="field">
        <span>{t('pl.stance')}</span>
        <select className="input" value={v.stance} onChange={set('stance')} data-testid="sh-stance">
          {STANCES.map((s) => <option key={s} value={s}>{t(`pl.stance.${s}`)}</option>)}
        </select>
      </label>
      <label className="field">
        <span>{t('pl.engagement')}</span>
        <select className="input" value={v.engagement} onChange={set('engagement')} data-testid="sh-engagement">
          {ENGAGEMENTS.map((s) => <option key={s} value={s}>{t(`pl.engagement.${s}`)}</option>)}
        </select>
      </label>
      <label className="field grow">
        <span>{t('pl.notes')}</span>
        <input className="input" value={v.notes} onChange={set('notes')} data-testid="sh-notes" />
      </label>
      <div className="inline pl-form-buttons">
        <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>{t('pl.cancel')}</button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-testid="sh-save">{busy ? t('common.saving') : t('pl.save')}</button>
      </div>
      {error && !['contact_id', 'role'].includes(error.field) && <ErrorBox error={error} />}
    </form>
  );
}

export default function Stakeholders({ opportunity, contacts, roles, onChanged }) {
  const { t, tOr } = useI18n();
  const [editing, setEditing] = useState(null); // stakeholder id, 'new' or null
  const [error, setError] = useState(null);
  const list = useAsync(
    () => api.get(`/api/stakeholders${qs({ opportunity_id: opportunity.id, limit: 500, sort: 'id', order: 'asc' })}`),
    [opportunity.id],
  );
  const rows = (list.data && list.data.records) || [];

  const done = async () => {
    setEditing(null);
    await list.reload();
    onChanged();
  };
  const create = async (body) => {
    await api.post('/api/stakeholders', { ...body, opportunity_id: opportunity.id });
    await done();
  };
  const update = (id) => async (body) => {
    await patch(`/api/stakeholders/${encodeURIComponent(id)}`, body);
    await done();
  };
  const remove = async (s) => {
    if (!window.confirm(t('pl.sh.confirmRemove', { name: s.contact_name || s.contact_id }))) return;
    setError(null);
    try {
      await api.del(`/api/stakeholders/${encodeURIComponent(s.id)}`);
      await done();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="pl-stakeholders" data-testid="stakeholders">
      <ErrorBox error={list.error || error} onRetry={list.error ? list.reload : undefined} />
      {list.loading && !list.data && <Loading />}
      {list.data && (rows.length ? (
        <div className="table-wrap">
          <table className="table" data-testid="stakeholders-table">
            <thead>
              <tr>
                <th>{t('pl.contact')}</th>
                <th>{t('pl.role')}</th>
                <th>{t('pl.stance')}</th>
                <th>{t('pl.engagement')}</th>
                <th>{t('pl.notes')}</th>
                <th aria-label={t('pl.actions')} />
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (editing === s.id ? (
                <tr key={s.id}>
                  <td colSpan={6}>
                    <StakeholderForm initial={s} contacts={contacts} roles={roles} onSubmit={update(s.id)} onCancel={() => setEditing(null)} testId="sh-edit-form" />
                  </td>
                </tr>
              ) : (
                <tr key={s.id} data-testid="stakeholder-row" data-role={s.role}>
                  <td>{s.contact_name || s.contact_id}</td>
                  <td>{roleLabel(tOr, s.role)}</td>
                  <td><span className={`pl-stance pl-stance-${s.stance}`}><span className="pl-stance-dot" aria-hidden="true" />{t(`pl.stance.${s.stance}`)}</span></td>
                  <td>{s.engagement ? t(`pl.engagement.${s.engagement}`) : '–'}</td>
                  <td className="muted">{s.notes || ''}</td>
                  <td className="nowrap">
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(s.id)} data-testid="sh-edit">{t('pl.edit')}</button>
                    <button type="button" className="btn btn-small btn-ghost link-danger" onClick={() => remove(s)} data-testid="sh-remove">{t('pl.remove')}</button>
                  </td>
                </tr>
              )))}
            </tbody>
          </table>
        </div>
      ) : (editing !== 'new' && <Empty>{t('pl.sh.none')}</Empty>))}
      {editing === 'new' ? (
        <StakeholderForm initial={{}} contacts={contacts} roles={roles} onSubmit={create} onCancel={() => setEditing(null)} testId="sh-add-form" />
      ) : (
        <div>
          <button type="button" className="btn btn-small" onClick={() => setEditing('new')} data-testid="sh-add">＋ {t('pl.sh.add')}</button>
          {contacts.length === 0 && <span className="muted small"> {t('pl.sh.noContacts')}</span>}
        </div>
      )}
    </div>
  );
}
