// Drill-down of one account, in a side panel: its health score and parts, its
// decision chain (people known / active per role, from the coverage answer)
// and its most recent events (GET /api/events?q=<account id>). The answers
// the opening page did not have are asked for once and kept for the session.
import { useEffect, useState } from 'react';
import { api, qs } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { fmtTime } from '../format.js';
import { Badge, Empty, ErrorBox, Loading } from './common.jsx';
import { HealthParts, ScoreBar } from '../views/HealthView.jsx';
import { cellState, roleLabel } from '../views/CoverageView.jsx';

const answers = new Map();
function cachedQuery(spec) {
  const key = JSON.stringify(spec);
  if (!answers.has(key)) {
    const p = api.post('/api/query', spec);
    p.catch(() => answers.delete(key));
    answers.set(key, p);
  }
  return answers.get(key);
}

function useRow(kind, days, account, given) {
  const [state, setState] = useState({ row: given, loading: !given, error: null });
  useEffect(() => {
    if (given) { setState({ row: given, loading: false, error: null }); return undefined; }
    let live = true;
    setState({ row: null, loading: true, error: null });
    // Both answers are paged (100 accounts by default); ask for enough to hold this one.
    cachedQuery({ kind, days, limit: 10000 }).then(
      (r) => { if (live) setState({ row: (r.accounts || []).find((a) => a.account === account) || null, loading: false, error: null, roles: r.roles }); },
      (error) => { if (live) setState({ row: null, loading: false, error }); },
    );
    return () => { live = false; };
  }, [kind, days, account, given]);
  return state;
}

export default function AccountDrill({ account, days = 30, health, coverage, roles, tz, onClose }) {
  const { t, tOr, lang } = useI18n();
  const h = useRow('health', days, account, health);
  const c = useRow('coverage', days, account, coverage);
  const [events, setEvents] = useState({ loading: true, error: null, list: [] });

  useEffect(() => {
    let live = true;
    setEvents({ loading: true, error: null, list: [] });
    api.get(`/api/events${qs({ q: account, limit: 20 })}`).then(
      (d) => { if (live) setEvents({ loading: false, error: null, list: d.events || [] }); },
      (error) => { if (live) setEvents({ loading: false, error, list: [] }); },
    );
    const onKey = (e) => { if (e.key === 'Escape') onClose(); };
    window.addEventListener('keydown', onKey);
    return () => { live = false; window.removeEventListener('keydown', onKey); };
  }, [account, onClose]);

  const name = (h.row && h.row.name) || (c.row && c.row.name) || account;
  const roleList = roles || c.roles || Object.keys((c.row && c.row.roles) || {});
  const people = c.row && Array.isArray(c.row.people) ? c.row.people : null;

  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <aside className="drawer" onClick={(e) => e.stopPropagation()} data-testid="account-drill" aria-label={name}>
        <header className="drawer-head">
          <div>
            <h2>{name}</h2>
            <span className="mono muted small">{account}</span>
            {h.row && (h.row.industry || h.row.level) && (
              <span className="drawer-tags">
                {h.row.industry && <Badge>{h.row.industry}</Badge>}
                {h.row.level && <Badge kind={h.row.level === 'key' ? 'amber' : 'neutral'}>{tOr(`health.level.${h.row.level}`, h.row.level)}</Badge>}
              </span>
            )}
          </div>
          <button type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label={t('common.close')} data-testid="account-drill-close">✕</button>
        </header>
        <div className="drawer-body">
          <section>
            <h3 className="subhead">{t('health.score')}</h3>
            {h.loading && <Loading />}
            <ErrorBox error={h.error} />
            {!h.loading && !h.error && !h.row && <p className="muted">{t('drill.noHealth')}</p>}
            {h.row && (
              <>
                <ScoreBar score={h.row.score} />
                <HealthParts account={h.row} />
              </>
            )}
          </section>
          <section>
            <h3 className="subhead">{t('drill.chain')}</h3>
            {c.loading && <Loading />}
            <ErrorBox error={c.error} />
            {!c.loading && !c.error && !c.row && <p className="muted">{t('drill.noCoverage')}</p>}
            {c.row && c.row.known_persons !== undefined && (
              <p className="muted small">{t('drill.persons', { known: c.row.known_persons, active: c.row.active_persons ?? 0 })}</p>
            )}
            {c.row && (
              <table className="table table-inner" data-testid="account-drill-roles">
                <thead>
                  <tr>
                    <th>{t('drill.role')}</th>
                    <th className="num">{t('drill.known')}</th>
                    <th className="num">{t('drill.activeN')}</th>
                    <th>{t('drill.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {roleList.map((r) => {
                    const cell = (c.row.roles || {})[r];
                    const st = cellState(cell);
                    return (
                      <tr key={r}>
                        <td>{roleLabel(tOr, r)}</td>
                        <td className="num">{cell ? cell.known : 0}</td>
                        <td className="num">{cell ? cell.active : 0}</td>
                        <td><span className={`cov-badge cov-${st}`}>{t(`coverage.${st}`)}</span></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {people && people.length > 0 && (
              <ul className="people-list" data-testid="account-drill-people">
                {people.map((p, i) => {
                  const id = p.person || p.id || '';
                  return (
                    <li key={id || i}>
                      <a className="mono" href={`#/events?q=${encodeURIComponent(id)}`}>{p.name || id}</a>
                      {p.role && <Badge>{roleLabel(tOr, p.role)}</Badge>}
                      {p.active !== undefined && <span className={p.active ? 'text-ok small' : 'muted small'}>{p.active ? t('coverage.active') : t('coverage.inactive')}</span>}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <section>
            <div className="detail-head">
              <h3 className="subhead">{t('drill.recentEvents')}</h3>
              <a href={`#/events?q=${encodeURIComponent(account)}`} className="small" data-testid="account-drill-all-events">{t('drill.allEvents')}</a>
            </div>
            {events.loading && <Loading />}
            <ErrorBox error={events.error} />
            {!events.loading && !events.error && events.list.length === 0 && <Empty>{t('events.none')}</Empty>}
            {events.list.length > 0 && (
              <table className="table table-inner" data-testid="account-drill-events">
                <tbody>
                  {events.list.map((e, i) => (
                    <tr key={e.message_id || i}>
                      <td className="nowrap small">{fmtTime(lang, e.timestamp, tz)}</td>
                      <td><strong>{e.event || (e.type ? `$${e.type}` : '–')}</strong></td>
                      <td className="mono small ellipsis">{e.person || e.user_id || e.anonymous_id || '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      </aside>
    </div>
  );
}
