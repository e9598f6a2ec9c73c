// Visits (#/visits): visits, calls and meetings with customers, filtered by kind,
// status, date and account, exported; a new one is recorded in place with its
// attendees (contacts of the chosen account; picking one fills name and role).
// A row opens the visit page (#/visits/ID). ?account_id=ID presets the account
// filter; ?new=1 (with ?account_id, and ?opportunity_id from an opportunity's page)
// opens the form with them filled in.
import { useState } from 'react';
import { useI18n } from '../../i18n.jsx';
import { navigate } from '../../hooks.js';
import { Card } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import { choiceLabel } from '../../records/recordFormat.js';

export const VISIT_FORM_FIELDS = [
  'account_id', 'opportunity_id', 'title', 'kind', 'status', 'held_at', 'owner', 'stage',
  'attendees', 'actions', 'needs_found', 'feedback', 'summary',
];

// Pickers inside a visit form: contacts and opportunities of the chosen account.
export function visitRefParams(path, values) {
  if ((path === 'attendees.contact_id' || path === 'opportunity_id') && values.account_id) return { account_id: values.account_id };
  return undefined;
}

export function attendeeSummary(attendees) {
  return (attendees || []).filter((a) => a.side !== 'ours').map((a) => a.name).join(', ');
}

export default function Visits({ tz, params }) {
  const { t, tOr } = useI18n();
  const p = params || {};
  const [creating, setCreating] = useState(p.new === '1');
  const accountId = p.account_id ? Number(p.account_id) : undefined;
  const initial = { held_at: new Date().toISOString() };
  if (accountId) initial.account_id = accountId;
  if (p.opportunity_id) initial.opportunity_id = Number(p.opportunity_id);

  return (
    <div className="page" data-testid="visits-page">
      <div className="page-head">
        <div>
          <h1>{t('visits.title')}</h1>
          <p className="muted">{t('visits.subtitle')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setCreating((c) => !c)} data-testid="visits-new">＋ {t('visits.new')}</button>
      </div>
      {creating && (
        <Card title={t('visits.new')} testId="visits-create">
          <RecordForm
            resource="visits"
            initial={initial}
            fields={VISIT_FORM_FIELDS}
            refParams={visitRefParams}
            tz={tz}
            testId="visit-form"
            onCancel={() => setCreating(false)}
            onSaved={(r) => navigate(`/visits/${r.id}`)}
          />
        </Card>
      )}
      <RecordTable
        key={JSON.stringify(params || {})} // new list parameters start a fresh table
        resource="visits"
        tz={tz}
        title={t('visits.list')}
        columns={[
          'title', 'held_at',
          { key: 'kind', label: tOr('field.kind', 'kind'), sortable: true, render: (r) => choiceLabel(tOr, 'visits', 'kind', r.kind) },
          { key: 'status', label: tOr('field.status', 'status'), sortable: true, render: (r) => <span className={`badge ${r.status === 'held' ? 'badge-green' : r.status === 'planned' ? 'badge-blue' : ''}`}>{choiceLabel(tOr, 'visits', 'status', r.status)}</span> },
          { key: 'account_id', label: tOr('field.account_id', 'account'), render: (r) => <a href={`#/accounts/${r.account_id}`}>{r.account_name || `#${r.account_id}`}</a> },
          { key: 'attendees', label: tOr('field.visits.attendees', 'attendees'), render: (r) => attendeeSummary(r.attendees) || '–' },
          'owner',
        ]}
        filters={['kind', 'status', 'held_at', 'account_id', 'owner']}
        initialFilters={accountId ? { account_id: accountId } : {}}
        rowLink={(r) => `/visits/${r.id}`}
        testId="visits"
      />
    </div>
  );
}
