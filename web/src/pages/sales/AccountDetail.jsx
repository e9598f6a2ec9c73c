// An account (#/accounts/ID): the header (level, lifecycle stage, owner, traits,
// ARR, renewal with days left, health), the edit form (fields edited by hand are
// marked; "follow events again" → POST /api/accounts/ID/release), the people by
// decision role, health with its parts, decision-chain coverage (roles active /
// missing), opportunities, visits, open follow-ups, onboarding milestones
// (AccountMilestones.jsx; all from GET /api/accounts/ID/overview) and the one
// timeline of events and record changes — partner points and milestones done
// included (GET /api/accounts/ID/timeline, newest first, paged by `before`).
import { useCallback, useEffect, useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtNum, fmtTime } from '../../format.js';
import { Card, Empty, ErrorBox, Loading } from '../../components/common.jsx';
import { HealthParts, ScoreBar } from '../../views/HealthView.jsx';
import RecordForm, { ObjectView } from '../../records/RecordForm.jsx';
import { choiceLabel, daysUntil, roleLabel } from '../../records/recordFormat.js';
import { ACCOUNT_FORM_FIELDS } from './Accounts.jsx';
import { MarkDoneButton, DueCell, isOverdue } from './FollowUps.jsx';
import { attendeeSummary } from './Visits.jsx';
import AccountMilestones from './AccountMilestones.jsx';
import '../../records/records.css';

const TIMELINE_PAGE = 30;

// Hash path of a record named by a timeline item ({type, id}); type is a resource
// name or its singular. `props` (the event's properties) lead a points entry to its
// partner's page.
export function recordPath(rec, props) {
  if (!rec || !rec.type) return null;
  const type = String(rec.type).replace(/-/g, '_');
  switch (type) {
    case 'opportunity': case 'opportunities': return `/opportunities/${rec.id}`;
    case 'visit': case 'visits': return `/visits/${rec.id}`;
    case 'account': case 'accounts': return `/accounts/${rec.id}`;
    case 'follow_up': case 'follow_ups': return '/follow-ups';
    case 'feedback': case 'feedback_item': return '/feedback';
    case 'contact': case 'contacts': return '/contacts';
    case 'partner': case 'partners': return `/partners/${rec.id}`;
    case 'point_entry': case 'point_entries':
      return props && props.partner_id !== undefined && props.partner_id !== null ? `/partners/${props.partner_id}` : '/partners';
    case 'campaign_member': case 'campaign_members':
      return props && props.campaign_id ? `/campaigns/${props.campaign_id}` : null;
    default: return null;
  }
}

// Parts as the health query gives them: an object keyed by part, or a list.
function partsObject(parts) {
  if (!parts) return {};
  if (!Array.isArray(parts)) return parts;
  const out = {};
  for (const p of parts) out[p.name || p.part || p.key] = p;
  return out;
}

function Fact({ label, value, hint, testId, hintClass }) {
  return (
    <div className="rec-fact" data-testid={testId}>
      <div className="rec-fact-label">{label}</div>
      <div className="rec-fact-value">{value}</div>
      {hint && <div className={`rec-fact-hint ${hintClass || ''}`}>{hint}</div>}
    </div>
  );
}

function People({ people, tz }) {
  const { t, tOr, lang } = useI18n();
  if (!people || people.every((g) => !(g.contacts || []).length)) return <Empty>{t('account.noPeople')}</Empty>;
  return (
    <div className="rec-people" data-testid="account-people">
      {people.filter((g) => (g.contacts || []).length).map((g) => (
        <div className="rec-people-role" key={g.role || '-'} data-testid="account-people-role" data-role={g.role || ''}>
          <div className="rec-role-name">{roleLabel(tOr, g.role)}</div>
          <div>
            {(g.contacts || []).map((c) => (
              <span key={c.id} className={c.active ? 'rec-person active' : 'rec-person'} data-testid="account-person" title={c.email || c.person_id || ''}>
                <span>
                  {c.person_id ? <a href={`#/events?q=${encodeURIComponent(c.person_id)}`} title={t('account.personEvents')}>{c.name}</a> : c.name}
                  {c.active && <span className="dot dot-live rec-dot" title={t('account.active')} aria-label={t('account.active')} />}
                </span>
                <small>
                  {[c.title, c.last_seen ? t('account.lastSeen', { time: fmtTime(lang, c.last_seen, tz) }) : t('account.neverSeen')].filter(Boolean).join(' · ')}
                </small>
              </span>
            ))}
          </div>
        </div>
      ))}
      <a className="small" href="#/contacts">{t('account.allContacts')}</a>
    </div>
  );
}

