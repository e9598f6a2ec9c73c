// Renders the account health answer (docs/analytics/health.md): one row per
// account with its score (0–100) as a bar, sortable; a row expands to the
// parts the score is made of — each part's measurement, its score 0–1, its
// weight and the points it contributes (score × weight × 100).
import { Fragment, useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtNum, fmtPct, fmtTime } from '../format.js';
import { Badge, Empty } from '../components/common.jsx';
import { SortTh, useSort, useSorted } from '../components/SortTh.jsx';

export const HEALTH_PARTS = ['activity', 'seats', 'breadth', 'recency', 'roles'];

export function scoreClass(score) {
  if (score === null || score === undefined) return 'score-na';
  if (score < 40) return 'score-low';
  if (score < 70) return 'score-mid';
  return 'score-high';
}

export function ScoreBar({ score, testId }) {
  const { lang } = useI18n();
  const v = Number(score) || 0;
  return (
    <div className={`score-bar ${scoreClass(score)}`} data-testid={testId} data-value={score}>
      <div className="score-track"><div className="score-fill" style={{ width: `${Math.max(0, Math.min(100, v))}%` }} /></div>
      <span className="score-num">{fmtNum(lang, Math.round(v * 10) / 10)}</span>
    </div>
  );
}

function partNames(accounts) {
  const seen = new Set(HEALTH_PARTS);
  const extra = [];
  for (const a of accounts) for (const k of Object.keys(a.parts || {})) if (!seen.has(k)) { seen.add(k); extra.push(k); }
  return [...HEALTH_PARTS.filter((p) => accounts.some((a) => a.parts && a.parts[p])), ...extra];
}

export function partLabel(tOr, p) {
  return tOr(`health.part.${p}`, p);
}

// What a part measured, in words, from the members the server gives with it.
export function partDetail(t, tOr, lang, name, part) {
  const n = (v) => fmtNum(lang, Math.round(Number(v) * 100) / 100);
  switch (name) {
    case 'activity':
      if (part.active_persons !== undefined) {
        return t('health.detail.activity', {
          rate: fmtPct(lang, part.value), persons: n(part.active_persons), days: n(part.days), personDays: n(part.active_person_days), target: fmtPct(lang, part.target),
        });
      }
      break;
    case 'seats':
      if (part.of !== undefined) return t(part.basis === 'seats' ? 'health.detail.seats' : 'health.detail.members', { n: n(part.value), of: n(part.of) });
      break;
    case 'breadth':
      if (part.of !== undefined) return t('health.detail.breadth', { n: n(part.value), of: n(part.of) });
      break;
    case 'recency':
      return part.value === null || part.value === undefined ? t('health.detail.noActivity') : t('health.detail.recency', { n: n(part.value) });
    case 'roles':
      if (part.of !== undefined) {
        const missing = (part.missing || []).map((r) => tOr(`prole.${r}`, r)).join(lang === 'en' ? ', ' : '、');
        return t('health.detail.roles', { n: n(part.value), of: n(part.of) }) + (missing ? ` · ${t('health.detail.missing', { roles: missing })}` : '');
      }
      break;
    default:
      break;
  }
  if (part.value === null || part.value === undefined) return '–';
  return typeof part.value === 'number' ? n(part.value) : String(part.value);
}

