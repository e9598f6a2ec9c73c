// Account health (#/health): every account's health score, sortable, each
// row explained by its parts; a click on an account name opens its
// drill-down. Runs at once: {"kind": "health", "days": N, "sort", "limit",
// "offset"} plus, when set, "weights" and "filters". The server pages the
// accounts; sorting by score or name re-asks it when only a page is loaded.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtNum } from '../format.js';
import { Card, ErrorBox, Loading } from '../components/common.jsx';
import { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import { ResultActions } from '../components/ResultActions.jsx';
import AccountDrill from '../components/AccountDrill.jsx';
import { FieldError, FilterList } from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec } from '../lib/filters.js';
import HealthView, { HEALTH_PARTS, partLabel, scoreClass, sortFromSpec } from '../views/HealthView.jsx';

export const DAY_CHOICES = [7, 30, 90];
export const ACCOUNT_PAGE = 500;
const DEFAULT_WEIGHTS = { activity: 30, seats: 20, breadth: 20, recency: 20, roles: 10 };
// Table sort keys the server can sort by (the others sort the loaded page).
const SERVER_SORT = {
  score: (dir) => (dir === 'desc' ? 'score_desc' : 'score_asc'),
  name: () => 'name',
  renewal_date: () => 'renewal_date',
};

export function DaysSwitch({ days, onChange, testIdPrefix }) {
  const { t } = useI18n();
  return (
    <div className="segmented" role="group" aria-label={t('trend.range')}>
      {DAY_CHOICES.map((d) => (
        <button key={d} type="button" className={d === days ? 'active' : ''} onClick={() => onChange(d)} data-testid={`${testIdPrefix}-days-${d}`}>
          {t('range.lastDays', { n: d })}
        </button>
      ))}
    </div>
  );
}

// Prev / next over the server's pages of accounts.
export function AccountPager({ result, onOffset }) {
  const { t, lang } = useI18n();
  const total = result.total || 0;
  const offset = result.offset || 0;
  const n = (result.accounts || []).length;
  if (total <= n && offset === 0) return null;
  return (
    <div className="pager">
      <span className="muted small">{t('pager.range', { from: fmtNum(lang, offset + 1), to: fmtNum(lang, offset + n), total: fmtNum(lang, total) })}</span>
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - ACCOUNT_PAGE))}>{t('pager.prev')}</button>
      <button type="button" className="btn btn-small" disabled={offset + n >= total} onClick={() => onOffset(offset + ACCOUNT_PAGE)}>{t('pager.next')}</button>
    </div>
  );
}

function Summary({ accounts, partial }) {
  const { t, lang } = useI18n();
  const counts = { 'score-high': 0, 'score-mid': 0, 'score-low': 0 };
  for (const a of accounts) {
    const c = scoreClass(a.score);
    if (c in counts) counts[c] += 1;
  }
  return (
    <div className="kpis">
      {[['score-high', 'health.healthy'], ['score-mid', 'health.watch'], ['score-low', 'health.atRisk']].map(([c, k]) => (
        <div className={`kpi kpi-${c}`} key={c} data-testid={`health-kpi-${c}`}>
          <div className="kpi-label">{t(k)}</div>
          <div className="kpi-value">{fmtNum(lang, counts[c])}</div>
          <div className="kpi-hint">{t(`${k}Hint`)}{partial ? ` · ${t('health.ofPage')}` : ''}</div>
        </div>
      ))}
    </div>
  );
}

function formFromSpec(s) {
  const weights = { ...DEFAULT_WEIGHTS };
  if (s.weights) for (const p of HEALTH_PARTS) if (s.weights[p] !== undefined) weights[p] = Math.round(Number(s.weights[p]) * 100);
  return { days: s.days || 30, weights, filters: filtersFromSpec(s.filters), sort: sortFromSpec(s) };
}

