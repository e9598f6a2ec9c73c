// The pipeline board: one column per stage (GET /api/pipeline/board?owner=&q=)
// with its count, amount and weighted amount, and the opportunities as cards.
// A card moves to another stage by drag and drop or, for keyboard users, by the
// stage select on the card; either is PATCH /api/opportunities/ID {stage}. The
// server may refuse (an unknown stage, a lost deal without a reason): the card
// goes back and the message is shown above the board. onMoved lets the page
// refresh what depends on the stages (the forecast); onStages hands the
// stages (with the project's labels) to the page.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, qs } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync } from '../hooks.js';
import { ErrorBox, Loading } from '../components/common.jsx';
import { fmtMoney, outcomeBadge, patch, stageLabel } from './util.js';
import './pipeline.css';

function OppCard({ opp, stages, busy, onMove, onDragStart }) {
  const { t, tOr, lang } = useI18n();
  return (
    <li
      className={busy ? 'pl-card pl-card-busy' : 'pl-card'}
      draggable={!busy}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', String(opp.id));
        e.dataTransfer.effectAllowed = 'move';
        onDragStart(opp);
      }}
      data-testid="board-card"
      data-id={opp.id}
      data-stage={opp.stage}
    >
      <a className="pl-card-name" href={`#/opportunities/${opp.id}`} data-testid="board-card-link">{opp.name}</a>
      {opp.account_id ? (
        <a className="pl-card-account" href={`#/accounts/${opp.account_id}`}>{opp.account_name || opp.account_id}</a>
      ) : null}
      <div className="pl-card-amount num" data-testid="board-card-amount">{fmtMoney(lang, opp.amount)}</div>
      <div className="pl-card-meta muted small">
        <span title={t('pl.owner')}>{opp.owner || t('pl.noOwner')}</span>
        <span title={t('pl.expectedClose')}>{opp.expected_close || '–'}</span>
      </div>
      <label className="pl-card-move small">
        <span className="sr-only">{t('pl.moveTo', { name: opp.name })}</span>
        <select
          className="input input-small"
          value={opp.stage}
          disabled={busy}
          onChange={(e) => onMove(opp, e.target.value)}
          aria-label={t('pl.moveTo', { name: opp.name })}
          data-testid="board-card-stage"
        >
          {stages.map((s) => <option key={s.key} value={s.key}>{stageLabel(tOr, s)}</option>)}
        </select>
      </label>
    </li>
  );
}