function Coverage({ coverage }) {
  const { t, tOr, lang } = useI18n();
  if (!coverage) return <Empty />;
  const missing = coverage.missing || [];
  return (
    <div data-testid="account-coverage">
      <div className="rec-coverage">
        {(coverage.roles || []).map((r) => {
          const cls = r.active > 0 ? 'active' : r.known > 0 ? 'known' : 'missing';
          return (
            <div className={`rec-cov ${cls}`} key={r.role} data-testid="account-coverage-role" data-status={cls}>
              <strong>{roleLabel(tOr, r.role)}</strong>
              <small>{t('account.coverageCounts', { active: fmtNum(lang, r.active), known: fmtNum(lang, r.known) })}</small>
            </div>
          );
        })}
      </div>
      <p className="small help">
        {missing.length
          ? <span className="text-danger" data-testid="account-coverage-missing">{t('account.rolesMissing', { roles: missing.map((r) => roleLabel(tOr, r)).join(lang === 'en' ? ', ' : '、') })}</span>
          : <span className="text-ok">{t('account.rolesAllCovered')}</span>}
      </p>
    </div>
  );
}

// Properties of a timeline item, shortly (record ids and $-members left out).
export function propsText(props) {
  if (!props) return '';
  return Object.entries(props)
    .filter(([k]) => !k.startsWith('$') && k !== 'record_type' && k !== 'record_id')
    .map(([k, v]) => `${k}: ${v === null ? '–' : typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(' · ')
    .slice(0, 240);
}

// A line for the record events whose raw properties read badly: a points entry
// (partner, kind, signed points, reason; the idempotency key is in the ledger) and a
// milestone done (#position name). Other items show their properties as they are.
export function eventSummary(it, tOr, lang) {
  const p = it.properties || {};
  if (it.event === 'partner_points_recorded') {
    const n = Number(p.points);
    const points = Number.isFinite(n) ? `${n > 0 ? '+' : ''}${fmtNum(lang, n)}` : '–';
    return [p.partner_name, choiceLabel(tOr, 'point_entries', 'kind', p.kind), points, p.reason].filter((x) => x !== null && x !== undefined && x !== '').join(' · ');
  }
  if (it.event === 'milestone_done') {
    return [p.position !== null && p.position !== undefined ? `#${p.position}` : null, p.name].filter(Boolean).join(' ');
  }
  return propsText(p);
}

// The person id of account-level record events (the outbox's anonymousId
// "account:<group>", canonical "anon:account:<group>"): not a person to show.
const accountOnly = (personId) => typeof personId === 'string' && /^(anon:)?account:/.test(personId);