export default function Health({ tz }) {
  const { t, tOr, lang } = useI18n();
  const [form, setForm, handed] = useBuilderState(['health'], () => formFromSpec({}), formFromSpec);
  const runner = useRunner(null);
  const [filter, setFilter] = useState('');
  const [drill, setDrill] = useState(null);
  const [showSettings, setShowSettings] = useState(false);
  const [applied, setApplied] = useState({ weights: form.weights, filters: form.filters });
  const [sort, setSort] = useState(form.sort);
  const [offset, setOffset] = useState(0);
  const days = form.days;

  const customWeights = HEALTH_PARTS.some((p) => Number(applied.weights[p]) !== DEFAULT_WEIGHTS[p]);
  const serverSort = SERVER_SORT[sort.key] ? SERVER_SORT[sort.key](sort.dir) : 'score_asc';
  const spec = useMemo(() => {
    const s = { kind: 'health', days, sort: serverSort, limit: ACCOUNT_PAGE };
    if (offset) s.offset = offset;
    if (customWeights) s.weights = Object.fromEntries(HEALTH_PARTS.map((p) => [p, Number(applied.weights[p]) / 100]));
    const fl = filtersToSpec(applied.filters);
    if (fl.length) s.filters = fl;
    return s;
  }, [days, serverSort, offset, customWeights, applied]);

  // A new sort by a server-sortable key matters only when not every account is loaded.
  const loadedAll = runner.result && (runner.result.total || 0) <= (runner.result.accounts || []).length && !runner.result.offset;
  const specKey = JSON.stringify(loadedAll && runner.spec ? { ...spec, sort: runner.spec.sort } : spec);
  useEffect(() => {
    runner.run(JSON.parse(specKey));
  }, [specKey]); // eslint-disable-line react-hooks/exhaustive-deps
  void handed;

  const onSort = useCallback((key, firstDir = 'desc') => {
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: firstDir }));
    setOffset(0);
  }, []);
  const close = useCallback(() => setDrill(null), []);
  const accounts = (runner.result && runner.result.accounts) || [];
  const weightErr = runner.error;

  return (
    <div className="page" data-testid="health-page">
      <div className="page-head">
        <div>
          <h1>{t('health.title')}</h1>
          <p className="muted">{t('health.subtitle')}</p>
        </div>
        <div className="inline">
          <button type="button" className={showSettings ? 'btn btn-small active' : 'btn btn-small'} onClick={() => setShowSettings((s) => !s)} data-testid="health-settings-toggle">
            ⚙ {t('health.settings')}{customWeights || applied.filters.length ? ' •' : ''}
          </button>
          <DaysSwitch days={days} onChange={(d) => { setForm((f) => ({ ...f, days: d })); setOffset(0); }} testIdPrefix="health" />
        </div>
      </div>
      {showSettings && (
        <Card title={t('health.settings')} testId="health-settings">
          <form
            className="builder"
            onSubmit={(e) => { e.preventDefault(); setApplied({ weights: form.weights, filters: form.filters }); setOffset(0); }}
          >
            <div className="section-label">{t('health.weights')}</div>
            <div className="weights">
              {HEALTH_PARTS.map((p) => (
                <label className="field" key={p}>
                  <span title={tOr(`health.partHelp.${p}`, undefined)}>{partLabel(tOr, p)}</span>
                  <input
                    className="input"
                    type="number"
                    min={0}
                    max={100}
                    value={form.weights[p]}
                    onChange={(e) => setForm((f) => ({ ...f, weights: { ...f.weights, [p]: e.target.value } }))}
                    data-testid={`health-weight-${p}`}
                  />
                  <FieldError error={weightErr} field={`weights.${p}`} />
                </label>
              ))}
            </div>
            <p className="muted small help">{t('health.weightsHelp')}</p>
            <FieldError error={weightErr} field="weights" prefix={false} />
            <div className="builder-section">
              <div className="section-label">{t('trend.filter')}</div>
              <FilterList value={form.filters} onChange={(v) => setForm((f) => ({ ...f, filters: v }))} error={weightErr} field="filters" />
            </div>
            <div className="builder-actions">
              <button type="submit" className="btn btn-primary" data-testid="health-apply">{t('health.apply')}</button>
              <button type="button" className="btn" onClick={() => { setForm((f) => ({ ...f, weights: { ...DEFAULT_WEIGHTS }, filters: [] })); setApplied({ weights: { ...DEFAULT_WEIGHTS }, filters: [] }); setOffset(0); }}>
                {t('health.reset')}
              </button>
            </div>
          </form>
        </Card>
      )}
      <ErrorBox error={runner.error} onRetry={() => runner.run(spec)} />
      {runner.running && !runner.result && <Loading />}
      {runner.result && (
        <>
          {accounts.length > 0 && <Summary accounts={accounts} partial={(runner.result.total || 0) > accounts.length} />}
          <Card
            title={t('health.tableTitle', { n: fmtNum(lang, runner.result.total ?? accounts.length) })}
            className={runner.running ? 'card-busy' : undefined}
            actions={(
              <ResultActions spec={runner.spec} defaultTitle={`${t('health.title')} · ${t('range.lastDays', { n: days })}`}>
                <input type="search" className="input" placeholder={t('health.search')} value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="health-search" />
              </ResultActions>
            )}
            testId="health-result"
          >
            <p className="muted small help">{t('health.help')}</p>
            <HealthView spec={runner.spec} result={runner.result} tz={tz} filterText={filter} onOpenAccount={(a) => setDrill(a)} sort={sort} onSort={onSort} />
            <AccountPager result={runner.result} onOffset={setOffset} />
          </Card>
        </>
      )}
      {drill && <AccountDrill account={drill.account} days={days} health={drill} tz={tz} onClose={close} />}
    </div>
  );
}
