// A visit (#/visits/ID): what happened (time, kind, status, account, opportunity,
// attendees with their roles, actions, needs, feedback, summary), its minutes
// (GET /api/visits/ID/minutes → {subject, body, to}: copy, or open as an e-mail
// to the attendees), its follow-ups (create, mark done) and an edit form.
import { useState } from 'react';
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtTime } from '../../format.js';
import { Card, CopyButton, Empty, ErrorBox, Loading } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import { choiceLabel, roleLabel } from '../../records/recordFormat.js';
import { VISIT_FORM_FIELDS, visitRefParams } from './Visits.jsx';
import { FOLLOW_UP_FORM_FIELDS, MarkDoneButton, followUpColumns, isOverdue } from './FollowUps.jsx';
import '../../records/records.css';

function addDays(date, n) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
}

export function mailtoHref(m) {
  const to = (m.to || []).map((x) => encodeURIComponent(x)).join(',');
  return `mailto:${to}?subject=${encodeURIComponent(m.subject || '')}&body=${encodeURIComponent(m.body || '')}`;
}

function Minutes({ id, version }) {
  const { t } = useI18n();
  const m = useAsync(() => api.get(`/api/visits/${id}/minutes`), [id, version]);
  return (
    <Card
      title={t('visit.minutes')}
      testId="visit-minutes"
      actions={m.data && (
        <div className="inline">
          <CopyButton text={() => `${m.data.subject}\n\n${m.data.body}`} label={t('visit.copyMinutes')} testId="visit-minutes-copy" />
          <a className="btn btn-small" href={mailtoHref(m.data)} data-testid="visit-minutes-mail">✉ {t('visit.mailMinutes')}</a>
        </div>
      )}
    >
      {m.loading && !m.data && <Loading />}
      <ErrorBox error={m.error} onRetry={m.reload} />
      {m.data && (
        <>
          <div className="rec-minutes-subject" data-testid="visit-minutes-subject">{m.data.subject}</div>
          <pre className="rec-minutes-body" data-testid="visit-minutes-body">{m.data.body}</pre>
          {(m.data.to || []).length > 0 && <p className="muted small help">{t('visit.mailTo', { to: m.data.to.join(', ') })}</p>}
        </>
      )}
    </Card>
  );
}

