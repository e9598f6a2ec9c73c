// Add points to / redeem points of a partner: POST /api/partners/ID/points
// {kind, points, reason, idempotency_key}. Used by pages/growth/PartnerDetail.jsx.
//
// Props: partnerId, mode "earn" (kinds quote, presales, delivery_rating, reward,
// penalty) or "redeem" (kind redemption), balance (shown for a redemption),
// onDone({entry, replayed}) after the server accepted (or replayed) the entry.
// Points are typed as a positive number; the server stores penalty and
// redemption negative. Refusals are shown under the form: 412 "balance N" for a
// redemption above the balance, 409 for a key reused with another body, 400 with
// the field.
//
// The idempotency key: one per form fill, generated when the form opens. It is
// kept when the answer is unknown (network error, 5xx), so pressing the button
// again replays instead of booking twice; it is renewed after the server
// answered (accepted, replayed, or refused with a 4xx: nothing was booked under
// it, and the user may change the body).
import { useState } from 'react';
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { fmtNum } from '../../format.js';
import { Pending, isMissing, newIdempotencyKey } from './Pending.jsx';
import './success.css';

export const EARN_KINDS = ['quote', 'presales', 'delivery_rating', 'reward', 'penalty'];

export default function PointsForm({ partnerId, mode, balance, onDone }) {
  const { t, tOr, lang } = useI18n();
  const redeem = mode === 'redeem';
  const p = redeem ? 'redeem' : 'earn';
  const [kind, setKind] = useState(redeem ? 'redemption' : 'quote');
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [note, setNote] = useState('');

  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    setNote('');
    const n = Number(points);
    if (!points || !Number.isInteger(n) || n <= 0) {
      setError({ message: t('points.positive'), field: 'points' });
      return;
    }
    setBusy(true);
    try {
      const d = await api.post(`/api/partners/${partnerId}/points`, { kind, points: n, reason: reason.trim(), idempotency_key: key });
      setNote(d.replayed ? t('points.replayed') : t('points.saved'));
      setPoints('');
      setReason('');
      setKey(newIdempotencyKey());
      onDone(d);
    } catch (err) {
      setError(err);
      if (err.status >= 400 && err.status < 500) setKey(newIdempotencyKey());
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sc-points-form" onSubmit={submit} data-testid={`${p}-form`}>
      {!redeem && (
        <label className="field"><span>{tOr('field.point_entries.kind', 'kind')}</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value)} data-testid={`${p}-kind`}>
            {EARN_KINDS.map((k) => <option key={k} value={k}>{tOr(`choice.point_entries.kind.${k}`, k)}</option>)}
          </select>
        </label>
      )}
      <label className="field"><span>{redeem ? t('points.redeemPoints') : kind === 'penalty' ? t('points.penaltyPoints') : t('points.points')}</span>
        <input className={`input${error && error.field === 'points' ? ' invalid' : ''}`} type="number" min="1" step="1" value={points}
          onChange={(e) => setPoints(e.target.value)} data-testid={`${p}-points`} />
      </label>
      <label className="field"><span>{tOr('field.point_entries.reason', 'reason')}</span>
        <input className={`input sc-reason${error && error.field === 'reason' ? ' invalid' : ''}`} value={reason}
          onChange={(e) => setReason(e.target.value)} data-testid={`${p}-reason`} />
      </label>
      <button type="submit" className={`btn ${redeem ? 'btn-danger' : 'btn-primary'}`} disabled={busy} data-testid={`${p}-submit`}>
        {redeem ? t('points.redeem') : t('points.add')}
      </button>
      {redeem && balance !== undefined && balance !== null && <small className="muted">{t('points.available', { n: fmtNum(lang, balance) })}</small>}
      <small className="sc-key" title={t('points.keyHint')} data-testid={`${p}-key`}>{t('points.key')}: {key}</small>
      {error && (isMissing(error)
        ? <Pending what={`POST /api/partners/${partnerId}/points`} />
        : (
          <small className="field-error" role="alert" data-testid={`${p}-error`}>
            {error.status === 412 ? t('points.overdraw', { msg: error.message })
              : error.status === 409 ? t('points.conflict', { msg: error.message })
                : error.message}
            {error.field ? ` (${error.field})` : ''}
          </small>
        ))}
      {note && <small className="text-ok" role="status" data-testid={`${p}-note`}>{note}</small>}
    </form>
  );
}
