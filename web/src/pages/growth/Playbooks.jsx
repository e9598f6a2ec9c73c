// Playbooks (#/playbooks): the customer-success rules (active_seats_drop,
// no_decision_maker_active, trial_low_feature_use with threshold and window),
// editable as records; "run now" for one (POST /api/playbooks/run?id=) or all
// enabled ones (POST /api/playbooks/run) shows per playbook how many accounts
// matched, how many tasks were opened and how many were skipped because an open
// task already existed, with a link to the tasks. A server without the run
// endpoint shows a notice instead. Under the title: when the server's background pass
// last ran the playbooks and when it runs next (GET /api/playbooks/schedule).
import { useEffect, useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { fmtNum, fmtTime } from '../../format.js';
import { Card, ErrorBox } from '../../components/common.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import { Pending, isMissing, listOf } from '../../growth/success/Pending.jsx';

export default function Playbooks({ tz }) {
  const { t, tOr, lang } = useI18n();
  const [editing, setEditing] = useState(null); // null | {} (new) | record
  const [reloadKey, setReloadKey] = useState(0);
  const [names, setNames] = useState({});
  const [run, setRun] = useState({ busy: false, error: null, runs: null });
  const [schedule, setSchedule] = useState(null);

  useEffect(() => {
    api.get('/api/playbooks/schedule').then(setSchedule).catch(() => setSchedule(null));
  }, [reloadKey]);

  const runNow = async (id) => {
    setRun({ busy: true, error: null, runs: null });
    try {
      const d = await api.post(`/api/playbooks/run${qs({ id })}`, {});
      setRun({ busy: false, error: null, runs: listOf(d, 'runs') });
      setReloadKey((k) => k + 1);
    } catch (e) {
      setRun({ busy: false, error: e, runs: null });
    }
  };

  const columns = [
    'name',
    { key: 'rule', sortable: true, label: tOr('field.playbooks.rule', 'rule'), render: (r) => (
      <span title={t(`playbooks.ruleHelp.${r.rule}`)}>{choiceLabel(tOr, 'playbooks', 'rule', r.rule)}</span>
    ) },
    'threshold', 'window_days',
    { key: 'enabled', sortable: true, label: tOr('field.playbooks.enabled', 'enabled'), render: (r) => (
      <span className={`badge ${r.enabled ? 'badge-green' : ''}`}>{r.enabled ? t('playbooks.on') : t('playbooks.off')}</span>
    ) },
    'task_title', 'owner',
  ];

  return (
    <div className="page" data-testid="playbooks-page">
      <div className="page-head">
        <div>
          <h1>{t('nav.playbooks')}</h1>
          <p className="muted">{t('playbooks.subtitle')}</p>
          {schedule && schedule.running && (
            <p className="muted" data-testid="playbooks-schedule">
              {t('playbooks.schedule', {
                minutes: schedule.interval_minutes,
                last: schedule.last_run_at ? fmtTime(lang, schedule.last_run_at, tz) : t('playbooks.scheduleNever'),
                next: fmtTime(lang, schedule.next_run_at, tz),
              })}
            </p>
          )}
        </div>
        <span className="inline">
          <button type="button" className="btn btn-primary" disabled={run.busy} onClick={() => runNow(undefined)} data-testid="playbooks-run-all">▶ {t('playbooks.runAll')}</button>
          <button type="button" className="btn" onClick={() => setEditing({})} data-testid="playbooks-new">＋ {t('playbooks.new')}</button>
        </span>
      </div>
      {(run.busy || run.error || run.runs) && (
        <Card title={t('playbooks.results')} testId="playbooks-results">
          {run.busy && <p className="muted">{t('playbooks.running')}</p>}
          {run.error && (isMissing(run.error) ? <Pending what="POST /api/playbooks/run" /> : <ErrorBox error={run.error} />)}
          {run.runs && (
            <table className="table rec-table" data-testid="playbooks-runs">
              <thead>
                <tr><th>{t('playbooks.playbook')}</th><th className="num">{t('playbooks.matched')}</th><th className="num">{t('playbooks.opened')}</th><th className="num">{t('playbooks.skipped')}</th><th /></tr>
              </thead>
              <tbody>
                {run.runs.length === 0 && <tr><td colSpan={5} className="muted">{t('playbooks.noneEnabled')}</td></tr>}
                {run.runs.map((r) => (
                  <tr key={r.playbook_id} data-testid="playbooks-run-row">
                    <td>
                      {r.name || names[r.playbook_id] || `#${r.playbook_id}`}
                      {Array.isArray(r.matches) && r.matches.length > 0 && (
                        <details>
                          <summary className="muted">{t('playbooks.matches', { n: r.matches.length })}</summary>
                          <ul className="sc-matches">
                            {r.matches.map((m) => (
                              <li key={m.account_id}>
                                <a href={`#/accounts/${m.account_id}`}>{m.account_name || `#${m.account_id}`}</a>
                                {' '}<span className={`badge ${m.opened ? 'badge-green' : ''}`}>{m.opened ? t('playbooks.taskOpened') : t('playbooks.taskExists')}</span>
                                {m.reason && <small className="muted"> {m.reason}</small>}
                              </li>
                            ))}
                          </ul>
                        </details>
                      )}
                    </td>
                    <td className="num">{fmtNum(lang, r.matched)}</td>
                    <td className="num"><strong>{fmtNum(lang, r.opened)}</strong></td>
                    <td className="num">{fmtNum(lang, r.skipped_open)}</td>
                    <td><a href={`#/tasks?playbook_id=${r.playbook_id}`}>{t('playbooks.seeTasks')}</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
      <RecordTable
        resource="playbooks"
        columns={columns}
        filters={['rule', 'enabled', 'owner']}
        reloadKey={reloadKey}
        tz={tz}
        testId="playbooks"
        onLoaded={({ records }) => setNames((n) => ({ ...n, ...Object.fromEntries(records.map((r) => [r.id, r.name])) }))}
        rowActions={(r) => (
          <span className="inline">
            <button type="button" className="btn btn-small" disabled={run.busy} onClick={() => runNow(r.id)} data-testid="playbook-run">▶ {t('playbooks.run')}</button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(r)} data-testid="playbook-edit">{t('playbooks.edit')}</button>
          </span>
        )}
      />
      {editing && (
        <Drawer title={editing.id ? editing.name : t('playbooks.new')} onClose={() => setEditing(null)} testId="playbook-drawer">
          <RecordForm resource="playbooks" record={editing.id ? editing : null} tz={tz}
            initial={editing.id ? undefined : { enabled: true, window_days: 14 }}
            onCancel={() => setEditing(null)}
            onSaved={() => { setEditing(null); setReloadKey((k) => k + 1); }} />
        </Drawer>
      )}
      <p className="muted small">{t('playbooks.rulesNote')}</p>
    </div>
  );
}
