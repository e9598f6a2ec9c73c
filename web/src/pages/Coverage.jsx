// Decision-chain coverage (#/coverage): per account, which buying roles are
// known and which have an active person. A click on an account opens its
// drill-down (roles, health, recent events). Runs at once: {"kind":
// "coverage", "days": N, "sort", "limit", "offset"}; the server pages the
// accounts and sorts by coverage.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtNum, fmtPct } from '../format.js';
import { Card, ErrorBox, Loading } from '../components/common.jsx';
import { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import { ResultActions } from '../components/ResultActions.jsx';
import AccountDrill from '../components/AccountDrill.jsx';
import CoverageView, { roleLabel } from '../views/CoverageView.jsx';
import { ACCOUNT_PAGE, AccountPager, DaysSwitch } from './Health.jsx';

// Per role: the share of accounts where someone in that role is active. The
// answer's summary covers every account; without it, the loaded page.
function RoleSummary({ result }) {
  const { t, tOr, lang } = useI18n();
  const roles = result.roles || [];
  const accounts = result.accounts || [];
  const summary = result.summary && result.summary.by_role ? result.summary : null;
  const total = summary ? summary.accounts : accounts.length;
  if (!total) return null;
  return (
    <div className="role-summary" data-testid="coverage-summary">
      {roles.map((r) => {
        const s = summary && summary.by_role[r];
        const active = s ? s.accounts_with_active : accounts.filter((a) => a.roles && a.roles[r] && a.roles[r].active > 0).length;
        const known = s ? s.accounts_with_known : accounts.filter((a) => a.roles && a.roles[r] && a.roles[r].known > 0).length;
        return (
          <div className="role-stat" key={r}>
            <div className="kpi-label">{roleLabel(tOr, r)}</div>
            <div className="role-stat-value">{fmtPct(lang, active / total, 0)}</div>
            <div className="kpi-hint">{t('coverage.roleStat', { active: fmtNum(lang, active), known: fmtNum(lang, known), total: fmtNum(lang, total) })}</div>
          </div>
        );
      })}
      {summary && summary.accounts_fully_covered !== undefined && (
        <div className="role-stat role-stat-full">
          <div className="kpi-label">{t('coverage.fullyCovered')}</div>
          <div className="role-stat-value">{fmtPct(lang, summary.accounts_fully_covered / total, 0)}</div>
          <div className="kpi-hint">{t('coverage.fullyCoveredHint', { n: fmtNum(lang, summary.accounts_fully_covered), total: fmtNum(lang, total) })}</div>
        </div>
      )}
    </div>
  );
}

export default function Coverage({ tz }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useBuilderState(['coverage'], { days: 30, sort: 'coverage_asc' }, (s) => ({ days: s.days || 30, sort: s.sort || 'coverage_asc' }));
  const runner = useRunner(null);
  const [filter, setFilter] = useState('');
  const [drill, setDrill] = useState(null);
  const [offset, setOffset] = useState(0);
  const days = form.days;

  const spec = useMemo(() => {
    const s = { kind: 'coverage', days, sort: form.sort, limit: ACCOUNT_PAGE };
    if (offset) s.offset = offset;
    return s;
  }, [days, form.sort, offset]);
  useEffect(() => {
    runner.run(spec);
  }, [spec]); // eslint-disable-line react-hooks/exhaustive-deps

  // Sorting by coverage re-asks the server when it holds more accounts than loaded.
  const onSortChange = useCallback((sort) => {
    if (sort.key !== 'coverage' || !runner.result) return;
    const wanted = sort.dir === 'desc' ? 'coverage_desc' : 'coverage_asc';
    const all = (runner.result.total || 0) <= (runner.result.accounts || []).length && !runner.result.offset;
    if (!all && wanted !== form.sort) {
      setForm((f) => ({ ...f, sort: wanted }));
      setOffset(0);
    }
  }, [runner.result, form.sort, setForm]);

  const close = useCallback(() => setDrill(null), []);
  const result = runner.result;

  return (
    <div className="page" data-testid="coverage-page">
      <div className="page-head">
        <div>
          <h1>{t('coverage.title')}</h1>
          <p className="muted">{t('coverage.subtitle')}</p>
        </div>
        <DaysSwitch days={days} onChange={(d) => { setForm((f) => ({ ...f, days: d })); setOffset(0); }} testIdPrefix="coverage" />
      </div>
      <ErrorBox error={runner.error} onRetry={() => runner.run(spec)} />
      {runner.running && !result && <Loading />}
      {result && (
        <>
          <RoleSummary result={result} />
          <Card
            title={t('coverage.tableTitle', { n: fmtNum(lang, result.total ?? (result.accounts || []).length) })}
            className={runner.running ? 'card-busy' : undefined}
            actions={(
              <ResultActions spec={runner.spec} defaultTitle={`${t('coverage.title')} · ${t('range.lastDays', { n: days })}`}>
                <input type="search" className="input" placeholder={t('health.search')} value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="coverage-search" />
              </ResultActions>
            )}
            testId="coverage-result"
          >
            <CoverageView
              spec={runner.spec}
              result={result}
              filterText={filter}
              onOpenAccount={(a) => setDrill(a)}
              activeAccount={drill && drill.account}
              onSortChange={onSortChange}
            />
            <AccountPager result={result} onOffset={setOffset} />
          </Card>
        </>
      )}
      {drill && <AccountDrill account={drill.account} days={days} coverage={drill} roles={result && result.roles} tz={tz} onClose={close} />}
    </div>
  );
}
