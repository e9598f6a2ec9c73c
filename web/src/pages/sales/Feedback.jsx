// Feedback backlog (#/feedback): product requests heard from customers, one item
// per request linked to the accounts that asked for it, sorted by weight (GET
// /api/feedback/backlog?status= → items with "accounts", "arr_behind", "weight"),
// the ARR behind each, a status change in place (PATCH /api/feedback/ID), a new
// item linked to accounts, and the export (/api/feedback/backlog/export).
import { useState } from 'react';
import { api, qs, request } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtNum } from '../../format.js';
import { Card, Empty, ErrorBox, Loading } from '../../components/common.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import { ExportLinks } from '../../records/RecordTable.jsx';
import { useResource, fieldOf } from '../../records/useSchema.js';
import { choiceLabel } from '../../records/recordFormat.js';

export const FEEDBACK_FORM_FIELDS = ['title', 'account_ids', 'detail', 'source', 'status', 'product_area', 'owner', 'visit_id'];

function StatusSelect({ item, choices, onChanged }) {
  const { tOr } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  return (
    <span className="inline">
      <select
        className="input rec-status-select"
        value={item.status || ''}
        disabled={busy}
        onChange={async (e) => {
          setBusy(true);
          setError(null);
          try {
            const d = await request('PATCH', `/api/feedback/${item.id}`, { status: e.target.value });
            onChanged(d.record);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
        data-testid="feedback-status"
      >
        {choices.map((c) => <option key={c} value={c}>{choiceLabel(tOr, 'feedback', 'status', c)}</option>)}
      </select>
      {error && <small className="field-error" role="alert">{error.message}</small>}
    </span>
  );
}

export default function Feedback({ tz, params }) {
  const { t, tOr, lang } = useI18n();
  const [status, setStatus] = useState((params && params.status) || '');
  const [creating, setCreating] = useState(false);
  const { resource } = useResource('feedback');
  const choices = (fieldOf(resource, 'status') || {}).choices || [];
  const backlog = useAsync(() => api.get(`/api/feedback/backlog${qs({ status })}`), [status]);
  const items = (backlog.data && backlog.data.items) || [];
  // The weight is the ARR behind today; its own column only when they differ.
  const showWeight = items.some((it) => Number(it.weight) !== Number(it.arr_behind));

  return (
    <div className="page" data-testid="feedback-page">
      <div className="page-head">
        <div>
          <h1>{t('feedback.title')}</h1>
          <p className="muted">{t('feedback.subtitle')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setCreating((c) => !c)} data-testid="feedback-new">＋ {t('feedback.new')}</button>
      </div>
      {creating && (
        <Card title={t('feedback.new')} testId="feedback-create">
          <RecordForm
            resource="feedback"
            fields={FEEDBACK_FORM_FIELDS}
            tz={tz}
            testId="feedback-form"
            onCancel={() => setCreating(false)}
            onSaved={() => { setCreating(false); backlog.reload(); }}
          />
        </Card>
      )}
      <Card
        title={t('feedback.backlog')}
        className={backlog.loading && backlog.data ? 'card-busy' : undefined}
        testId="feedback-backlog"
        actions={(
          <div className="inline wrap">
            <label className="inline">
              <span className="muted small">{tOr('field.status', 'status')}</span>
              <select className="input" value={status} onChange={(e) => setStatus(e.target.value)} data-testid="feedback-filter-status">
                <option value="">{t('rec.all')}</option>
                {choices.map((c) => <option key={c} value={c}>{choiceLabel(tOr, 'feedback', 'status', c)}</option>)}
              </select>
            </label>
            <ExportLinks path="/api/feedback/backlog/export" params={{ status }} name="feedback-backlog" testId="feedback" />
          </div>
        )}
      >
        <p className="muted small help">{t('feedback.help')}</p>
        <ErrorBox error={backlog.error} onRetry={backlog.reload} />
        {backlog.loading && !backlog.data && <Loading />}
        {backlog.data && items.length === 0 && <Empty>{t('feedback.none')}</Empty>}
        {items.length > 0 && (
          <div className="table-wrap">
            <table className="table rec-table" data-testid="feedback-table">
              <thead>
                <tr>
                  <th>{tOr('field.feedback.title', 'title')}</th>
                  {showWeight && <th className="num">{t('feedback.weight')}</th>}
                  <th className="num">{t('feedback.arrBehind')}</th>
                  <th>{t('feedback.accounts', { n: '' })}</th>
                  <th>{tOr('field.status', 'status')}</th>
                  <th>{tOr('field.feedback.source', 'source')}</th>
                  <th>{tOr('field.feedback.product_area', 'product_area')}</th>
                  <th>{tOr('field.owner', 'owner')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((it) => (
                  <tr key={it.id} data-testid="feedback-row" data-id={it.id}>
                    <td>
                      <strong>{it.title}</strong>
                      {it.detail && <div className="muted small ellipsis" title={it.detail}>{it.detail}</div>}
                    </td>
                    {showWeight && <td className="num rec-weight" data-testid="feedback-weight">{fmtNum(lang, Math.round(Number(it.weight) * 100) / 100)}</td>}
                    <td className={showWeight ? 'num' : 'num rec-weight'} data-testid="feedback-arr">{fmtNum(lang, it.arr_behind)}</td>
                    <td>
                      <div className="inline wrap">
                        {(it.accounts || []).map((a) => (
                          <a key={a.id} className="chip" href={`#/accounts/${a.id}`} title={a.arr !== null && a.arr !== undefined ? `ARR ${fmtNum(lang, a.arr)}` : undefined}>{a.name}</a>
                        ))}
                      </div>
                    </td>
                    <td><StatusSelect item={it} choices={choices} onChanged={() => backlog.reload()} /></td>
                    <td>{choiceLabel(tOr, 'feedback', 'source', it.source)}</td>
                    <td>{it.product_area || '–'}</td>
                    <td>{it.owner || '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
