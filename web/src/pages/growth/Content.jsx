// Content (#/content?from=&to=&id=): every content item with its reading metrics
// over a date range (GET /api/content/metrics?from&to, contract E2): PV, UV,
// readers from target (key) accounts, readers by decision role, shares. The
// items themselves are records (content_items): "new" and a click on a row open
// the record form. Without the metrics endpoint the page still lists the items.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { Card, Empty, Loading } from '../../components/common.jsx';
import { SortTh, useSort, useSorted } from '../../components/SortTh.jsx';
import RecordTable from '../../records/RecordTable.jsx';
import RecordForm from '../../records/RecordForm.jsx';
import Drawer from '../../records/Drawer.jsx';
import { choiceLabel, roleLabel, todayIn } from '../../records/recordFormat.js';
import LoadError from '../../growth/marketing/Unavailable.jsx';
import { isMissing, num } from '../../growth/marketing/util.js';
import '../../growth/marketing/marketing.css';

const CONTENT_FIELDS = ['title', 'kind', 'industry', 'channel', 'url', 'page_path', 'content_key', 'published_on', 'owner',
  'shares', 'media_reposts', 'exposure', 'summary'];

const ACCESSORS = Object.fromEntries(['title', 'kind', 'industry', 'published_on', 'pv', 'uv', 'target_account_readers', 'shares'].map((k) => [k, (r) => r[k]]));

