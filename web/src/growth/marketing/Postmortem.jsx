// A campaign's post-mortem (GET /api/campaigns/ID/postmortem, contract E1): cost
// against budget, reach (people, accounts, decision makers), the role share of
// the people reached, the accounts reached by level and by industry, the funnel
// leads → valid → followed up → opportunities → deals, cost per valid lead,
// follow-up rate and ROI; CSV / XLSX export of the same answer.
//   <Postmortem campaignId={5} />
import { useMemo } from 'react';
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { Card, Empty, Loading } from '../../components/common.jsx';
import Chart from '../../components/Chart.jsx';
import { ExportLinks } from '../../records/RecordTable.jsx';
import { roleLabel } from '../../records/recordFormat.js';
import LoadError from './Unavailable.jsx';
import { AXIS, SPLIT } from './charts.js';
import { num, pct } from './util.js';

function Kpi({ id, label, value, hint, raw }) {
  return (
    <div className="kpi" data-testid="pm-kpi" data-key={id} data-value={raw === null || raw === undefined ? '' : String(raw)}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {hint && <div className="kpi-hint">{hint}</div>}
    </div>
  );
}

function barOption(rows, valueLabel) {
  return {
    grid: { left: 110, right: 24, top: 10, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS, splitLine: SPLIT },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisLabel: { ...AXIS, width: 100, overflow: 'truncate' } },
    series: [{ type: 'bar', name: valueLabel, barMaxWidth: 22, data: rows.map((r) => r.value), label: { show: true, position: 'right' } }],
  };
}