export default function VisitDetail({ tz, id }) {
  const { t, tOr, lang } = useI18n();
  const v = useAsync(() => api.get(`/api/visits/${id}`), [id]);
  const [editing, setEditing] = useState(false);
  const [creatingFu, setCreatingFu] = useState(false);
  const [fuKey, setFuKey] = useState(0);
  const [version, setVersion] = useState(0);

  if (v.loading && !v.data) return <Loading />;
  if (v.error && !v.data) return <ErrorBox error={v.error} onRetry={v.reload} />;
  const r = v.data.record;
  const attendees = r.attendees || [];
  const today = new Date().toISOString().slice(0, 10);

  return (
    <div className="page" data-testid="visit-page">
      <a className="rec-back" href="#/visits">← {t('visits.title')}</a>
      <div className="rec-head">
        <div>
          <h1 data-testid="visit-title">{r.title}</h1>
          <div className="rec-tags">
            <span className="badge badge-blue">{choiceLabel(tOr, 'visits', 'kind', r.kind)}</span>
            <span className={`badge ${r.status === 'held' ? 'badge-green' : ''}`}>{choiceLabel(tOr, 'visits', 'status', r.status)}</span>
            <span className="muted">{fmtTime(lang, r.held_at, tz)}</span>
            <a href={`#/accounts/${r.account_id}`} data-testid="visit-account-link">{r.account_name || `#${r.account_id}`}</a>
            {r.opportunity_id && <a href={`#/opportunities/${r.opportunity_id}`}>{r.opportunity_name || `#${r.opportunity_id}`}</a>}
            {r.owner && <span className="muted">{tOr('field.owner', 'owner')}: {r.owner}</span>}
          </div>
        </div>
        <button type="button" className={editing ? 'btn active' : 'btn'} onClick={() => setEditing((e) => !e)} data-testid="visit-edit">{t('rec.edit')}</button>
      </div>
      {editing && (
        <Card title={t('visit.edit')} testId="visit-edit-card">
          <RecordForm
            resource="visits"
            record={r}
            fields={VISIT_FORM_FIELDS}
            refParams={visitRefParams}
            tz={tz}
            testId="visit-form"
            onCancel={() => setEditing(false)}
            onSaved={(rec) => { v.setData({ record: rec }); setEditing(false); setVersion((n) => n + 1); }}
          />
        </Card>
      )}
      <div className="rec-grid-2">
        <Card title={t('visit.attendees')} testId="visit-attendees">
          {attendees.length === 0 ? <Empty>{t('visit.noAttendees')}</Empty> : (
            <table className="table">
              <thead>
                <tr><th>{tOr('field.visits.attendees.name', 'name')}</th><th>{tOr('field.role', 'role')}</th><th>{tOr('field.visits.attendees.side', 'side')}</th></tr>
              </thead>
              <tbody>
                {attendees.map((a, i) => (
                  <tr key={i} data-testid="visit-attendee">
                    <td>{a.contact_id ? <a href={`#/contacts?account_id=${r.account_id}`}>{a.name}</a> : a.name}</td>
                    <td>{a.role ? roleLabel(tOr, a.role) : '–'}</td>
                    <td>{choiceLabel(tOr, 'visits', 'side', a.side)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title={t('visit.details')} testId="visit-details">
          <dl className="rec-kv rec-kv-wide">
            <div><dt>{tOr('field.visits.actions', 'actions')}</dt><dd>{(r.actions || []).map((a) => choiceLabel(tOr, 'visits', 'actions', a)).join(', ') || '–'}</dd></div>
            <div><dt>{tOr('field.visits.stage', 'stage')}</dt><dd>{r.stage ? tOr(`pl.stage.${r.stage}`, r.stage) : '–'}</dd></div>
            <div><dt>{tOr('field.visits.needs_found', 'needs')}</dt><dd>{(r.needs_found || []).join(', ') || '–'}</dd></div>
          </dl>
          {r.feedback && (<><div className="subhead">{tOr('field.visits.feedback', 'feedback')}</div><p className="rec-pre">{r.feedback}</p></>)}
          {r.summary && (<><div className="subhead">{tOr('field.visits.summary', 'summary')}</div><p className="rec-pre">{r.summary}</p></>)}
        </Card>
      </div>
      <Minutes id={id} version={version} />
      {creatingFu && (
        <Card title={t('followUps.new')} testId="visit-follow-up-create">
          <RecordForm
            resource="follow_ups"
            fields={FOLLOW_UP_FORM_FIELDS}
            hidden={['account_id', 'visit_id', 'status']}
            initial={{ visit_id: r.id, account_id: r.account_id, opportunity_id: r.opportunity_id, owner: r.owner, due_date: addDays(today, 7) }}
            refParams={(path) => (path === 'opportunity_id' ? { account_id: r.account_id } : undefined)}
            tz={tz}
            testId="follow-up-form"
            onCancel={() => setCreatingFu(false)}
            onSaved={() => { setCreatingFu(false); setFuKey((n) => n + 1); setVersion((n) => n + 1); }}
          />
        </Card>
      )}
      <RecordTable
        resource="follow_ups"
        tz={tz}
        title={t('visit.followUps')}
        columns={followUpColumns(t, tOr, tz, { account: false }).filter((c) => c.key !== 'visit_id')}
        fixed={{ visit_id: r.id }}
        search={false}
        sort="due_date"
        order="asc"
        rowClass={(x) => (isOverdue(x, tz) ? 'rec-overdue' : x.status !== 'open' ? 'rec-done' : '')}
        rowActions={(x, reload) => <MarkDoneButton record={x} onDone={() => { reload(); setVersion((n) => n + 1); }} />}
        actions={<button type="button" className="btn btn-small btn-primary" onClick={() => setCreatingFu((c) => !c)} data-testid="visit-follow-up-new">＋ {t('followUps.new')}</button>}
        reloadKey={fuKey}
        testId="visit-follow-ups"
      />
    </div>
  );
}