function daysBefore(date, n) {
  return new Date(Date.parse(`${date}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);
}

export function RoleReaders({ roles }) {
  const { t, tOr, lang } = useI18n();
  const entries = Object.entries(roles || {}).filter(([, n]) => Number(n) > 0).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return <span className="muted">–</span>;
  return (
    <span className="mk-roles">
      {entries.map(([r, n]) => <span key={r} className="mk-chip">{r === 'unknown' || r === 'null' || r === '' ? t('mk.content.unknownRole') : roleLabel(tOr, r)} {num(lang, n)}</span>)}
    </span>
  );
}

export default function Content({ tz, params }) {
  const { t, tOr, lang } = useI18n();
  const today = todayIn(tz);
  const [from, setFrom] = useState((params && params.from) || daysBefore(today, 90));
  const [to, setTo] = useState((params && params.to) || today);
  const [sort, toggleSort] = useSort('pv');
  const [editing, setEditing] = useState(null);
  const [reloadKey, setReloadKey] = useState(0);
  const close = useCallback(() => setEditing(null), []);
  const res = useAsync(() => api.get(`/api/content/metrics${qs({ from, to })}`), [from, to, reloadKey]);

  const wantId = params && params.id;
  useEffect(() => {
    if (!wantId) return;
    api.get(`/api/content_items/${wantId}`).then((r) => setEditing(r.record), () => {});
  }, [wantId]);

  const rows = useMemo(() => ((res.data && res.data.items) || []).map((i) => ({ ...(i.item || i.content_item || {}), ...i })), [res.data]);
  const items = useSorted(rows, sort, ACCESSORS, lang);
  const totals = useMemo(() => items.reduce((s, i) => ({ pv: s.pv + (Number(i.pv) || 0), uv: s.uv + (Number(i.uv) || 0), target: s.target + (Number(i.target_account_readers) || 0), shares: s.shares + (Number(i.shares) || 0) }), { pv: 0, uv: 0, target: 0, shares: 0 }), [items]);
  const th = (key, label, isNum) => <SortTh key={key} sortKey={key} sort={sort} onSort={toggleSort} className={isNum ? 'num' : undefined} firstDir={isNum ? 'desc' : 'asc'}>{label}</SortTh>;
  const missing = isMissing(res.error);

  return (
    <div className="page" data-testid="content-page">
      <div className="page-head">
        <div>
          <h1>{t('mk.content.title')}</h1>
          <p className="muted">{t('mk.content.subtitle')}</p>
        </div>
        <div className="inline">
          <label className="inline small"><span className="muted">{t('rec.from')}</span><input type="date" className="input" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} data-testid="content-from" /></label>
          <label className="inline small"><span className="muted">{t('rec.to')}</span><input type="date" className="input" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} data-testid="content-to" /></label>
          <a className="btn" href="#/content-report">{t('nav.contentReport')}</a>
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="content-new">＋ {t('mk.content.new')}</button>
        </div>
      </div>
      <LoadError error={res.error} onRetry={res.reload} endpoint="/api/content/metrics" />
      {!missing && res.loading && !res.data && <Loading />}
      {!missing && res.data && (
        <>
          <div className="kpis mk-kpis" data-testid="content-totals">
            <div className="kpi"><div className="kpi-label">{t('mk.content.pv')}</div><div className="kpi-value">{num(lang, totals.pv)}</div></div>
            <div className="kpi"><div className="kpi-label">{t('mk.content.uv')}</div><div className="kpi-value">{num(lang, totals.uv)}</div><div className="kpi-hint">{t('mk.content.uvHint')}</div></div>
            <div className="kpi"><div className="kpi-label">{t('mk.content.target')}</div><div className="kpi-value">{num(lang, totals.target)}</div></div>
            <div className="kpi"><div className="kpi-label">{t('mk.content.shares')}</div><div className="kpi-value">{num(lang, totals.shares)}</div></div>
          </div>
          <Card title={t('mk.content.metrics')} testId="content-metrics">
            {items.length === 0 ? <Empty>{t('mk.content.empty')}</Empty> : (
              <div className="table-wrap">
                <table className="table table-hover" data-testid="content-table">
                  <thead>
                    <tr>
                      {th('title', t('mk.content.item'))}
                      {th('kind', tOr('field.content_items.kind', 'kind'))}
                      {th('industry', tOr('field.content_items.industry', 'industry'))}
                      {th('published_on', tOr('field.content_items.published_on', 'published_on'))}
                      {th('pv', t('mk.content.pv'), true)}
                      {th('uv', t('mk.content.uv'), true)}
                      {th('target_account_readers', t('mk.content.target'), true)}
                      <th>{t('mk.content.byRole')}</th>
                      {th('shares', t('mk.content.shares'), true)}
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((i) => (
                      <tr key={i.id} data-testid="content-row" data-id={i.id} data-pv={i.pv} data-uv={i.uv}>
                        <td><button type="button" className="btn-link link-like" onClick={() => setEditing(i)}>{i.title || `#${i.id}`}</button></td>
                        <td>{choiceLabel(tOr, 'content_items', 'kind', i.kind)}</td>
                        <td>{i.industry || '–'}</td>
                        <td>{i.published_on || '–'}</td>
                        <td className="num">{num(lang, i.pv)}</td>
                        <td className="num">{num(lang, i.uv)}</td>
                        <td className="num">{num(lang, i.target_account_readers)}</td>
                        <td><RoleReaders roles={i.readers_by_role} /></td>
                        <td className="num">{num(lang, i.shares)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </>
      )}
      {missing && (
        <RecordTable
          resource="content_items"
          title={t('mk.content.items')}
          columns={['title', 'kind', 'industry', 'channel', 'published_on', 'owner', 'shares', 'exposure']}
          filters={['kind', 'industry', 'channel', 'published_on']}
          rowActions={(r) => <button type="button" className="btn btn-small" onClick={() => setEditing(r)}>{t('rec.edit')}</button>}
          reloadKey={reloadKey}
          tz={tz}
          testId="content-items"
        />
      )}
      {editing && (
        <Drawer title={editing === 'new' ? t('mk.content.new') : editing.title} onClose={close} testId="content-drawer">
          <RecordForm
            resource="content_items"
            record={editing === 'new' ? null : editing}
            fields={CONTENT_FIELDS}
            onCancel={close}
            onSaved={() => { setEditing(null); setReloadKey((k) => k + 1); }}
            tz={tz}
            testId="content-form"
          />
        </Drawer>
      )}
    </div>
  );
}