export function HealthParts({ account }) {
  const { t, tOr, lang } = useI18n();
  const names = partNames([account]);
  return (
    <table className="table table-inner" data-testid="health-parts">
      <thead>
        <tr>
          <th>{t('health.part')}</th>
          <th>{t('health.partValue')}</th>
          <th className="num">{t('health.partScore')}</th>
          <th className="num">{t('health.partWeight')}</th>
          <th>{t('health.partPoints')}</th>
        </tr>
      </thead>
      <tbody>
        {names.map((p) => {
          const part = account.parts[p] || {};
          const points = (Number(part.score) || 0) * (Number(part.weight) || 0) * 100;
          const max = (Number(part.weight) || 0) * 100;
          return (
            <tr key={p}>
              <td title={tOr(`health.partHelp.${p}`, undefined)}>{partLabel(tOr, p)}</td>
              <td className="small">{partDetail(t, tOr, lang, p, part)}</td>
              <td className="num">{fmtPct(lang, part.score, 0)}</td>
              <td className="num">{fmtPct(lang, part.weight, 0)}</td>
              <td>
                <div className="points" title={t('health.pointsOf', { n: fmtNum(lang, Math.round(points * 10) / 10), max: fmtNum(lang, Math.round(max * 10) / 10) })}>
                  <div className="points-max" style={{ width: `${Math.min(100, max * 2)}%` }} />
                  <div className="points-bar" style={{ width: `${Math.min(100, points * 2)}%` }} />
                  <span>{fmtNum(lang, Math.round(points * 10) / 10)}</span>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const ACCESSORS = {
  name: (a) => a.name || a.account,
  industry: (a) => a.industry,
  level: (a) => a.level,
  score: (a) => (a.score === null || a.score === undefined ? null : Number(a.score)),
  renewal_date: (a) => a.renewal_date || null,
  last_active: (a) => (a.last_active ? Date.parse(a.last_active) : null),
};

// The server's "sort" as this table's sort state.
export function sortFromSpec(spec) {
  switch (spec && spec.sort) {
    case 'score_desc': return { key: 'score', dir: 'desc' };
    case 'name': return { key: 'name', dir: 'asc' };
    case 'renewal_date': return { key: 'renewal_date', dir: 'asc' };
    case 'account': return { key: 'account', dir: 'asc' };
    default: return { key: 'score', dir: 'asc' };
  }
}

// sort/onSort may be controlled by the page (which re-asks the server when it
// holds only a page of the accounts); otherwise the table sorts by itself.
export default function HealthView({ spec, result, compact, onOpenAccount, tz, filterText = '', sort: sortIn, onSort }) {
  const { t, tOr, lang } = useI18n();
  const initial = sortFromSpec(spec);
  const [ownSort, ownToggle] = useSort(initial.key, initial.dir);
  const sort = sortIn || ownSort;
  const toggle = onSort || ownToggle;
  const [open, setOpen] = useState(() => new Set());
  const all = (result && result.accounts) || [];
  const q = filterText.trim().toLowerCase();
  const rows = q ? all.filter((a) => [a.account, a.name, a.industry, a.level].some((v) => v && String(v).toLowerCase().includes(q))) : all;
  // In a dashboard the server's order (the saved spec's sort) is the order.
  const sorted = useSorted(rows, compact ? { key: '', dir: 'asc' } : sort, ACCESSORS, lang);
  const shown = compact ? sorted.slice(0, 10) : sorted;
  const hasRenewal = all.some((a) => a.renewal_date);

  if (!all.length) return <Empty>{t('health.none')}</Empty>;
  const toggleRow = (id) => setOpen((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  const cols = 4 + (hasRenewal ? 1 : 0) + (compact ? 0 : 1);

  return (
    <div className="table-wrap">
      <table className="table table-hover" data-testid="health-table">
        <thead>
          <tr>
            {!compact && <th className="col-toggle" aria-label={t('common.expand')} />}
            <SortTh sortKey="name" sort={sort} onSort={toggle} firstDir="asc">{t('health.account')}</SortTh>
            <SortTh sortKey="industry" sort={sort} onSort={toggle} firstDir="asc">{t('health.industry')}</SortTh>
            <SortTh sortKey="level" sort={sort} onSort={toggle} firstDir="asc">{t('health.level')}</SortTh>
            <SortTh sortKey="score" sort={sort} onSort={toggle} className="col-score" firstDir="asc">{t('health.score')}</SortTh>
            {hasRenewal && <SortTh sortKey="renewal_date" sort={sort} onSort={toggle} firstDir="asc">{t('health.renewal')}</SortTh>}
            {!compact && <SortTh sortKey="last_active" sort={sort} onSort={toggle}>{t('health.lastActive')}</SortTh>}
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => {
            const isOpen = open.has(a.account);
            return (
              <Fragment key={a.account}>
                <tr className={compact ? undefined : isOpen ? 'row-open clickable' : 'clickable'} onClick={compact ? undefined : () => toggleRow(a.account)} data-testid="health-row" data-account={a.account}>
                  {!compact && <td className="col-toggle"><span className={isOpen ? 'caret open' : 'caret'}>▸</span></td>}
                  <td>
                    <div className="account-cell">
                      {onOpenAccount ? (
                        <button type="button" className="btn-link" onClick={(e) => { e.stopPropagation(); onOpenAccount(a); }} data-testid="health-open-account">
                          {a.name || a.account}
                        </button>
                      ) : <span>{a.name || a.account}</span>}
                      <span className="mono muted small">
                        {a.account}
                        {a.lifecycle_stage && <> · {tOr(`stage.${a.lifecycle_stage}`, a.lifecycle_stage)}</>}
                      </span>
                      {a.reason && !compact && <span className="small text-amber">{a.events === 0 ? t('health.noActivity', { days: result.days || '' }) : a.reason}</span>}
                    </div>
                  </td>
                  <td>{a.industry || <span className="muted">–</span>}</td>
                  <td>{a.level ? <Badge kind={a.level === 'key' ? 'amber' : 'neutral'}>{tOr(`health.level.${a.level}`, a.level)}</Badge> : <span className="muted">–</span>}</td>
                  <td className="col-score"><ScoreBar score={a.score} testId="health-score" /></td>
                  {hasRenewal && <td className="nowrap">{a.renewal_date || <span className="muted">–</span>}</td>}
                  {!compact && <td className="nowrap">{a.last_active ? fmtTime(lang, a.last_active, tz) : <span className="muted">{t('health.never')}</span>}</td>}
                </tr>
                {isOpen && !compact && (
                  <tr className="row-detail">
                    <td />
                    <td colSpan={cols}>
                      <div className="detail-head">
                        <span className="muted small">{t('health.explained')}</span>
                      </div>
                      <HealthParts account={a} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {compact && (result.total || all.length) > shown.length && <p className="muted small">{t('health.moreAccounts', { n: fmtNum(lang, (result.total || all.length) - shown.length) })}</p>}
      {!compact && q && rows.length === 0 && <Empty>{t('health.noMatch')}</Empty>}
    </div>
  );
}
