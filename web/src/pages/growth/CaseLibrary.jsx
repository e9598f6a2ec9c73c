// Case library (#/case-library?industry=): the case studies (content items of
// kind case_study) grouped by industry with their reads (GET
// /api/content/cases?industry=, contract E2), so sales can pick the case that
// fits a prospect's industry. Accepts {"items":[…]} or {"industries":[{industry,
// items}]}; without the endpoint it lists the case_study records.
import { useEffect, useMemo, useState } from 'react';
import { api, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { Card, Empty, Loading } from '../../components/common.jsx';
import LoadError from '../../growth/marketing/Unavailable.jsx';
import { isMissing, num } from '../../growth/marketing/util.js';
import { RoleReaders } from './Content.jsx';
import '../../growth/marketing/marketing.css';

function groups(data) {
  if (!data) return [];
  if (Array.isArray(data.industries)) return data.industries.map((g) => ({ industry: g.industry || '', items: g.items || g.cases || [] }));
  const list = data.items || data.cases || data.records || [];
  const by = new Map();
  for (const i0 of list) {
    const i = { ...(i0.item || i0.content_item || {}), ...i0 };
    const k = i.industry || '';
    if (!by.has(k)) by.set(k, []);
    by.get(k).push(i);
  }
  return [...by.entries()].map(([industry, items]) => ({ industry, items }));
}

export default function CaseLibrary({ params }) {
  const { t, lang } = useI18n();
  const [industry, setIndustry] = useState((params && params.industry) || '');
  const [q, setQ] = useState('');
  const res = useAsync(() => api.get(`/api/content/cases${qs({ industry })}`), [industry]);
  const missing = isMissing(res.error);
  // Fallback without the endpoint: the case_study records, no reads.
  const fallback = useAsync(() => (missing ? api.get(`/api/content_items${qs({ kind: 'case_study', industry, limit: 500 })}`) : Promise.resolve(null)), [missing, industry]);
  const data = missing ? (fallback.data ? { items: fallback.data.records } : null) : res.data;
  // Every industry seen (kept while filtering so the select keeps its options).
  const [known, setKnown] = useState([]);
  const all = useMemo(() => groups(data), [data]);
  useEffect(() => {
    const seen = all.map((g) => g.industry).filter(Boolean);
    if (seen.length) setKnown((k) => (seen.every((s) => k.includes(s)) ? k : [...new Set([...k, ...seen])].sort()));
  }, [all]);

  const shown = all.map((g) => ({
    ...g,
    items: g.items.filter((i) => !q || `${i.title || ''} ${i.summary || ''}`.toLowerCase().includes(q.toLowerCase())),
  })).filter((g) => g.items.length);

  return (
    <div className="page" data-testid="case-library-page">
      <div className="page-head">
        <div>
          <h1>{t('mk.cases.title')}</h1>
          <p className="muted">{t('mk.cases.subtitle')}</p>
        </div>
        <div className="inline">
          <select className="input" value={industry} onChange={(e) => setIndustry(e.target.value)} data-testid="cases-industry" aria-label={t('mk.cases.industry')}>
            <option value="">{t('mk.cases.allIndustries')}</option>
            {[...new Set([...known, ...(industry ? [industry] : [])])].map((i) => <option key={i} value={i}>{i}</option>)}
          </select>
          <input className="input" value={q} placeholder={t('rec.search')} onChange={(e) => setQ(e.target.value)} data-testid="cases-search" />
        </div>
      </div>
      <LoadError error={res.error} onRetry={res.reload} endpoint="/api/content/cases" />
      {(res.loading || (missing && fallback.loading)) && !data && <Loading />}
      {data && shown.length === 0 && <Empty>{t('mk.cases.empty')}</Empty>}
      {shown.map((g) => (
        <Card key={g.industry || '-'} title={`${g.industry || t('mk.cases.noIndustry')} · ${g.items.length}`} testId="cases-group">
          <div className="mk-cases">
            {g.items.map((i) => (
              <article key={i.id} className="mk-case" data-testid="case-card" data-id={i.id}>
                <h3>{i.url ? <a href={i.url} target="_blank" rel="noreferrer">{i.title}</a> : i.title}</h3>
                {i.summary && <p className="small">{i.summary}</p>}
                <p className="muted small">{[i.published_on, i.channel, i.owner].filter(Boolean).join(' · ')}</p>
                <div className="mk-case-stats">
                  {i.pv !== undefined && <span>{t('mk.content.pv')} <strong>{num(lang, i.pv)}</strong></span>}
                  {i.uv !== undefined && <span>{t('mk.content.uv')} <strong>{num(lang, i.uv)}</strong></span>}
                  {i.target_account_readers !== undefined && <span>{t('mk.content.target')} <strong>{num(lang, i.target_account_readers)}</strong></span>}
                  {i.shares !== undefined && <span>{t('mk.content.shares')} <strong>{num(lang, i.shares)}</strong></span>}
                </div>
                {i.readers_by_role && <RoleReaders roles={i.readers_by_role} />}
                <a className="small" href={`#/content?id=${i.id}`}>{t('mk.cases.open')}</a>
              </article>
            ))}
          </div>
        </Card>
      ))}
    </div>
  );
}
