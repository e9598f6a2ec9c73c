// Follow-ups (#/follow-ups): the to-dos that came out of visits. Open ones are
// shown first (the status filter starts at "open", earliest due date first) and
// overdue ones are highlighted; filter by owner, status, account or due date;
// "mark done" sets status done (PATCH). ?owner= / ?status= / ?account_id= preset
// the filters (?status=all shows every status).
import { useState } from 'react';
import { request } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { Card } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import { choiceLabel, daysUntil, todayIn } from '../../records/recordFormat.js';

export const FOLLOW_UP_FORM_FIELDS = ['title', 'account_id', 'opportunity_id', 'visit_id', 'owner', 'due_date', 'status', 'notes'];

export function isOverdue(r, tz) {
  return r.status === 'open' && r.due_date && r.due_date < todayIn(tz);
}

// "Mark done" for an open follow-up; calls onDone(record) after the PATCH.
export function MarkDoneButton({ record, onDone, testId = 'follow-up-done' }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (record.status !== 'open') return null;
  return (
    <span className="inline">
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const d = await request('PATCH', `/api/follow_ups/${record.id}`, { status: 'done' });
            onDone(d.record);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
        data-testid={testId}
      >
        ✓ {t('followUps.markDone')}
      </button>
      {error && <small className="field-error" role="alert">{error.message}</small>}
    </span>
  );
}

export function DueCell({ record, tz }) {
  const { t } = useI18n();
  if (!record.due_date) return '–';
  const d = daysUntil(record.due_date, tz);
  const overdue = isOverdue(record, tz);
  return (
    <span className="nowrap">
      {record.due_date}{' '}
      {record.status === 'open' && d !== null && (
        <small className={overdue ? 'text-danger' : d <= 2 ? 'text-amber' : 'muted'} data-testid={overdue ? 'follow-up-overdue' : undefined}>
          {overdue ? t('followUps.overdue', { n: -d }) : d === 0 ? t('followUps.dueToday') : t('sales.daysLeft', { n: d })}
        </small>
      )}
    </span>
  );
}

// The follow-up columns shared by this page and the visit / account pages.
export function followUpColumns(t, tOr, tz, { account = true } = {}) {
  const cols = [
    'title',
    { key: 'due_date', sortable: true, label: tOr('field.follow_ups.due_date', 'due_date'), render: (r) => <DueCell record={r} tz={tz} /> },
    { key: 'status', sortable: true, label: tOr('field.status', 'status'), render: (r) => <span className={`badge ${r.status === 'open' ? (isOverdue(r, tz) ? 'badge-red' : 'badge-blue') : r.status === 'done' ? 'badge-green' : ''}`}>{choiceLabel(tOr, 'follow_ups', 'status', r.status)}</span> },
    'owner',
  ];
  if (account) cols.push({ key: 'account_id', label: tOr('field.account_id', 'account'), render: (r) => <a href={`#/accounts/${r.account_id}`}>{r.account_name || `#${r.account_id}`}</a> });
  cols.push({ key: 'visit_id', label: tOr('field.visit_id', 'visit'), render: (r) => (r.visit_id ? <a href={`#/visits/${r.visit_id}`}>{r.visit_name || `#${r.visit_id}`}</a> : '–') });
  return cols;
}

export default function FollowUps({ tz, params }) {
  const { t, tOr } = useI18n();
  const p = params || {};
  const [creating, setCreating] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const initial = { status: p.status === 'all' ? '' : p.status || 'open' };
  if (p.owner) initial.owner = p.owner;
  if (p.account_id) initial.account_id = Number(p.account_id);
  const reload = () => setReloadKey((n) => n + 1);

  return (
    <div className="page" data-testid="follow-ups-page">
      <div className="page-head">
        <div>
          <h1>{t('followUps.title')}</h1>
          <p className="muted">{t('followUps.subtitle')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setCreating((c) => !c)} data-testid="follow-ups-new">＋ {t('followUps.new')}</button>
      </div>
      {creating && (
        <Card title={t('followUps.new')} testId="follow-ups-create">
          <RecordForm
            resource="follow_ups"
            fields={FOLLOW_UP_FORM_FIELDS}
            initial={{ account_id: initial.account_id }}
            refParams={(path, v) => ((path === 'visit_id' || path === 'opportunity_id') && v.account_id ? { account_id: v.account_id } : undefined)}
            tz={tz}
            testId="follow-up-form"
            onCancel={() => setCreating(false)}
            onSaved={() => { setCreating(false); reload(); }}
          />
        </Card>
      )}
      <RecordTable
        key={JSON.stringify(params || {})} // new list parameters start a fresh table
        resource="follow_ups"
        tz={tz}
        title={t('followUps.list')}
        columns={followUpColumns(t, tOr, tz)}
        filters={['status', 'owner', 'account_id', 'due_date']}
        initialFilters={initial}
        sort="due_date"
        order="asc"
        rowClass={(r) => (isOverdue(r, tz) ? 'rec-overdue' : r.status !== 'open' ? 'rec-done' : '')}
        rowActions={(r, reloadTable) => <MarkDoneButton record={r} onDone={() => reloadTable()} />}
        reloadKey={reloadKey}
        testId="follow-ups"
      />
    </div>
  );
}