export default function Board({ onMoved, onStages, initialOwner = '', initialQuery = '' }) {
  const { t, tOr, lang } = useI18n();
  const [owner, setOwner] = useState(initialOwner);
  const [search, setSearch] = useState(initialQuery);
  const [q, setQ] = useState(initialQuery);
  const [owners, setOwners] = useState(initialOwner ? [initialOwner] : []);
  const [moving, setMoving] = useState(null);
  const [moveError, setMoveError] = useState(null);
  const [over, setOver] = useState('');
  const dragged = useRef(null);

  // The search box asks the server after a pause in typing.
  useEffect(() => {
    const h = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(h);
  }, [search]);

  const board = useAsync(() => api.get(`/api/pipeline/board${qs({ owner, q })}`), [owner, q]);
  const stages = (board.data && board.data.stages) || [];

  useEffect(() => {
    if (onStages && board.data) onStages(stages);
  }, [board.data]); // eslint-disable-line react-hooks/exhaustive-deps

  // Owners seen on any answer so far: a filtered board must not shrink the choice.
  useEffect(() => {
    const seen = new Set();
    for (const s of stages) for (const o of s.opportunities || []) if (o.owner) seen.add(o.owner);
    setOwners((prev) => {
      const all = new Set([...prev, ...seen]);
      return all.size === prev.length ? prev : [...all].sort((a, b) => a.localeCompare(b, lang));
    });
  }, [stages, lang]);

  const move = async (opp, to) => {
    if (!to || to === opp.stage || moving) return;
    setMoving(opp.id);
    setMoveError(null);
    // Move the card at once; the totals come from the server's next answer.
    board.setData({
      ...board.data,
      stages: stages.map((s) => {
        const rest = (s.opportunities || []).filter((o) => o.id !== opp.id);
        return s.key === to ? { ...s, opportunities: [{ ...opp, stage: to }, ...rest] } : { ...s, opportunities: rest };
      }),
    });
    try {
      await patch(`/api/opportunities/${encodeURIComponent(opp.id)}`, { stage: to });
      if (onMoved) onMoved();
    } catch (e) {
      e.opportunity = opp.name;
      setMoveError(e);
    } finally {
      await board.reload();
      setMoving(null);
    }
  };

  const totals = useMemo(() => stages.reduce((acc, s) => {
    if (s.outcome === 'open' || !s.outcome) {
      acc.count += Number(s.count) || 0;
      acc.amount += Number(s.amount) || 0;
      acc.weighted += Number(s.weighted_amount) || 0;
    }
    return acc;
  }, { count: 0, amount: 0, weighted: 0 }), [stages]);

  return (
    <div className="pl-board-wrap" data-testid="board">
      <div className="toolbar">
        <select className="input" value={owner} onChange={(e) => setOwner(e.target.value)} data-testid="board-owner" aria-label={t('pl.owner')}>
          <option value="">{t('pl.allOwners')}</option>
          {owners.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
        <input
          type="search"
          className="input grow"
          placeholder={t('pl.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="board-search"
        />
        <button type="button" className="btn" onClick={board.reload} disabled={board.loading}>{t('common.refresh')}</button>
        {board.data && (
          <span className="muted small pl-board-total" data-testid="board-open-total">
            {t('pl.openTotal', { n: fmtMoney(lang, totals.count), amount: fmtMoney(lang, totals.amount), weighted: fmtMoney(lang, totals.weighted) })}
          </span>
        )}
      </div>
      {moveError && (
        <div data-testid="board-move-error">
          <ErrorBox error={{ ...moveError, message: t('pl.moveRefused', { name: moveError.opportunity, message: moveError.message }) }} />
        </div>
      )}
      <ErrorBox error={board.error} onRetry={board.reload} />
      {board.loading && !board.data && <Loading />}
      {board.data && (
        <div className={board.loading ? 'pl-board pl-busy' : 'pl-board'}>
          {stages.map((s) => (
            <section
              key={s.key}
              className={`pl-col pl-col-${s.outcome || 'open'}${over === s.key ? ' pl-col-over' : ''}`}
              data-testid="board-column"
              data-stage={s.key}
              onDragOver={(e) => {
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                if (over !== s.key) setOver(s.key);
              }}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget)) setOver('');
              }}
              onDrop={(e) => {
                e.preventDefault();
                setOver('');
                const id = e.dataTransfer.getData('text/plain');
                const opp = dragged.current && String(dragged.current.id) === id
                  ? dragged.current
                  : stages.flatMap((x) => x.opportunities || []).find((o) => String(o.id) === id);
                dragged.current = null;
                if (opp) move(opp, s.key);
              }}
            >
              <header className="pl-col-head">
                <div className="pl-col-title">
                  <h2>{stageLabel(tOr, s)}</h2>
                  <span className={`badge badge-${outcomeBadge(s.outcome)}`}>{fmtMoney(lang, s.probability)}%</span>
                </div>
                <dl className="pl-col-stats">
                  <div><dt>{t('pl.count')}</dt><dd className="num" data-testid="board-count" data-value={s.count}>{fmtMoney(lang, s.count)}</dd></div>
                  <div><dt>{t('pl.amount')}</dt><dd className="num" data-testid="board-amount" data-value={s.amount}>{fmtMoney(lang, s.amount)}</dd></div>
                  <div><dt>{t('pl.weighted')}</dt><dd className="num" data-testid="board-weighted" data-value={s.weighted_amount}>{fmtMoney(lang, s.weighted_amount)}</dd></div>
                </dl>
              </header>
              <ul className="pl-cards">
                {(s.opportunities || []).map((o) => (
                  <OppCard
                    key={o.id}
                    opp={o}
                    stages={stages}
                    busy={moving === o.id}
                    onMove={move}
                    onDragStart={(x) => { dragged.current = x; }}
                  />
                ))}
                {(s.opportunities || []).length === 0 && <li className="pl-col-empty muted small">{t('pl.emptyStage')}</li>}
              </ul>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
