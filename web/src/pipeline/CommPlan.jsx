// The communication plan of an opportunity, one row per role (goal, message,
// channel, cadence, owner of ours): shown as a table, edited as a whole and
// saved with PATCH /api/opportunities/ID {communication_plan}.
import { useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { Empty, ErrorBox } from '../components/common.jsx';
import { roleLabel } from '../views/CoverageView.jsx';
import { patch } from './util.js';
import RoleSelect from './RoleSelect.jsx';
import './pipeline.css';

const COLS = ['goal', 'message', 'channel', 'cadence', 'owner'];

export default function CommPlan({ opportunity, roles, onSaved }) {
  const { t, tOr } = useI18n();
  const plan = opportunity.communication_plan || [];
  const [rows, setRows] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  const start = () => {
    setError(null);
    setRows(plan.map((p) => ({ role: p.role || '', goal: p.goal || '', message: p.message || '', channel: p.channel || '', cadence: p.cadence || '', owner: p.owner || '' })));
  };
  const set = (i, k, v) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = rows.filter((r) => r.role.trim()).map((r) => {
        const o = { role: r.role.trim() };
        for (const c of COLS) if (r[c].trim()) o[c] = r[c].trim();
        return o;
      });
      await patch(`/api/opportunities/${encodeURIComponent(opportunity.id)}`, { communication_plan: body });
      setRows(null);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (rows) {
    return (
      <form className="pl-plan-edit" onSubmit={save} data-testid="plan-form">
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('pl.role')}</th>
                {COLS.map((c) => <th key={c}>{t(`pl.plan.${c}`)}</th>)}
                <th aria-label={t('pl.actions')} />
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-testid="plan-edit-row">
                  <td><RoleSelect value={r.role} roles={roles} onChange={(v) => set(i, 'role', v)} testId="plan-role" /></td>
                  {COLS.map((c) => (
                    <td key={c}>
                      {c === 'message' ? (
                        <textarea className="input pl-textarea" rows={2} value={r[c]} onChange={(e) => set(i, c, e.target.value)} data-testid={`plan-${c}`} />
                      ) : (
                        <input className="input input-small" value={r[c]} onChange={(e) => set(i, c, e.target.value)} data-testid={`plan-${c}`} />
                      )}
                    </td>
                  ))}
                  <td><button type="button" className="btn btn-small btn-ghost link-danger" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>{t('pl.remove')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ErrorBox error={error} />
        <div className="inline">
          <button type="button" className="btn btn-small" onClick={() => setRows((rs) => [...rs, { role: '', goal: '', message: '', channel: '', cadence: '', owner: '' }])} data-testid="plan-add">＋ {t('pl.plan.add')}</button>
          <span className="grow" />
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setRows(null)}>{t('pl.cancel')}</button>
          <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-testid="plan-save">{busy ? t('common.saving') : t('pl.save')}</button>
        </div>
      </form>
    );
  }

  return (
    <div data-testid="plan">
      {plan.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('pl.role')}</th>
                {COLS.map((c) => <th key={c}>{t(`pl.plan.${c}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {plan.map((p, i) => (
                <tr key={i} data-testid="plan-row">
                  <td className="nowrap"><strong>{roleLabel(tOr, p.role)}</strong></td>
                  {COLS.map((c) => <td key={c} className={c === 'message' ? 'pl-pre' : undefined}>{p[c] || '–'}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{t('pl.plan.none')}</Empty>
      )}
      <button type="button" className="btn btn-small" onClick={start} data-testid="plan-edit">{t('pl.edit')}</button>
    </div>
  );
}
