// A campaign's checklist ({task, owner, due_date, done} rows of the record):
// ticking a task PATCHes the whole list (the field is one object_list), adding
// and removing rows likewise. Overdue open tasks are marked.
//   <Checklist campaign={record} onSaved={(record) => …} tz={tz} />
import { useState } from 'react';
import { request } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { ErrorBox, Empty } from '../../components/common.jsx';
import { todayIn } from '../../records/recordFormat.js';

export default function Checklist({ campaign, onSaved, tz }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [draft, setDraft] = useState({ task: '', owner: '', due_date: '' });
  const list = Array.isArray(campaign.checklist) ? campaign.checklist : [];
  const today = todayIn(tz);

  const save = async (next) => {
    setBusy(true);
    setError(null);
    try {
      const clean = next.map((r) => {
        const o = { task: r.task, done: !!r.done };
        if (r.owner) o.owner = r.owner;
        if (r.due_date) o.due_date = r.due_date;
        return o;
      });
      const res = await request('PATCH', `/api/campaigns/${campaign.id}`, { checklist: clean });
      onSaved(res.record);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const done = list.filter((r) => r.done).length;
  return (
    <div className="mk-checklist" data-testid="mk-checklist">
      <p className="muted small" data-testid="mk-checklist-progress">{t('mk.checklist.progress', { done, total: list.length })}</p>
      {list.length === 0 ? <Empty>{t('mk.checklist.empty')}</Empty> : (
        <ul className="mk-tasks">
          {list.map((r, i) => {
            const overdue = !r.done && r.due_date && r.due_date < today;
            return (
              <li key={i} className={[r.done ? 'mk-done' : '', overdue ? 'mk-overdue' : ''].filter(Boolean).join(' ')} data-testid="mk-task">
                <label className="inline">
                  <input type="checkbox" checked={!!r.done} disabled={busy} onChange={() => save(list.map((x, j) => (j === i ? { ...x, done: !x.done } : x)))} data-testid="mk-task-done" />
                  <span className="mk-task-name">{r.task}</span>
                </label>
                <span className="muted small">{r.owner || '–'}</span>
                <span className={overdue ? 'small mk-overdue-date' : 'muted small'}>{r.due_date || '–'}{overdue ? ` · ${t('mk.checklist.overdue')}` : ''}</span>
                <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => save(list.filter((_, j) => j !== i))} aria-label={t('rec.remove')}>✕</button>
              </li>
            );
          })}
        </ul>
      )}
      <form
        className="inline mk-task-add"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!draft.task.trim()) return;
          if (await save([...list, { ...draft, task: draft.task.trim(), done: false }])) setDraft({ task: '', owner: '', due_date: '' });
        }}
      >
        <input className="input" value={draft.task} placeholder={t('mk.checklist.task')} onChange={(e) => setDraft({ ...draft, task: e.target.value })} data-testid="mk-task-new" />
        <input className="input" value={draft.owner} placeholder={t('mk.checklist.owner')} onChange={(e) => setDraft({ ...draft, owner: e.target.value })} />
        <input className="input" type="date" value={draft.due_date} onChange={(e) => setDraft({ ...draft, due_date: e.target.value })} aria-label={t('mk.checklist.due')} />
        <button type="submit" className="btn" disabled={busy || !draft.task.trim()} data-testid="mk-task-add">＋ {t('mk.checklist.add')}</button>
      </form>
      <ErrorBox error={error} />
    </div>
  );
}
