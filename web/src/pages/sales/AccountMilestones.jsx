// The Milestones section of the account page (pages/sales/AccountDetail.jsx): the
// account's onboarding / implementation milestones from GET /api/accounts/ID/overview
// ("milestones" in position order, each with "overdue"; "milestone_progress"
// {done, total, progress, next}), a progress bar, mark done (PATCH
// /api/milestones/ID {status: done, done_on: today}) and add / edit in a drawer with
// the generic RecordForm. A milestone reaching done is a milestone_done event on the
// account's timeline (docs/growth/customer_success.md).
//
// Test ids: account-milestones (the card), account-milestones-progress (data-done,
// data-total), account-milestones-next, account-milestone (rows; data-status,
// data-overdue), account-milestone-done, account-milestone-edit, account-milestone-add,
// milestone-drawer (+ the form's milestone-form-*).
import { useState } from 'react';
import { request } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { fmtNum } from '../../format.js';
import { Card, Empty, Loading } from '../../components/common.jsx';
import Drawer from '../../records/Drawer.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import { choiceLabel, todayIn } from '../../records/recordFormat.js';
import '../../growth/success/success.css';
import '../../records/records.css';

const FORM_FIELDS = ['name', 'position', 'status', 'due_date', 'done_on', 'owner', 'notes'];
const STATUS_BADGE = { done: 'badge-green', in_progress: 'badge-blue', blocked: 'badge-amber' };

function MarkDone({ milestone, tz, onDone }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (milestone.status === 'done') return null;
  return (
    <span className="inline">
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        data-testid="account-milestone-done"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await request('PATCH', `/api/milestones/${milestone.id}`, { status: 'done', done_on: todayIn(tz) });
            onDone();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        ✓ {t('milestones.markDone')}
      </button>
      {error && <span className="text-danger small">{error.message}</span>}
    </span>
  );
}

export function MilestoneProgress({ progress }) {
  const { t, lang } = useI18n();
  const done = (progress && progress.done) || 0;
  const total = (progress && progress.total) || 0;
  const pct = total ? Math.round((1000 * done) / total) / 10 : 0;
  const cls = total && done === total ? 'sc-ok' : '';
  return (
    <div className={`sc-progress ${cls}`} data-testid="account-milestones-progress" data-done={done} data-total={total}
      role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <div className="sc-progress-fill" style={{ width: `${pct}%` }} />
      <span className="sc-progress-label">{t('milestones.progress', { done: fmtNum(lang, done), total: fmtNum(lang, total), pct: fmtNum(lang, pct) })}</span>
    </div>
  );
}

export default function AccountMilestones({ accountId, milestones, progress, loading, tz, onChanged }) {
  const { t, tOr } = useI18n();
  // null: closed; {} : a new milestone; a record: editing it.
  const [editing, setEditing] = useState(null);
  const list = milestones || [];
  const next = progress && progress.next;
  const nextPosition = list.reduce((m, x) => (typeof x.position === 'number' && x.position > m ? x.position : m), 0) + 1;
  const close = () => setEditing(null);

  return (
    <Card
      title={t('milestones.title')}
      testId="account-milestones"
      actions={<button type="button" className="btn btn-small" onClick={() => setEditing({})} data-testid="account-milestone-add">＋ {t('milestones.add')}</button>}
    >
      {loading && !milestones ? <Loading /> : (
        <>
          <MilestoneProgress progress={progress} />
          <p className="muted small help" data-testid="account-milestones-next">
            {list.length === 0 ? '' : next ? t('milestones.next', { name: next.name }) : t('milestones.allDone')}
          </p>
          {list.length === 0 && <Empty>{t('milestones.none')}</Empty>}
          {list.length > 0 && (
            <table className="table rec-table">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>{t('milestones.name')}</th>
                  <th>{t('milestones.status')}</th>
                  <th>{t('milestones.due')}</th>
                  <th>{t('milestones.doneOn')}</th>
                  <th>{t('milestones.owner')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.id} className={m.overdue ? 'rec-overdue' : undefined} data-testid="account-milestone"
                    data-status={m.status} data-overdue={m.overdue ? 'true' : 'false'}>
                    <td className="num muted">{m.position ?? '–'}</td>
                    <td>{m.name}</td>
                    <td><span className={`badge ${STATUS_BADGE[m.status] || ''}`}>{choiceLabel(tOr, 'milestones', 'status', m.status)}</span></td>
                    <td className="nowrap">
                      {m.due_date || '–'}
                      {m.overdue && <span className="badge badge-red" data-testid="account-milestone-overdue"> {t('milestones.overdue')}</span>}
                    </td>
                    <td className="nowrap">{m.done_on || '–'}</td>
                    <td>{m.owner || '–'}</td>
                    <td className="rec-row-actions">
                      <MarkDone milestone={m} tz={tz} onDone={onChanged} />
                      <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(m)} data-testid="account-milestone-edit">{t('rec.edit')}</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {editing && (
        <Drawer title={editing.id ? t('milestones.editTitle', { name: editing.name }) : t('milestones.add')} onClose={close} testId="milestone-drawer">
          <RecordForm
            resource="milestones"
            record={editing.id ? editing : null}
            initial={editing.id ? undefined : { account_id: Number(accountId), position: nextPosition, status: 'pending' }}
            fields={FORM_FIELDS}
            hidden={['account_id']}
            tz={tz}
            testId="milestone-form"
            onCancel={close}
            onSaved={() => { close(); onChanged(); }}
          />
        </Drawer>
      )}
    </Card>
  );
}