function Timeline({ id, tz, version }) {
  const { t, tOr, lang } = useI18n();
  const [items, setItems] = useState([]);
  const [next, setNext] = useState(null);
  const [state, setState] = useState({ loading: true, error: null });
  const load = useCallback((before) => {
    setState({ loading: true, error: null });
    api.get(`/api/accounts/${id}/timeline${qs({ limit: TIMELINE_PAGE, before })}`).then(
      (d) => {
        setItems((cur) => (before ? [...cur, ...(d.items || [])] : d.items || []));
        setNext(d.next_before || null);
        setState({ loading: false, error: null });
      },
      (error) => setState({ loading: false, error }),
    );
  }, [id]);
  useEffect(() => { load(null); }, [load, version]);

  return (
    <Card title={t('account.timeline')} testId="account-timeline">
      <p className="muted small help">{t('account.timelineHelp')}</p>
      <ErrorBox error={state.error} onRetry={() => load(null)} />
      {state.loading && items.length === 0 && <Loading />}
      {!state.loading && !state.error && items.length === 0 && <Empty>{t('account.noTimeline')}</Empty>}
      {items.length > 0 && (
        <ul className="rec-timeline">
          {items.map((it, i) => {
            const link = recordPath(it.record, it.properties);
            const summary = eventSummary(it, tOr, lang);
            const who = it.contact_name || (accountOnly(it.person_id) ? null : it.person_id);
            const change = !!it.record;
            const name = it.event || it.type || '';
            return (
              <li key={`${it.t}-${i}`} className={change ? 'rec-change' : undefined} data-testid={change ? 'timeline-change' : 'timeline-event'} data-event={name}>
                <span className="rec-t-time">{fmtTime(lang, it.t, tz)}</span>
                <div>
                  <div className="inline wrap">
                    {change && <span className="badge badge-blue">{t('account.recordChange')}</span>}
                    {change && link ? <a href={`#${link}`} data-testid="timeline-record-link"><strong>{tOr(`event.${name}`, name)}</strong></a> : <strong title={name}>{tOr(`event.${name}`, name)}</strong>}
                    {who && (
                      <span className="muted small">
                        {who}{it.role ? ` · ${roleLabel(tOr, it.role)}` : ''}
                      </span>
                    )}
                  </div>
                  {summary && <div className="rec-t-props" data-testid="timeline-props">{summary}</div>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {next && (
        <div className="rec-more">
          <button type="button" className="btn btn-small" disabled={state.loading} onClick={() => load(next)} data-testid="account-timeline-more">
            {state.loading ? t('common.loading') : t('account.timelineMore')}
          </button>
        </div>
      )}
    </Card>
  );
}

export default function AccountDetail({ tz, id }) {
  const { t, tOr, lang } = useI18n();
  const rec = useAsync(() => api.get(`/api/accounts/${id}`), [id]);
  const [version, setVersion] = useState(0);
  const ov = useAsync(() => api.get(`/api/accounts/${id}/overview?days=30`), [id, version]);
  const [editing, setEditing] = useState(false);
  const bump = () => setVersion((n) => n + 1);

  if (rec.loading && !rec.data) return <Loading />;
  if (rec.error && !rec.data) return <ErrorBox error={rec.error} onRetry={rec.reload} />;
  const a = rec.data.record;
  const o = ov.data || null;
  const renewal = (o && o.renewal) || (a.renewal_date ? { date: a.renewal_date, arr: a.arr, days_left: daysUntil(a.renewal_date, tz) } : null);
  const health = o && o.health;
  const manual = a.manual_fields || [];

  return (
    <div className="page" data-testid="account-page">
      <a className="rec-back" href="#/accounts">← {t('accounts.title')}</a>
      <div className="rec-head">
        <div>
          <h1 data-testid="account-name">{a.name}</h1>
          <div className="rec-tags" data-testid="account-tags">
            {a.level && <span className="badge badge-blue" data-testid="account-level">{tOr(`health.level.${a.level}`, a.level)}</span>}
            {a.lifecycle_stage && <span className="badge badge-green" data-testid="account-stage">{tOr(`stage.${a.lifecycle_stage}`, a.lifecycle_stage)}</span>}
            {a.industry && <span className="badge">{a.industry}</span>}
            {a.region && <span className="badge">{a.region}</span>}
            {a.size && <span className="badge">{a.size}</span>}
            {a.plan && <span className="badge">{a.plan}</span>}
            <span className="muted" data-testid="account-owner">{tOr('field.owner', 'owner')}: {a.owner || t('account.noOwner')}</span>
            {a.group_id && <a className="muted small" href={`#/events?q=${encodeURIComponent(a.group_id)}`}>{a.group_id}</a>}
            {manual.length > 0 && <span className="badge badge-amber" data-testid="account-manual-count">{t('account.manualCount', { n: manual.length })}</span>}
          </div>
        </div>
        <div className="inline">
          <a className="btn" href={`#/visits?account_id=${a.id}&new=1`} data-testid="account-new-visit">＋ {t('account.newVisit')}</a>
          <button type="button" className={editing ? 'btn active' : 'btn'} onClick={() => setEditing((e) => !e)} data-testid="account-edit">{t('rec.edit')}</button>
        </div>
      </div>
      <div className="rec-facts">
        <Fact label={tOr('field.accounts.arr', 'ARR')} value={fmtNum(lang, renewal && renewal.arr !== undefined ? renewal.arr : a.arr)} testId="account-arr" />
        <Fact
          label={tOr('field.accounts.renewal_date', 'renewal')}
          value={renewal && renewal.date ? renewal.date : '–'}
          hint={renewal && renewal.days_left !== null && renewal.days_left !== undefined ? (renewal.days_left < 0 ? t('sales.daysAgo', { n: -renewal.days_left }) : t('sales.daysLeft', { n: renewal.days_left })) : null}
          hintClass={renewal && renewal.days_left !== null && renewal.days_left <= 60 ? 'text-danger' : ''}
          testId="account-renewal"
        />
        <Fact label={tOr('field.accounts.seats', 'seats')} value={fmtNum(lang, a.seats)} />
        <Fact label={t('account.health')} value={health && health.score !== null && health.score !== undefined ? fmtNum(lang, Math.round(health.score)) : '–'} testId="account-health-score" />
      </div>
      <Card title={t('account.traits')} testId="account-traits">
        <ObjectView value={a.traits} testId="account-traits-list" />
        <p className="muted small help">{t('account.traitsHelp')}</p>
      </Card>
      {editing && (
        <Card title={t('account.edit')} testId="account-edit-card">
          <p className="muted small">{t('account.editHelp')}</p>
          <RecordForm
            resource="accounts"
            record={a}
            fields={ACCOUNT_FORM_FIELDS}
            tz={tz}
            testId="account-form"
            onCancel={() => setEditing(false)}
            onSaved={(r) => { rec.setData({ record: r }); setEditing(false); bump(); }}
            onRelease={async (fields) => {
              const d = await api.post(`/api/accounts/${a.id}/release`, { fields });
              rec.setData({ record: d.record });
              bump();
            }}
          />
        </Card>
      )}
      <ErrorBox error={ov.error} onRetry={ov.reload} />
      <div className="rec-grid-2">
        <Card title={t('account.people')} testId="account-people-card">
          {ov.loading && !o ? <Loading /> : o && <People people={o.people} tz={tz} />}
        </Card>
        <div className="view-stack">
          <Card title={t('account.coverage')} testId="account-coverage-card">
            {ov.loading && !o ? <Loading /> : <Coverage coverage={o && o.coverage} />}
          </Card>
          <Card title={t('account.health')} testId="account-health">
            {ov.loading && !o ? <Loading /> : health ? (
              <>
                <ScoreBar score={health.score} testId="account-health-bar" />
                <HealthParts account={{ ...health, parts: partsObject(health.parts) }} />
              </>
            ) : <Empty>{t('account.noHealth')}</Empty>}
          </Card>
        </div>
      </div>
      <div className="rec-grid-2">
        <Card title={t('account.opportunities')} testId="account-opportunities" actions={<a className="btn btn-small" href={`#/opportunities?account_id=${a.id}`}>{t('account.all')}</a>}>
          {o && (o.opportunities || []).length === 0 && <Empty>{t('account.noOpportunities')}</Empty>}
          {o && (o.opportunities || []).length > 0 && (
            <table className="table">
              <thead><tr><th>{tOr('field.name', 'name')}</th><th>{tOr('field.stage', 'stage')}</th><th className="num">{tOr('field.opportunities.amount', 'amount')}</th><th>{tOr('field.opportunities.expected_close', 'close')}</th></tr></thead>
              <tbody>
                {o.opportunities.map((op) => (
                  <tr key={op.id} data-testid="account-opportunity">
                    <td><a href={`#/opportunities/${op.id}`}>{op.name}</a></td>
                    <td>{tOr(`pl.stage.${op.stage}`, op.stage)}</td>
                    <td className="num">{fmtNum(lang, op.amount)}</td>
                    <td>{op.expected_close || '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title={t('account.visits')} testId="account-visits" actions={<a className="btn btn-small" href={`#/visits?account_id=${a.id}`}>{t('account.all')}</a>}>
          {o && (o.visits || []).length === 0 && <Empty>{t('account.noVisits')}</Empty>}
          {o && (o.visits || []).length > 0 && (
            <ul className="rec-list">
              {o.visits.map((v) => (
                <li key={v.id} data-testid="account-visit">
                  <span className="muted small nowrap">{fmtTime(lang, v.held_at, tz)}</span>
                  <a href={`#/visits/${v.id}`}>{v.title}</a>
                  <span className="badge">{choiceLabel(tOr, 'visits', 'kind', v.kind)}</span>
                  {v.status !== 'held' && <span className="badge badge-blue">{choiceLabel(tOr, 'visits', 'status', v.status)}</span>}
                  <span className="muted small">{attendeeSummary(v.attendees)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card title={t('account.followUps')} testId="account-follow-ups" actions={<a className="btn btn-small" href={`#/follow-ups?account_id=${a.id}`}>{t('account.all')}</a>}>
        {o && (o.follow_ups || []).length === 0 && <Empty>{t('account.noFollowUps')}</Empty>}
        {o && (o.follow_ups || []).length > 0 && (
          <table className="table rec-table">
            <tbody>
              {o.follow_ups.map((f) => (
                <tr key={f.id} className={isOverdue(f, tz) ? 'rec-overdue' : undefined} data-testid="account-follow-up">
                  <td>{f.title}</td>
                  <td><DueCell record={f} tz={tz} /></td>
                  <td>{f.owner}</td>
                  <td>{f.visit_id ? <a href={`#/visits/${f.visit_id}`}>{f.visit_name || `#${f.visit_id}`}</a> : ''}</td>
                  <td className="rec-row-actions"><MarkDoneButton record={f} onDone={bump} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <AccountMilestones
        accountId={id}
        milestones={o ? o.milestones || [] : null}
        progress={o && o.milestone_progress}
        loading={ov.loading}
        tz={tz}
        onChanged={bump}
      />
      <Timeline id={id} tz={tz} version={version} />
    </div>
  );
}
