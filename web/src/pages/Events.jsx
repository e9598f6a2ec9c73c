import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { api, qs } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync, usePageVisible } from '../hooks.js';
import { fmtTime, prettyJson } from '../format.js';
import { Badge, Card, Empty, ErrorBox, Loading } from '../components/common.jsx';

const POLL_MS = 3000;
const PAGE = 50;

function keyOf(e, i) {
  return e.message_id || `${e.received_at}-${e.event}-${i}`;
}

function summarize(props) {
  if (!props || typeof props !== 'object') return '';
  return Object.entries(props)
    .slice(0, 4)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join('  ');
}

// params.q (from #/events?q=<id>, e.g. a funnel drop-off link) starts the search.
export default function Events({ tz, params = {} }) {
  const { t, lang } = useI18n();
  const visible = usePageVisible();
  const [paused, setPaused] = useState(false);
  const [qInput, setQInput] = useState(params.q || '');
  const [q, setQ] = useState((params.q || '').trim());
  const [eventName, setEventName] = useState('');
  const [latest, setLatest] = useState(null);
  const [older, setOlder] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [olderCursor, setOlderCursor] = useState(undefined);
  const [error, setError] = useState(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [expanded, setExpanded] = useState(() => new Set());
  const [updatedAt, setUpdatedAt] = useState(null);
  const inflight = useRef(false);
  const schema = useAsync(() => api.get('/api/schema/events'), []);

  useEffect(() => {
    if (params.q !== undefined) setQInput(params.q);
  }, [params.q]);

  // Debounce the search box.
  useEffect(() => {
    const id = setTimeout(() => setQ(qInput.trim()), 300);
    return () => clearTimeout(id);
  }, [qInput]);

  const fetchLatest = useCallback(async () => {
    if (inflight.current) return;
    inflight.current = true;
    try {
      const data = await api.get(`/api/events${qs({ limit: PAGE, q, event: eventName })}`);
      setLatest(data.events || []);
      setCursor(data.next_before ?? null);
      setError(null);
      setUpdatedAt(new Date());
    } catch (e) {
      setError(e);
    } finally {
      inflight.current = false;
    }
  }, [q, eventName]);

  // New filters: start over.
  useEffect(() => {
    setLatest(null);
    setOlder([]);
    setOlderCursor(undefined);
    setExpanded(new Set());
    fetchLatest();
  }, [fetchLatest]);

  // Poll every 3 s while the page is visible and not paused.
  useEffect(() => {
    if (paused || !visible) return undefined;
    const id = setInterval(fetchLatest, POLL_MS);
    return () => clearInterval(id);
  }, [paused, visible, fetchLatest]);

  const nextCursor = olderCursor === undefined ? cursor : olderCursor;

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const data = await api.get(`/api/events${qs({ limit: PAGE, q, event: eventName, before: nextCursor })}`);
      setOlder((o) => [...o, ...(data.events || [])]);
      setOlderCursor(data.next_before ?? null);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const rows = [];
  const seen = new Set();
  for (const [i, e] of [...(latest || []), ...older].entries()) {
    const k = keyOf(e, i);
    if (seen.has(k)) continue;
    seen.add(k);
    rows.push({ k, e });
  }

  const toggle = (k) => setExpanded((s) => {
    const n = new Set(s);
    if (n.has(k)) n.delete(k);
    else n.add(k);
    return n;
  });

  const live = !paused && visible;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t('events.title')}</h1>
          <p className="muted">{t('events.subtitle')}</p>
        </div>
        <div className="live-status">
          <span className={live ? 'dot dot-live' : 'dot'} aria-hidden="true" />
          <span>{live ? t('events.live') : t('events.paused')}</span>
          {updatedAt && <span className="muted small">{t('events.updated', { time: fmtTime(lang, updatedAt.toISOString(), tz) })}</span>}
          <button type="button" className="btn" data-testid="events-pause" onClick={() => setPaused((p) => !p)}>
            {paused ? t('events.resume') : t('events.pause')}
          </button>
        </div>
      </div>
      <Card>
        <div className="toolbar">
          <input
            type="search"
            className="input grow"
            placeholder={t('events.searchPlaceholder')}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            data-testid="events-search"
          />
          <select className="input" value={eventName} onChange={(e) => setEventName(e.target.value)} data-testid="events-filter">
            <option value="">{t('events.allEvents')}</option>
            {((schema.data && schema.data.events) || []).map((ev) => (
              <option key={ev.name} value={ev.name}>{ev.name}</option>
            ))}
          </select>
        </div>
        <ErrorBox error={error} onRetry={fetchLatest} />
        {latest === null && !error && <Loading />}
        {latest !== null && rows.length === 0 && <Empty>{t('events.none')}</Empty>}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="table table-hover" data-testid="events-table">
              <thead>
                <tr>
                  <th className="col-toggle" aria-label={t('common.expand')} />
                  <th>{t('events.time')}</th>
                  <th>{t('events.event')}</th>
                  <th>{t('events.type')}</th>
                  <th>{t('events.person')}</th>
                  <th>{t('events.account')}</th>
                  <th>{t('events.properties')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ k, e }) => {
                  const open = expanded.has(k);
                  return (
                    <Fragment key={k}>
                      <tr className={open ? 'row-open clickable' : 'clickable'} onClick={() => toggle(k)}>
                        <td className="col-toggle"><span className={open ? 'caret open' : 'caret'}>▸</span></td>
                        <td className="nowrap" title={`${t('events.receivedAt')}: ${fmtTime(lang, e.received_at, tz)}`}>{fmtTime(lang, e.timestamp, tz)}</td>
                        <td><strong>{e.event || (e.type ? `$${e.type}` : '–')}</strong></td>
                        <td><Badge>{e.type || '–'}</Badge></td>
                        <td className="mono ellipsis" title={e.person || e.user_id || e.anonymous_id || ''}>{e.person || e.user_id || e.anonymous_id || '–'}</td>
                        <td className="ellipsis">{e.account || '–'}</td>
                        <td className="mono muted ellipsis props-summary">{summarize(e.properties)}</td>
                      </tr>
                      {open && (
                        <tr className="row-detail">
                          <td />
                          <td colSpan={6}>
                            <div className="detail-grid">
                              <div><span className="muted">{t('events.receivedAt')}</span> {fmtTime(lang, e.received_at, tz)}</div>
                              <div><span className="muted">user_id</span> <span className="mono">{e.user_id || '–'}</span></div>
                              <div><span className="muted">anonymous_id</span> <span className="mono">{e.anonymous_id || '–'}</span></div>
                              <div><span className="muted">message_id</span> <span className="mono">{e.message_id || '–'}</span></div>
                            </div>
                            <pre className="json" data-testid="event-properties">{prettyJson(e.properties || {})}</pre>
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {nextCursor && rows.length > 0 && (
          <div className="table-foot">
            <button type="button" className="btn" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? t('common.loading') : t('events.loadOlder')}
            </button>
          </div>
        )}
      </Card>
    </div>
  );
}
