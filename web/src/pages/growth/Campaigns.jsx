// Campaigns (#/campaigns): every campaign in the generic record table (type,
// status, owner and date filters, search, CSV / XLSX export), "new" in a drawer
// with the record form (a create opens the campaign's page), and per row an
// attendee import (CSV → /api/campaigns/ID/members/import, contract E1) showing
// the matched contacts / accounts and the row errors. ?new=1 opens the form.
import { useCallback, useMemo, useState } from 'react';
import { useI18n } from '../../i18n.jsx';
import { navigate } from '../../hooks.js';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import MemberImport from '../../growth/marketing/MemberImport.jsx';
import { num } from '../../growth/marketing/util.js';
import '../../growth/marketing/marketing.css';

export const CAMPAIGN_FIELDS = ['name', 'type', 'theme', 'status', 'starts_on', 'ends_on', 'budget', 'actual_cost', 'owner',
  'utm_campaign', 'utm_source', 'target_industries', 'target_roles', 'checklist', 'notes'];

export function StatusBadge({ resource, field = 'status', value }) {
  const { tOr } = useI18n();
  const kind = { done: 'green', running: 'blue', cancelled: 'red', valid: 'green', invalid: 'red', converted: 'green', qualified: 'blue', disqualified: 'red' }[value] || 'neutral';
  return <span className={`badge badge-${kind}`} data-value={value}>{choiceLabel(tOr, resource, field, value)}</span>;
}

export default function Campaigns({ tz, params }) {
  const { t, lang } = useI18n();
  const [creating, setCreating] = useState(!!(params && params.new));
  const [importing, setImporting] = useState(null);
  const [reloadKey, setReloadKey] = useState(0);
  const close = useCallback(() => setCreating(false), []);
  const closeImport = useCallback(() => setImporting(null), []);

  const columns = useMemo(() => [
    'name',
    'type',
    { key: 'status', label: undefined, sortable: true, render: (r) => <StatusBadge resource="campaigns" value={r.status} /> },
    'starts_on',
    'ends_on',
    { key: 'budget', sortable: true, num: true, render: (r) => num(lang, r.budget) },
    { key: 'actual_cost', sortable: true, num: true, render: (r) => num(lang, r.actual_cost) },
    'owner',
    'utm_campaign',
  ], [lang]);

  return (
    <div className="page" data-testid="campaigns-page">
      <div className="page-head">
        <div>
          <h1>{t('mk.campaigns.title')}</h1>
          <p className="muted">{t('mk.campaigns.subtitle')}</p>
        </div>
        <div className="inline">
          <a className="btn" href="#/measures-map">{t('nav.measuresMap')}</a>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="campaigns-new">＋ {t('mk.campaigns.new')}</button>
        </div>
      </div>
      <RecordTable
        resource="campaigns"
        columns={columns}
        filters={['type', 'status', 'owner', 'starts_on']}
        rowLink={(r) => `/campaigns/${r.id}`}
        rowActions={(r) => (
          <button type="button" className="btn btn-small" onClick={() => setImporting(r)} data-testid="campaigns-import">{t('mk.import.open')}</button>
        )}
        reloadKey={reloadKey}
        tz={tz}
        testId="campaigns"
      />
      {creating && (
        <Drawer title={t('mk.campaigns.new')} onClose={close} testId="campaign-create">
          <RecordForm
            resource="campaigns"
            fields={CAMPAIGN_FIELDS}
            onCancel={close}
            onSaved={(rec) => { setCreating(false); setReloadKey((k) => k + 1); if (rec && rec.id) navigate(`/campaigns/${rec.id}`); }}
            tz={tz}
            testId="campaign-form"
          />
        </Drawer>
      )}
      {importing && (
        <Drawer title={t('mk.import.title', { name: importing.name })} onClose={closeImport} testId="campaign-import">
          <MemberImport campaignId={importing.id} />
        </Drawer>
      )}
    </div>
  );
}
