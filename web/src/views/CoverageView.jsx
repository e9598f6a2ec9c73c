// Renders the decision-chain coverage answer (docs/analytics/coverage.md): a
// role × account grid where each cell is active (people in that role were
// active), known but inactive, or missing (nobody in that role is known).
import { useI18n } from '../i18n.jsx';
import { fmtNum, fmtPct } from '../format.js';
import { Empty } from '../components/common.jsx';
import { SortTh, useSort, useSorted } from '../components/SortTh.jsx';

export function roleLabel(tOr, r) {
  return tOr(`prole.${r}`, r);
}

export function cellState(cell) {
  if (!cell || !cell.known) return 'missing';
  return cell.active > 0 ? 'active' : 'inactive';
}

export function CoverageCell({ cell }) {
  const { t } = useI18n();
  const state = cellState(cell);
  const title = state === 'missing'
    ? t('coverage.missing')
    : t('coverage.cellTitle', { active: cell.active, known: cell.known });
  return (
    <td className={`cov-cell cov-${state}`} title={title} data-state={state}>
      {state === 'missing' ? '×' : `${cell.active}/${cell.known}`}
    </td>
  );
}

export function CoverageLegend() {
  const { t } = useI18n();
  return (
    <div className="cov-legend">
      <span><i className="cov-dot cov-active" />{t('coverage.active')}</span>
      <span><i className="cov-dot cov-inactive" />{t('coverage.inactive')}</span>
      <span><i className="cov-dot cov-missing" />{t('coverage.missing')}</span>
    </div>
  );
}

const BASE_ACCESSORS = {
  name: (a) => a.name || a.account,
  coverage: (a) => (a.coverage === null || a.coverage === undefined ? null : Number(a.coverage)),
  missing: (a) => (a.missing || []).length,
};

export default function CoverageView({ spec, result, compact, onOpenAccount, filterText = '', activeAccount, onSortChange }) {
  const { t, tOr, lang } = useI18n();
  const [sort, toggleSort] = useSort('coverage', spec && spec.sort === 'coverage_desc' ? 'desc' : 'asc');
  const toggle = (key, firstDir) => {
    const next = sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: firstDir || 'desc' };
    toggleSort(key, firstDir);
    if (onSortChange) onSortChange(next);
  };
  const roles = (result && result.roles) || [];
  const all = (result && result.accounts) || [];
  const q = filterText.trim().toLowerCase();
  const rows = q ? all.filter((a) => [a.account, a.name].some((v) => v && String(v).toLowerCase().includes(q))) : all;
  // In a dashboard the server's order (the saved spec's sort) is the order.
  const sorted = useSorted(rows, compact ? { key: '', dir: 'asc' } : sort, BASE_ACCESSORS, lang);
  const shown = compact ? sorted.slice(0, 12) : sorted;

  if (!all.length) return <Empty>{t('coverage.none')}</Empty>;
  return (
    <div className="view-stack">
      <CoverageLegend />
      <div className="table-wrap">
        <table className="table table-hover cov-table" data-testid="coverage-table">
          <thead>
            <tr>
              <SortTh sortKey="name" sort={sort} onSort={toggle} firstDir="asc">{t('health.account')}</SortTh>
              <SortTh sortKey="coverage" sort={sort} onSort={toggle} firstDir="asc" className="num">{t('coverage.coverage')}</SortTh>
              {roles.map((r) => <th key={r} className="cov-role">{roleLabel(tOr, r)}</th>)}
              {!compact && <SortTh sortKey="missing" sort={sort} onSort={toggle}>{t('coverage.missingRoles')}</SortTh>}
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr
                key={a.account}
                className={[onOpenAccount ? 'clickable' : '', activeAccount === a.account ? 'row-open' : ''].join(' ').trim() || undefined}
                onClick={onOpenAccount ? () => onOpenAccount(a) : undefined}
                data-testid="coverage-row"
                data-account={a.account}
              >
                <td>
                  <div className="account-cell">
                    <span className={onOpenAccount ? 'link-like' : undefined}>{a.name || a.account}</span>
                    <span className="mono muted small">{a.account}{a.industry ? ` · ${a.industry}` : ''}</span>
                  </div>
                </td>
                <td className="num">
                  <div className="cov-pct">
                    <div className="cov-pct-bar" style={{ width: `${Math.round(100 * (Number(a.coverage) || 0))}%` }} />
                    <span>{fmtPct(lang, a.coverage, 0)}</span>
                  </div>
                </td>
                {roles.map((r) => <CoverageCell key={r} cell={(a.roles || {})[r]} />)}
                {!compact && (
                  <td className="small">
                    {(a.missing || []).length ? (a.missing || []).map((r) => roleLabel(tOr, r)).join(lang === 'en' ? ', ' : '、') : <span className="text-ok">{t('coverage.complete')}</span>}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {compact && (result.total || all.length) > shown.length && <p className="muted small">{t('health.moreAccounts', { n: fmtNum(lang, (result.total || all.length) - shown.length) })}</p>}
      {!compact && q && rows.length === 0 && <Empty>{t('health.noMatch')}</Empty>}
    </div>
  );
}
