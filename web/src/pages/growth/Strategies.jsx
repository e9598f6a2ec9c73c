// Strategies (#/strategies): hypotheses tried against a goal's metric. The list
// shows each strategy and its decision; picking one shows its outcome (GET
// /api/strategies/ID/outcome): the target metric measured before (the same
// length before starts_on) and during (starts_on..ends_on), the change and %,
// as figures and a bar chart, plus the decision (pending / keep / change / drop)
// and the measured outcome (a number), saved with PATCH /api/strategies/ID.
// ?id= opens one.
// A server without the outcome endpoint shows a notice there.
import { useState } from 'react';
import { api, request } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { fmtNum, fmtPct } from '../../format.js';
import { Card, Empty, ErrorBox } from '../../components/common.jsx';
import Chart, { PALETTE } from '../../components/Chart.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel } from '../../records/recordFormat.js';
import { LoadState } from '../../growth/success/Pending.jsx';

const DECISIONS = ['pending', 'keep', 'change', 'drop'];
const DECISION_BADGE = { pending: '', keep: 'badge-green', change: 'badge-amber', drop: 'badge-red' };

function num(x) {
  if (x && typeof x === 'object') return x.value ?? null;
  return x;
}

function Decision({ strategy, onSaved }) {
  const { t, tOr } = useI18n();
  const [decision, setDecision] = useState(strategy.decision || 'pending');
  const [outcome, setOutcome] = useState(strategy.outcome === null || strategy.outcome === undefined ? '' : String(strategy.outcome));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  return (
    <form className="sc-points-form" data-testid="strategy-decision"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true); setError(null); setSaved(false);
        try {
          const d = await request('PATCH', `/api/strategies/${strategy.id}`, { decision, outcome: outcome.trim() === '' ? null : Number(outcome) });
          setSaved(true);
          onSaved(d.record);
        } catch (err) { setError(err); } finally { setBusy(false); }
      }}>
      <label className="field"><span>{tOr('field.strategies.decision', 'decision')}</span>
        <select className="input" value={decision} onChange={(e) => setDecision(e.target.value)} data-testid="strategy-decision-select">
          {DECISIONS.map((d) => <option key={d} value={d}>{choiceLabel(tOr, 'strategies', 'decision', d)}</option>)}
        </select>
      </label>
      <label className="field"><span>{tOr('field.strategies.outcome', 'outcome')}</span>
        <input className="input" type="number" step="any" value={outcome} onChange={(e) => setOutcome(e.target.value)} data-testid="strategy-outcome-value" />
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="strategy-decision-save">{t('rec.save')}</button>
      {saved && <small className="text-ok">{t('points.saved')}</small>}
      {error && <small className="field-error" role="alert">{error.message}</small>}
    </form>
  );
}

