// Accounts (#/accounts): every account record, searchable, filtered by industry,
// level, owner and lifecycle stage, sorted by ARR / renewal date / last change,
// exported as CSV or XLSX; a new account is created in place. A row opens the
// account page (#/accounts/ID). Accounts are also kept up to date from group
// events (traits); edits made here win over them (manual fields).
import { useState } from 'react';
import { useI18n } from '../../i18n.jsx';
import { navigate } from '../../hooks.js';
import { Card } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import { daysUntil } from '../../records/recordFormat.js';
import { fmtNum } from '../../format.js';

export const ACCOUNT_FORM_FIELDS = [
  'name', 'group_id', 'industry', 'size', 'region', 'level', 'owner', 'plan', 'arr', 'seats',
  'lifecycle_stage', 'renewal_date', 'revenue', 'employees', 'website', 'notes',
];

export function RenewalCell({ date, tz }) {
  const { t } = useI18n();
  if (!date) return '–';
  const d = daysUntil(date, tz);
  const cls = d !== null && d < 0 ? 'text-danger' : d !== null && d <= 60 ? 'text-amber' : 'muted';
  return (
    <span className="nowrap">
      {date} {d !== null && <small className={cls}>{d < 0 ? t('sales.daysAgo', { n: -d }) : t('sales.daysLeft', { n: d })}</small>}
    </span>
  );
}

export default function Accounts({ tz, params }) {
  const { t, tOr, lang } = useI18n();
  const [creating, setCreating] = useState(false);
  const initial = {};
  for (const k of ['industry', 'level', 'owner', 'lifecycle_stage']) if (params && params[k]) initial[k] = params[k];

  return (
    <div className="page" data-testid="accounts-page">
      <div className="page-head">
        <div>
          <h1>{t('accounts.title')}</h1>
          <p className="muted">{t('accounts.subtitle')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setCreating((c) => !c)} data-testid="accounts-new">
          ＋ {t('accounts.new')}
        </button>
      </div>
      {creating && (
        <Card title={t('accounts.new')} testId="accounts-create">
          <RecordForm
            resource="accounts"
            fields={ACCOUNT_FORM_FIELDS}
            tz={tz}
            testId="account-form"
            onCancel={() => setCreating(false)}
            onSaved={(r) => navigate(`/accounts/${r.id}`)}
          />
        </Card>
      )}
      <RecordTable
        key={JSON.stringify(params || {})} // new list parameters start a fresh table
        resource="accounts"
        tz={tz}
        title={t('accounts.list')}
        columns={[
          'name', 'industry',
          { key: 'level', sortable: true, label: tOr('field.accounts.level', 'level'), render: (r) => (r.level ? tOr(`health.level.${r.level}`, r.level) : '–') },
          'owner',
          { key: 'lifecycle_stage', sortable: true, label: tOr('field.accounts.lifecycle_stage', 'lifecycle_stage'), render: (r) => (r.lifecycle_stage ? tOr(`stage.${r.lifecycle_stage}`, r.lifecycle_stage) : '–') },
          { key: 'arr', sortable: true, num: true, label: tOr('field.accounts.arr', 'arr'), render: (r) => fmtNum(lang, r.arr) },
          { key: 'renewal_date', sortable: true, label: tOr('field.accounts.renewal_date', 'renewal_date'), render: (r) => <RenewalCell date={r.renewal_date} tz={tz} /> },
          'updated_at',
        ]}
        filters={['industry', 'level', 'owner', 'lifecycle_stage']}
        initialFilters={initial}
        sort={params && params.sort}
        rowLink={(r) => `/accounts/${r.id}`}
        testId="accounts"
      />
    </div>
  );
}
