// A campaign's page (#/campaigns/ID?tab=postmortem|fields|checklist|members|leads):
// the head (type, status, dates, budget, UTM), the post-mortem (contract E1:
// reach, role share, level / industry, the lead → deal funnel, cost per valid
// lead, ROI, export), the fields in the record form, the checklist, the members
// (table + add + CSV attendee import) and the campaign's leads.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { navigate, useAsync } from '../../hooks.js';
import { Card, ErrorBox, Loading } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import Postmortem from '../../growth/marketing/Postmortem.jsx';
import Checklist from '../../growth/marketing/Checklist.jsx';
import MemberImport from '../../growth/marketing/MemberImport.jsx';
import { num } from '../../growth/marketing/util.js';
import { CAMPAIGN_FIELDS, StatusBadge } from './Campaigns.jsx';
import { leadColumns } from './Leads.jsx';
import '../../growth/marketing/marketing.css';

const TABS = ['postmortem', 'fields', 'checklist', 'members', 'leads'];
const MEMBER_FIELDS = ['name', 'email', 'phone', 'company', 'title', 'role', 'status', 'contact_id', 'account_id', 'registered_at', 'notes'];

export default function CampaignDetail({ id, params, tz }) {
  const { t, tOr, lang } = useI18n();
  const res = useAsync(() => api.get(`/api/campaigns/${id}`), [id]);
  const wanted = TABS.includes(params && params.tab) ? params.tab : 'postmortem';
  const [tab, setTabState] = useState(wanted);
  // The same page reached with another ?tab= (a link, back / forward) shows that tab.
  useEffect(() => { setTabState(wanted); }, [wanted]);
  const [drawer, setDrawer] = useState(null); // 'member' | 'import' | {member} | 'lead'
  const [reloadKey, setReloadKey] = useState(0);
  const close = useCallback(() => setDrawer(null), []);
  const setTab = (k) => { setTabState(k); navigate(`/campaigns/${id}?tab=${k}`); };
  const c = res.data && res.data.record;
  const setRecord = (rec) => res.setData({ record: rec });

  if (res.error && !c) return <div className="page"><ErrorBox error={res.error} onRetry={res.reload} /></div>;
  if (!c) return <Loading />;

  const LeadColumns = leadColumns({ t, lang, withCampaign: false });
  return (
    <div className="page" data-testid="campaign-page">
      <div className="page-head">
        <div>
          <p className="muted small"><a href="#/campaigns">{t('mk.campaigns.title')}</a> ›</p>
          <h1 data-testid="campaign-name">{c.name}</h1>
          <p className="muted mk-facts">
            <span>{choiceLabel(tOr, 'campaigns', 'type', c.type)}</span>
            <StatusBadge resource="campaigns" value={c.status} />
            <span>{c.starts_on || '–'} → {c.ends_on || '–'}</span>
            <span>{t('mk.pm.budget', { v: num(lang, c.budget) })} · {t('mk.campaign.actual', { v: num(lang, c.actual_cost) })}</span>
            {c.utm_campaign && <code>utm_campaign={c.utm_campaign}</code>}
            {c.owner && <span>{c.owner}</span>}
          </p>
        </div>
      </div>
      <nav className="tabs" role="tablist">
        {TABS.map((k) => (
          <a key={k} href={`#/campaigns/${id}?tab=${k}`} role="tab" aria-selected={k === tab} className={k === tab ? 'active' : ''} onClick={(e) => { e.preventDefault(); setTab(k); }} data-testid={`campaign-tab-${k}`}>
            {t(`mk.campaign.tab.${k}`)}
          </a>
        ))}
      </nav>
      {tab === 'postmortem' && <Postmortem campaignId={c.id} />}
      {tab === 'fields' && (
        <Card title={t('mk.campaign.tab.fields')} testId="campaign-fields">
          <RecordForm resource="campaigns" record={c} fields={CAMPAIGN_FIELDS.filter((f) => f !== 'checklist')} onSaved={(rec) => setRecord(rec)} tz={tz} testId="campaign-edit" />
        </Card>
      )}
      {tab === 'checklist' && (
        <Card title={t('mk.campaign.tab.checklist')} testId="campaign-checklist">
          <Checklist campaign={c} onSaved={setRecord} tz={tz} />
        </Card>
      )}
      {tab === 'members' && (
        <RecordTable
          resource="campaign_members"
          title={t('mk.campaign.tab.members')}
          columns={['name', 'company', 'title', 'role', 'email', 'contact_id', 'account_id', 'status', 'registered_at']}
          filters={['status', 'role']}
          fixed={{ campaign_id: c.id }}
          rowActions={(m) => <button type="button" className="btn btn-small" onClick={() => setDrawer({ member: m })}>{t('rec.edit')}</button>}
          actions={(
            <div className="inline">
              <button type="button" className="btn btn-small" onClick={() => setDrawer('import')} data-testid="members-import">{t('mk.import.open')}</button>
              <button type="button" className="btn btn-small btn-primary" onClick={() => setDrawer('member')} data-testid="members-new">＋ {t('mk.members.new')}</button>
            </div>
          )}
          reloadKey={reloadKey}
          tz={tz}
          testId="members"
        />
      )}
      {tab === 'leads' && (
        <RecordTable
          resource="leads"
          title={t('mk.campaign.tab.leads')}
          columns={LeadColumns}
          filters={['validity', 'status', 'owner']}
          fixed={{ campaign_id: c.id }}
          rowLink={(l) => `/leads?id=${l.id}`}
          actions={<button type="button" className="btn btn-small btn-primary" onClick={() => setDrawer('lead')} data-testid="campaign-leads-new">＋ {t('mk.leads.new')}</button>}
          reloadKey={reloadKey}
          tz={tz}
          testId="campaign-leads"
        />
      )}
      {drawer === 'import' && (
        <Drawer title={t('mk.import.title', { name: c.name })} onClose={close} testId="campaign-import">
          <MemberImport campaignId={c.id} onImported={() => setReloadKey((k) => k + 1)} />
        </Drawer>
      )}
      {(drawer === 'member' || (drawer && drawer.member)) && (
        <Drawer title={drawer.member ? drawer.member.name : t('mk.members.new')} onClose={close} testId="member-drawer">
          <RecordForm
            resource="campaign_members"
            record={drawer.member || null}
            initial={{ campaign_id: c.id }}
            fields={MEMBER_FIELDS}
            hidden={['campaign_id']}
            refParams={(path, values) => (path === 'contact_id' && values.account_id ? { account_id: values.account_id } : undefined)}
            onCancel={close}
            onSaved={() => { setDrawer(null); setReloadKey((k) => k + 1); }}
            tz={tz}
            testId="member-form"
          />
        </Drawer>
      )}
      {drawer === 'lead' && (
        <Drawer title={t('mk.leads.new')} onClose={close} testId="lead-create">
          <RecordForm
            resource="leads"
            initial={{ campaign_id: c.id, source: 'campaign' }}
            onCancel={close}
            onSaved={() => { setDrawer(null); setReloadKey((k) => k + 1); }}
            tz={tz}
            testId="lead-form"
          />
        </Drawer>
      )}
    </div>
  );
}
