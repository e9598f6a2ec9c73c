// Goals (#/goals): each goal's progress in its current period (GET
// /api/goals/progress?at=YYYY-MM-DD) — current value computed from its saved
// query, target, a progress bar, and whether it is on track (value ≥ target ×
// the elapsed share of the period); a goal whose query cannot be evaluated shows
// the server's error. Below, the goal records (create / edit; the query is a
// query spec as JSON text, e.g. {"kind":"trend", …}). A server without the
// progress endpoint shows a notice and the records only.
import { useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtNum } from '../../format.js';
import { Card, Empty } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel, todayIn } from '../../records/recordFormat.js';
import { LoadState, ProgressBar, listOf } from '../../growth/success/Pending.jsx';
import ExportButtons from '../../growth/success/ExportButtons.jsx';

// Progress in percent: value ÷ target when both are numbers, else the server's.
export function goalPct(g) {
  const v = Number(g.value);
  const tg = Number(g.target);
  if (g.value !== null && g.value !== undefined && Number.isFinite(v) && Number.isFinite(tg) && tg > 0) return (100 * v) / tg;
  const p = g.progress_pct ?? g.progress;
  return typeof p === 'number' ? p : null;
}

function Progress({ at }) {
  const { t, tOr, lang } = useI18n();
  const state = useAsync(() => api.get(`/api/goals/progress${qs({ at })}`), [at]);
  return (
    <Card title={t('goals.progress')} testId="goals-progress"
      actions={<ExportButtons path="/api/goals/progress/export" params={{ at }} prefix="goal-progress" testId="goals-export" />}>
      <LoadState state={state} what="/api/goals/progress">
        {(d) => {
          const goals = listOf(d, 'goals');
          if (goals.length === 0) return <Empty>{t('goals.none')}</Empty>;
          return (
            <div className="sc-goals">
              {goals.map((g) => {
                const pct = goalPct(g);
                const err = g.error && (g.error.message || String(g.error));
                const onTrack = g.on_track;
                return (
                  <div key={g.goal_id ?? g.id ?? g.name} className="sc-goal" data-testid="goal-row">
                    <div>
                      <strong>{g.name}</strong>
                      <small>
                        {[g.metric, choiceLabel(tOr, 'goals', 'period', g.period), (g.period_from || g.from) && `${g.period_from || g.from} – ${g.period_to || g.to}`, g.owner].filter((x) => x && x !== '–').join(' · ')}
                      </small>
                    </div>
                    <div>
                      {err
                        ? <small className="field-error" data-testid="goal-error">{err}</small>
                        : <ProgressBar pct={pct} tone={onTrack === false ? 'warn' : pct >= 100 ? 'ok' : undefined}
                          label={`${fmtNum(lang, g.value)} / ${fmtNum(lang, g.target)}${pct === null ? '' : ` · ${Math.round(pct)}%`}`} testId="goal-bar" />}
                      {typeof g.expected === 'number' && !err && <small className="muted">{t('goals.expected', { n: fmtNum(lang, Math.round(g.expected)) })}</small>}
                    </div>
                    <div>
                      {g.status && g.status !== 'running' && g.status !== 'active' && <span className="badge">{tOr(`goals.status.${g.status}`, g.status)}</span>}{' '}
                      {!err && onTrack !== undefined && onTrack !== null && (
                        <span className={`badge ${onTrack ? 'badge-green' : 'badge-amber'}`} data-testid="goal-on-track" data-on-track={String(onTrack)}>
                          {onTrack ? t('goals.onTrack') : t('goals.behind')}
                        </span>
                      )}
                    </div>
                  </div>
                );
              })}
            </div>
          );
        }}
      </LoadState>
    </Card>
  );
}

export default function Goals({ tz }) {
  const { t } = useI18n();
  const [at, setAt] = useState(todayIn(tz));
  const [editing, setEditing] = useState(null);
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <div className="page" data-testid="goals-page">
      <div className="page-head">
        <div>
          <h1>{t('nav.goals')}</h1>
          <p className="muted">{t('goals.subtitle')}</p>
        </div>
        <span className="inline">
          <label className="field"><span>{t('goals.at')}</span>
            <input type="date" className="input" value={at} onChange={(e) => e.target.value && setAt(e.target.value)} data-testid="goals-at" />
          </label>
          <button type="button" className="btn btn-primary" onClick={() => setEditing({})} data-testid="goals-new">＋ {t('goals.new')}</button>
        </span>
      </div>
      <Progress key={`${at}-${reloadKey}`} at={at} />
      <RecordTable
        resource="goals"
        title={t('goals.records')}
        columns={['name', 'metric', 'target', 'period', 'starts_on', 'ends_on', 'owner']}
        filters={['period', 'owner']}
        rowActions={(r) => <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(r)} data-testid="goal-edit">{t('playbooks.edit')}</button>}
        reloadKey={reloadKey}
        tz={tz}
        testId="goals"
      />
      {editing && (
        <Drawer title={editing.id ? editing.name : t('goals.new')} onClose={() => setEditing(null)} testId="goal-drawer">
          <p className="muted small">{t('goals.queryHint')}</p>
          <RecordForm resource="goals" record={editing.id ? editing : null} tz={tz}
            onCancel={() => setEditing(null)}
            onSaved={() => { setEditing(null); setReloadKey((k) => k + 1); }} />
        </Drawer>
      )}
    </div>
  );
}