export default function Postmortem({ campaignId }) {
  const { t, tOr, lang } = useI18n();
  const res = useAsync(() => api.get(`/api/campaigns/${campaignId}/postmortem`), [campaignId]);
  const p = res.data;

  const charts = useMemo(() => {
    if (!p) return null;
    const roles = (p.by_role || []).map((r) => ({ name: roleLabel(tOr, r.role), value: Number(r.people) || 0 }));
    const levels = (p.by_level || []).map((r) => ({ name: r.level ? tOr(`health.level.${r.level}`, String(r.level)) : t('mk.pm.none'), value: Number(r.accounts) || 0 }));
    const industries = (p.by_industry || []).map((r) => ({ name: r.industry || t('mk.pm.none'), value: Number(r.accounts) || 0 }));
    const leads = p.leads || {};
    const steps = [
      ['leads', leads.total], ['valid', leads.valid], ['followed', leads.followed_up],
      ['opportunities', (p.opportunities || {}).count], ['deals', (p.deals || {}).count],
    ].map(([k, v]) => ({ key: k, name: t(`mk.pm.step.${k}`), value: Number(v) || 0 }));
    return {
      roles,
      levels,
      industries,
      steps,
      role: {
        tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
        legend: { bottom: 0, type: 'scroll' },
        series: [{ type: 'pie', radius: ['38%', '68%'], center: ['50%', '44%'], data: roles, label: { formatter: '{b}\n{d}%' } }],
      },
      reach: {
        grid: { left: 80, right: 24, top: 10, bottom: 24 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS, splitLine: SPLIT },
        yAxis: { type: 'category', inverse: true, data: [t('mk.pm.people'), t('mk.pm.accounts'), t('mk.pm.decisionMakers')], axisLabel: AXIS },
        series: [{ type: 'bar', barMaxWidth: 26, data: [(p.reached || {}).people || 0, (p.reached || {}).accounts || 0, p.decision_makers || 0], label: { show: true, position: 'right' } }],
      },
      level: barOption(levels, t('mk.pm.accounts')),
      industry: barOption(industries, t('mk.pm.accounts')),
      funnel: {
        grid: { left: 90, right: 40, top: 10, bottom: 24 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS, splitLine: SPLIT },
        yAxis: { type: 'category', inverse: true, data: steps.map((s) => s.name), axisLabel: AXIS },
        series: [{
          type: 'bar', barMaxWidth: 28, data: steps.map((s) => s.value),
          label: { show: true, position: 'right' },
        }],
      },
    };
  }, [p, t, tOr]);

  if (res.error && !p) return <Card title={t('mk.pm.title')} testId="postmortem"><LoadError error={res.error} onRetry={res.reload} endpoint={`/api/campaigns/${campaignId}/postmortem`} /></Card>;
  if (!p) return <Loading />;

  const cost = p.cost || {};
  const leads = p.leads || {};
  const reached = p.reached || {};
  const roi = p.roi;
  return (
    <div className="mk-postmortem" data-testid="postmortem">
      <div className="page-head mk-subhead">
        <p className="muted">{t('mk.pm.subtitle')}</p>
        <ExportLinks path={`/api/campaigns/${campaignId}/postmortem/export`} params={{}} name={`campaign-${campaignId}-postmortem`} testId="pm" />
      </div>
      <div className="kpis mk-kpis" data-testid="pm-kpis">
        <Kpi id="cost" label={t('mk.pm.cost')} value={num(lang, cost.actual)} raw={cost.actual} hint={t('mk.pm.budget', { v: num(lang, cost.budget) })} />
        <Kpi id="reached_people" label={t('mk.pm.reachedPeople')} value={num(lang, reached.people)} raw={reached.people} hint={t('mk.pm.reachedAccounts', { n: num(lang, reached.accounts) })} />
        <Kpi id="decision_makers" label={t('mk.pm.decisionMakers')} value={num(lang, p.decision_makers)} raw={p.decision_makers} />
        <Kpi id="valid_leads" label={t('mk.pm.validLeads')} value={num(lang, leads.valid)} raw={leads.valid} hint={t('mk.pm.leadsOf', { total: num(lang, leads.total), invalid: num(lang, leads.invalid) })} />
        <Kpi id="cost_per_valid_lead" label={t('mk.pm.costPerValid')} value={num(lang, p.cost_per_valid_lead, 2)} raw={p.cost_per_valid_lead} />
        <Kpi id="follow_up_rate" label={t('mk.pm.followUpRate')} value={pct(lang, p.follow_up_rate)} raw={p.follow_up_rate} hint={t('mk.pm.followed', { n: num(lang, leads.followed_up) })} />
        <Kpi id="opportunities" label={t('mk.pm.opportunities')} value={num(lang, (p.opportunities || {}).count)} raw={(p.opportunities || {}).count} hint={t('mk.pm.amount', { v: num(lang, (p.opportunities || {}).amount) })} />
        <Kpi id="deals" label={t('mk.pm.deals')} value={num(lang, (p.deals || {}).count)} raw={(p.deals || {}).count} hint={t('mk.pm.amount', { v: num(lang, (p.deals || {}).amount) })} />
        <Kpi id="roi" label={t('mk.pm.roi')} value={roi === null || roi === undefined ? '–' : pct(lang, roi)} raw={roi} hint={roi === null || roi === undefined ? t('mk.pm.roiNoCost') : t('mk.pm.roiHint')} />
      </div>
      <div className="grid-2">
        <Card title={t('mk.pm.reach')} testId="pm-reach">
          <Chart option={charts.reach} height={180} testId="pm-reach-chart" />
        </Card>
        <Card title={t('mk.pm.funnel')} testId="pm-funnel">
          <Chart option={charts.funnel} height={220} testId="pm-funnel-chart" />
          <ol className="mk-funnel-steps" data-testid="pm-funnel-steps">
            {charts.steps.map((s, i) => (
              <li key={s.key} data-step={s.key} data-n={s.value}>
                {s.name} <strong>{num(lang, s.value)}</strong>
                {i > 0 && charts.steps[i - 1].value > 0 && <span className="muted small"> ({pct(lang, s.value / charts.steps[i - 1].value)})</span>}
              </li>
            ))}
          </ol>
        </Card>
        <Card title={t('mk.pm.roleShare')} testId="pm-roles">
          {charts.roles.length ? <Chart option={charts.role} height={260} testId="pm-roles-chart" /> : <Empty>{t('mk.pm.noReach')}</Empty>}
        </Card>
        <Card title={t('mk.pm.byLevel')} testId="pm-levels">
          {charts.levels.length ? <Chart option={charts.level} height={Math.max(160, 34 * charts.levels.length)} testId="pm-levels-chart" /> : <Empty>{t('mk.pm.noReach')}</Empty>}
        </Card>
      </div>
      <Card title={t('mk.pm.byIndustry')} testId="pm-industries">
        {charts.industries.length ? <Chart option={charts.industry} height={Math.max(160, 30 * charts.industries.length)} testId="pm-industries-chart" /> : <Empty>{t('mk.pm.noReach')}</Empty>}
      </Card>
    </div>
  );
}
