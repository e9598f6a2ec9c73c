// Tasks (#/tasks): customer-success to-dos, opened by hand or by a playbook run
// (source playbook, with the reason explaining the numbers). Open ones first
// (the status filter starts at "open", earliest due first); overdue ones are
// highlighted; the status moves open → in progress → done, or dismissed (PATCH
// /api/tasks/ID {status}). ?status= (all = every status), ?playbook_id=,
// ?account_id=, ?owner= preset the filters.
import { useState } from 'react';
import { request } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel, daysUntil, todayIn } from '../../records/recordFormat.js';

const NEXT = { open: ['in_progress', 'done', 'dismissed'], in_progress: ['done', 'dismissed'], done: ['open'], dismissed: ['open'] };
const BADGE = { open: 'badge-blue', in_progress: 'badge-amber', done: 'badge-green', dismissed: '' };

function isOverdue(r, tz) {
  return (r.status === 'open' || r.status === 'in_progress') && r.due_date && r.due_date < todayIn(tz);
}

function StatusButtons({ record, onChanged }) {
  const { t, tOr } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  return (
    <span className="inline">
      {(NEXT[record.status] || []).map((s) => (
        <button key={s} type="button" className="btn btn-small" disabled={busy} data-testid={`task-to-${s}`}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await request('PATCH', `/api/tasks/${record.id}`, { status: s });
              onChanged();
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}>
          {s === 'open' ? t('tasks.reopen') : choiceLabel(tOr, 'tasks', 'status', s)}
        </button>
      ))}
      {error && <small className="field-error" role="alert">{error.message}</small>}
    </span>
  );
}

export default function Tasks({ tz, params = {} }) {
  const { t, tOr } = useI18n();
  const [creating, setCreating] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const initialFilters = { status: params.status === 'all' ? '' : params.status || 'open' };
  for (const k of ['playbook_id', 'account_id', 'owner', 'source']) if (params[k]) initialFilters[k] = /_id$/.test(k) ? Number(params[k]) : params[k];

  const columns = [
    'title',
    { key: 'account_id', sortable: true, label: tOr('field.account_id', 'account'), render: (r) => (r.account_id ? <a href={`#/accounts/${r.account_id}`}>{r.account_name || `#${r.account_id}`}</a> : '–') },
    { key: 'due_date', sortable: true, label: tOr('field.tasks.due_date', 'due_date'), render: (r) => {
      const d = daysUntil(r.due_date, tz);
      return (
        <span className="nowrap">{r.due_date || '–'}{' '}
          {isOverdue(r, tz) && <small className="text-danger" data-testid="task-overdue">{t('tasks.overdue', { n: -d })}</small>}
        </span>
      );
    } },
    { key: 'status', sortable: true, label: tOr('field.status', 'status'), render: (r) => <span className={`badge ${BADGE[r.status] || ''}`}>{choiceLabel(tOr, 'tasks', 'status', r.status)}</span> },
    'owner',
    { key: 'source', sortable: true, label: tOr('field.tasks.source', 'source'), render: (r) => (
      r.source === 'playbook' && r.playbook_id
        ? <a href="#/playbooks" title={r.playbook_name || ''}>{r.playbook_name || choiceLabel(tOr, 'tasks', 'source', r.source)}</a>
        : choiceLabel(tOr, 'tasks', 'source', r.source)
    ) },
    { key: 'reason', label: tOr('field.tasks.reason', 'reason'), render: (r) => <small className="muted">{r.reason || '–'}</small> },
  ];

  return (
    <div className="page" data-testid="tasks-page">
      <div className="page-head">
        <div>
          <h1>{t('nav.tasks')}</h1>
          <p className="muted">{t('tasks.subtitle')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="tasks-new">＋ {t('tasks.new')}</button>
      </div>
      <RecordTable
        resource="tasks"
        columns={columns}
        filters={['status', 'owner', 'account_id', 'playbook_id', 'source', 'due_date']}
        initialFilters={initialFilters}
        sort="due_date" order="asc"
        reloadKey={reloadKey}
        rowClass={(r) => (isOverdue(r, tz) ? 'rec-overdue' : r.status === 'done' || r.status === 'dismissed' ? 'rec-done' : '')}
        rowActions={(r, reload) => <StatusButtons record={r} onChanged={reload} />}
        tz={tz}
        testId="tasks"
      />
      {creating && (
        <Drawer title={t('tasks.new')} onClose={() => setCreating(false)} testId="task-drawer">
          <RecordForm resource="tasks" tz={tz} initial={{ status: 'open', source: 'manual' }}
            fields={['title', 'account_id', 'owner', 'due_date', 'status', 'reason']}
            onCancel={() => setCreating(false)}
            onSaved={() => { setCreating(false); setReloadKey((k) => k + 1); }} />
        </Drawer>
      )}
    </div>
  );
}
