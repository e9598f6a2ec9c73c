// Contacts (#/contacts): the people of the accounts, filtered by decision role,
// account and owner, searchable and exportable. A row opens an edit drawer (role,
// title, …; edits by hand win over identify traits until released); the account
// column links to the account page. ?account_id=ID or ?role=r preset the filters.
import { useCallback, useState } from 'react';
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { roleLabel } from '../../records/recordFormat.js';

export const CONTACT_FORM_FIELDS = ['name', 'account_id', 'role', 'title', 'email', 'phone', 'owner', 'person_id', 'notes'];

export default function Contacts({ tz, params }) {
  const { t, tOr } = useI18n();
  const [editing, setEditing] = useState(null); // record, or {} for a new one
  const [reloadKey, setReloadKey] = useState(0);
  const initial = {};
  if (params && params.role) initial.role = params.role;
  if (params && params.account_id) initial.account_id = Number(params.account_id);
  const close = useCallback(() => setEditing(null), []);
  const saved = () => { setEditing(null); setReloadKey((n) => n + 1); };

  return (
    <div className="page" data-testid="contacts-page">
      <div className="page-head">
        <div>
          <h1>{t('contacts.title')}</h1>
          <p className="muted">{t('contacts.subtitle')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setEditing({})} data-testid="contacts-new">＋ {t('contacts.new')}</button>
      </div>
      <RecordTable
        key={JSON.stringify(params || {})} // new list parameters start a fresh table
        resource="contacts"
        tz={tz}
        title={t('contacts.list')}
        columns={[
          'name',
          { key: 'role', label: tOr('field.role', 'role'), sortable: true, render: (r) => (r.role ? roleLabel(tOr, r.role) : <span className="muted">{t('rec.noRole')}</span>) },
          'title',
          { key: 'account_id', label: tOr('field.account_id', 'account'), render: (r) => (r.account_id ? <a href={`#/accounts/${r.account_id}`} data-testid="contact-account-link">{r.account_name || `#${r.account_id}`}</a> : '–') },
          'email', 'owner', 'updated_at',
        ]}
        filters={['role', 'account_id', 'owner']}
        initialFilters={initial}
        rowActions={(r) => <button type="button" className="btn btn-small" onClick={() => setEditing(r)} data-testid="contact-edit">{t('rec.edit')}</button>}
        reloadKey={reloadKey}
        testId="contacts"
      />
      {editing && (
        <Drawer title={editing.id ? `${t('contacts.edit')} · ${editing.name}` : t('contacts.new')} onClose={close} testId="contact-drawer">
          <RecordForm
            resource="contacts"
            record={editing.id ? editing : null}
            initial={editing.id ? undefined : { account_id: initial.account_id }}
            fields={CONTACT_FORM_FIELDS}
            tz={tz}
            testId="contact-form"
            onSaved={saved}
            onCancel={close}
            onRelease={editing.id ? async (fields) => {
              const d = await api.post(`/api/contacts/${editing.id}/release`, { fields });
              setEditing(d.record);
              setReloadKey((n) => n + 1);
            } : undefined}
          />
        </Drawer>
      )}
    </div>
  );
}