function Outcome({ strategy, onSaved }) {
  const { t, tOr, lang } = useI18n();
  const state = useAsync(() => api.get(`/api/strategies/${strategy.id}/outcome`), [strategy.id]);
  return (
    <Card title={`${strategy.name}`} testId="strategy-outcome">
      <p className="muted">{strategy.hypothesis}</p>
      <p className="muted small">
        {[strategy.target_metric, strategy.goal_name && `${tOr('field.strategies.goal_id', 'goal')}: ${strategy.goal_name}`, strategy.starts_on && `${strategy.starts_on} – ${strategy.ends_on || '…'}`, strategy.baseline !== undefined && strategy.baseline !== null && `${tOr('field.strategies.baseline', 'baseline')}: ${strategy.baseline}`].filter(Boolean).join(' · ')}
      </p>
      <LoadState state={state} what={`/api/strategies/${strategy.id}/outcome`}>
        {(d) => {
          const before = num(d.before);
          const during = num(d.during);
          const change = d.change ?? (before !== null && during !== null ? during - before : null);
          let pct = d.change_pct ?? d.pct ?? null;
          if (pct === null && before) pct = (100 * (during - before)) / before;
          const beforeRange = d.before && typeof d.before === 'object' ? `${d.before.from || ''} – ${d.before.to || ''}` : '';
          const duringRange = d.during && typeof d.during === 'object' ? `${d.during.from || ''} – ${d.during.to || ''}` : '';
          return (
            <>
              <div className="sc-outcome">
                <div className="sc-stat" data-testid="outcome-before"><span>{t('strategies.before')} {beforeRange}</span><strong>{fmtNum(lang, before)}</strong></div>
                <div className="sc-stat" data-testid="outcome-during"><span>{t('strategies.during')} {duringRange}</span><strong>{fmtNum(lang, during)}</strong></div>
                <div className="sc-stat" data-testid="outcome-change"><span>{t('strategies.change')}</span>
                  <strong className={change > 0 ? 'text-ok' : change < 0 ? 'text-danger' : ''}>{change > 0 ? '+' : ''}{fmtNum(lang, change)}</strong>
                  {pct !== null && pct !== undefined && <small> ({pct > 0 ? '+' : ''}{fmtPct(lang, pct / 100)})</small>}
                </div>
              </div>
              <Chart height={220} testId="outcome-chart" option={{
                grid: { left: 60, right: 20, top: 20, bottom: 30 },
                tooltip: { trigger: 'axis' },
                xAxis: { type: 'category', data: [t('strategies.before'), t('strategies.during')] },
                yAxis: { type: 'value' },
                series: [{ type: 'bar', barWidth: '40%', data: [
                  { value: before ?? 0, itemStyle: { color: '#adb5bd' } },
                  { value: during ?? 0, itemStyle: { color: PALETTE[0] } },
                ] }],
              }} />
              {d.error && <ErrorBox error={d.error} />}
            </>
          );
        }}
      </LoadState>
      <Decision key={strategy.id} strategy={strategy} onSaved={onSaved} />
    </Card>
  );
}

export default function Strategies({ tz, params = {} }) {
  const { t, tOr } = useI18n();
  const [selected, setSelected] = useState(null);
  const [editing, setEditing] = useState(null);
  const [reloadKey, setReloadKey] = useState(0);
  const wanted = params.id ? Number(params.id) : null;
  const columns = [
    { key: 'name', sortable: true, label: tOr('field.name', 'name'), render: (r) => <button type="button" className="btn-link" onClick={() => setSelected(r)} data-testid="strategy-open">{r.name}</button> },
    'target_metric', 'goal_id', 'starts_on', 'ends_on',
    { key: 'decision', sortable: true, label: tOr('field.strategies.decision', 'decision'), render: (r) => <span className={`badge ${DECISION_BADGE[r.decision] || ''}`}>{choiceLabel(tOr, 'strategies', 'decision', r.decision)}</span> },
    'owner',
  ];
  return (
    <div className="page" data-testid="strategies-page">
      <div className="page-head">
        <div>
          <h1>{t('nav.strategies')}</h1>
          <p className="muted">{t('strategies.subtitle')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setEditing({})} data-testid="strategies-new">＋ {t('strategies.new')}</button>
      </div>
      {selected ? <Outcome key={selected.id} strategy={selected} onSaved={(r) => { setSelected({ ...selected, ...r }); setReloadKey((k) => k + 1); }} />
        : <Empty>{t('strategies.pick')}</Empty>}
      <RecordTable
        resource="strategies"
        columns={columns}
        filters={['decision', 'goal_id', 'owner']}
        rowActions={(r) => <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(r)} data-testid="strategy-edit">{t('playbooks.edit')}</button>}
        onLoaded={({ records }) => { if (wanted && !selected) { const r = records.find((x) => x.id === wanted); if (r) setSelected(r); } }}
        reloadKey={reloadKey}
        tz={tz}
        testId="strategies"
      />
      {editing && (
        <Drawer title={editing.id ? editing.name : t('strategies.new')} onClose={() => setEditing(null)} testId="strategy-drawer">
          <RecordForm resource="strategies" record={editing.id ? editing : null} tz={tz}
            initial={editing.id ? undefined : { decision: 'pending' }}
            onCancel={() => setEditing(null)}
            onSaved={(r) => { setEditing(null); setReloadKey((k) => k + 1); if (selected && selected.id === r.id) setSelected(r); }} />
        </Drawer>
      )}
    </div>
  );
}
