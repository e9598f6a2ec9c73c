// A lead's score explained (GET /api/leads/ID/score, contract E1, ops/lead_scoring.h):
// {"score", "fit":{"points", "industry":{points,max,value,targets,matched},
// "size":{points,max,value,employees}, "role":{points,max,value,targets,matched}},
// "behaviour":{"points","days", "person":{points,max,events}, "account":{points,max,
// events}}, "targets_from":"campaign"|"project", "first_response_hours"}.
// Each part is a row: points of its maximum and what it was judged on.
//   <LeadScore leadId={5} />
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { Loading } from '../../components/common.jsx';
import { roleLabel } from '../../records/recordFormat.js';
import LoadError from './Unavailable.jsx';
import { num } from './util.js';

const PARTS = [['fit', 'industry'], ['fit', 'size'], ['fit', 'role'], ['behaviour', 'person'], ['behaviour', 'account']];

function list(v) {
  return Array.isArray(v) && v.length ? v.join('、') : '–';
}

export default function LeadScore({ leadId }) {
  const { t, tOr, lang } = useI18n();
  const res = useAsync(() => api.get(`/api/leads/${leadId}/score`), [leadId]);
  if (res.error) return <LoadError error={res.error} onRetry={res.reload} endpoint={`/api/leads/${leadId}/score`} />;
  if (!res.data) return <Loading />;
  const a = res.data;
  const fit = a.fit || {};
  const beh = a.behaviour || {};
  const detail = (group, part, p) => {
    if (group === 'behaviour') return t('mk.score.events', { n: num(lang, p.events), days: beh.days ?? 30 });
    const value = p.value === null || p.value === undefined || p.value === '' ? t('mk.score.unknown') : part === 'role' ? roleLabel(tOr, p.value) : String(p.value);
    if (part === 'size') return `${value}${p.employees ? ` · ${t('mk.score.employees', { n: num(lang, p.employees) })}` : ''}`;
    const targets = part === 'role' ? (p.targets || []).map((r) => roleLabel(tOr, r)) : p.targets;
    return `${value} · ${t('mk.score.targets', { list: list(targets) })}${p.matched ? ` · ${t('mk.score.matched')}` : ''}`;
  };
  return (
    <div className="mk-score" data-testid="lead-score" data-score={a.score}>
      <div className="mk-stats">
        <div data-testid="lead-score-total"><span>{t('mk.leads.score')}</span><strong>{num(lang, a.score)}</strong></div>
        <div data-testid="lead-score-fit"><span>{t('mk.score.fit')}</span><strong>{num(lang, fit.points)} / 60</strong></div>
        <div data-testid="lead-score-behaviour"><span>{t('mk.score.behaviour')}</span><strong>{num(lang, beh.points)} / 40</strong></div>
        <div><span>{t('mk.leads.firstResponse')}</span><strong>{a.first_response_hours === null || a.first_response_hours === undefined ? t('mk.leads.noResponse') : t('mk.leads.hours', { h: num(lang, a.first_response_hours, 1) })}</strong></div>
      </div>
      <p className="muted small">{t('mk.score.help')} {a.targets_from ? t(`mk.score.from.${a.targets_from === 'campaign' ? 'campaign' : 'project'}`) : ''}</p>
      <table className="table" data-testid="lead-score-parts">
        <thead><tr><th>{t('mk.score.part')}</th><th className="num">{t('mk.score.points')}</th><th>{t('mk.score.detail')}</th></tr></thead>
        <tbody>
          {PARTS.map(([group, part]) => {
            const p = ((group === 'fit' ? fit : beh) || {})[part];
            if (!p) return null;
            return (
              <tr key={`${group}.${part}`} data-part={`${group}.${part}`} data-points={p.points}>
                <td><span className="muted small">{t(`mk.score.${group}`)} · </span>{t(`mk.score.part.${part}`)}</td>
                <td className="num">{num(lang, p.points, 1)} / {num(lang, p.max)}</td>
                <td className="small">{detail(group, part, p)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
