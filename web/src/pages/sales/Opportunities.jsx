// Opportunities (#/opportunities): every opportunity in the generic record table
// (filters, search, sort, CSV / XLSX export), a link to the board, and "new"
// in a drawer with the generic record form (stage picked from the project's
// stages; the primary contact from the chosen account's contacts). A create
// opens the new opportunity's page. #/opportunities?new=1&account_id=5 opens
// the form at once, for that account; ?account_id= / stage= / owner= without
// new=1 start the table filtered.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n.jsx';
import { navigate } from '../../hooks.js';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { useStages } from '../../pipeline/useStages.js';
import { fmtMoney, outcomeBadge, stageLabel } from '../../pipeline/util.js';
import '../../pipeline/pipeline.css';

const CREATE_FIELDS = ['account_id', 'name', 'stage', 'amount', 'currency', 'expected_close', 'owner', 'products',
  'channel', 'partner', 'pricing', 'intent_level', 'primary_contact_id', 'notes'];

export function StageEditor({ value, onChange, invalid, testId }) {
  const { t, tOr } = useI18n();
  const { stages } = useStages();
  return (
    <select className={invalid ? 'input invalid' : 'input'} value={value || ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{t('pl.choose')}</option>
      {stages.map((s) => <option key={s.key} value={s.key}>{stageLabel(tOr, s)}</option>)}
      {value && !stages.some((s) => s.key === value) && <option value={value}>{value}</option>}
    </select>
  );
}

export default function Opportunities({ tz, params }) {
  const { t, tOr, lang } = useI18n();
  const { stages } = useStages();
  const [creating, setCreating] = useState(!!(params && params.new));
  const close = useCallback(() => setCreating(false), []);
  // The same page reached again with ?new=1 (e.g. from the board) opens the form too.
  const wantNew = !!(params && params.new);
  useEffect(() => { if (wantNew) setCreating(true); }, [wantNew]);

  const initial = useMemo(() => {
    const v = { stage: (stages[0] && stages[0].key) || 'lead' };
    if (params && params.account_id) v.account_id = Number(params.account_id) || params.account_id;
    return v;
  }, [stages, params]);

  // Filters handed in the route (#/opportunities?account_id=5&stage=lead), e.g.
  // from an account page.
  const initialFilters = useMemo(() => {
    const out = {};
    for (const k of ['stage', 'owner', 'intent_level', 'channel', 'pricing']) if (params && params[k]) out[k] = params[k];
    if (params && params.account_id) out.account_id = Number(params.account_id) || params.account_id;
    return out;
  }, [params]);

  const columns = useMemo(() => [
    'name',
    'account_id',
    {
      key: 'stage',
      label: t('pl.stage'),
      sortable: true,
      render: (r) => {
        const s = stages.find((x) => x.key === r.stage);
        return <span className={`badge badge-${outcomeBadge(s && s.outcome)}`}>{stageLabel(tOr, s || r.stage)}</span>;
      },
    },
    { key: 'amount', label: t('pl.amount'), sortable: true, num: true, render: (r) => fmtMoney(lang, r.amount) },
    'expected_close',
    'owner',
    'intent_level',
    'channel',
    'updated_at',
  ], [stages, lang, t, tOr]);

  return (
    <div className="page" data-testid="opportunities-page">
      <div className="page-head">
        <div>
          <h1>{t('pl.list.title')}</h1>
          <p className="muted">{t('pl.list.subtitle')}</p>
        </div>
        <div className="inline">
          <a className="btn" href="#/pipeline">{t('pl.list.boardView')}</a>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="opportunities-new">＋ {t('pl.newOpp')}</button>
        </div>
      </div>
      <RecordTable
        resource="opportunities"
        columns={columns}
        filters={['stage', 'owner', 'account_id', 'intent_level', 'channel', 'pricing', 'expected_close']}
        initialFilters={initialFilters}
        rowLink={(r) => `/opportunities/${r.id}`}
        tz={tz}
        testId="opportunities"
      />
      {creating && (
        <Drawer title={t('pl.newOpp')} onClose={close} testId="opportunity-create">
          <RecordForm
            resource="opportunities"
            fields={CREATE_FIELDS}
            initial={initial}
            editors={{ stage: StageEditor }}
            refParams={(path, values) => (path === 'primary_contact_id' && values.account_id ? { account_id: values.account_id } : undefined)}
            onCancel={close}
            onSaved={(rec) => { setCreating(false); if (rec && rec.id) navigate(`/opportunities/${rec.id}`); }}
            tz={tz}
            testId="opportunity-form"
          />
        </Drawer>
      )}
    </div>
  );
}
