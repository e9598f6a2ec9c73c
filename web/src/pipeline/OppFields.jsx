// The fields of one opportunity: shown as a list, edited in a form that sends
// only what changed (PATCH /api/opportunities/ID). A server field error is shown
// by its field. `stages` are the project's pipeline stages, `contacts` the
// account's contacts (primary contact choice).
import { useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { ErrorBox } from '../components/common.jsx';
import { fmtMoney, linesToList, listToLines, patch, stageLabel } from './util.js';
import './pipeline.css';

const FIELDS = ['name', 'stage', 'amount', 'currency', 'expected_close', 'owner', 'products', 'channel', 'partner',
  'pricing', 'intent_level', 'primary_contact_id', 'lost_reason', 'closed_on', 'notes'];

function toForm(o) {
  const v = {};
  for (const f of FIELDS) v[f] = o[f] === null || o[f] === undefined ? '' : String(o[f]);
  v.products = listToLines(o.products);
  return v;
}

// The form's text back to API values; empty means "clear" (null).
function fromForm(v) {
  const out = {};
  for (const f of FIELDS) {
    const s = typeof v[f] === 'string' ? v[f].trim() : v[f];
    if (f === 'products') out[f] = linesToList(v[f]);
    else if (s === '') out[f] = null;
    else if (f === 'amount') out[f] = Number(s);
    else if (f === 'primary_contact_id') out[f] = Number(s);
    else out[f] = s;
  }
  return out;
}

function same(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function OppFieldsView({ opp, stages }) {
  const { t, tOr, lang } = useI18n();
  const stage = (stages || []).find((s) => s.key === opp.stage) || opp.stage;
  const item = (label, value, testId) => (
    <div className="pl-dl-item" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value === null || value === undefined || value === '' ? '–' : value}</dd>
    </div>
  );
  return (
    <dl className="pl-dl" data-testid="opp-fields">
      {item(t('pl.stage'), stageLabel(tOr, stage), 'opp-stage')}
      {item(t('pl.amount'), opp.amount === null || opp.amount === undefined ? null : `${fmtMoney(lang, opp.amount)} ${opp.currency || ''}`, 'opp-amount')}
      {item(t('pl.expectedClose'), opp.expected_close)}
      {item(t('pl.owner'), opp.owner)}
      {item(t('pl.products'), (opp.products || []).length ? (
        <span className="inline wrap">{opp.products.map((p) => <span key={p} className="badge">{p}</span>)}</span>
      ) : null, 'opp-products')}
      {item(t('pl.channel'), opp.channel ? `${t(`pl.channel.${opp.channel}`)}${opp.partner ? ` · ${opp.partner}` : ''}` : null)}
      {item(t('pl.pricing'), opp.pricing ? t(`pl.pricing.${opp.pricing}`) : null)}
      {item(t('pl.intent'), opp.intent_level ? t(`pl.intent.${opp.intent_level}`) : null)}
      {item(t('pl.primaryContact'), opp.primary_contact_name || opp.primary_contact_id)}
      {opp.lost_reason ? item(t('pl.lostReason'), opp.lost_reason) : null}
      {opp.closed_on ? item(t('pl.closedOn'), opp.closed_on) : null}
      {opp.notes ? <div className="pl-dl-item pl-dl-wide"><dt>{t('pl.notes')}</dt><dd className="pl-pre">{opp.notes}</dd></div> : null}
    </dl>
  );
}

export default function OppFieldsForm({ opp, stages, contacts, onSaved, onCancel }) {
  const { t, tOr } = useI18n();
  const [v, setV] = useState(() => toForm(opp));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setV((x) => ({ ...x, [k]: e.target.value }));

  const submit = async (e) => {
    e.preventDefault();
    const next = fromForm(v);
    const before = fromForm(toForm(opp));
    const body = {};
    for (const f of FIELDS) if (!same(next[f], before[f])) body[f] = next[f];
    if (Object.keys(body).length === 0) { onCancel(); return; }
    setBusy(true);
    setError(null);
    try {
      await patch(`/api/opportunities/${encodeURIComponent(opp.id)}`, body);
      onSaved();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fe = (f) => (error && error.field && (error.field === f || error.field.startsWith(`${f}[`) || error.field.startsWith(`${f}.`))
    ? <small className="field-error" data-testid="field-error" data-field={f}>{error.message}</small> : null);
  const known = new Set(FIELDS);
  const text = (f, label, extra = {}) => (
    <label className="field">
      <span>{label}</span>
      <input className="input" value={v[f]} onChange={set(f)} data-testid={`opp-edit-${f}`} {...extra} />
      {fe(f)}
    </label>
  );
  const select = (f, label, options, allowEmpty = true) => (
    <label className="field">
      <span>{label}</span>
      <select className="input" value={v[f]} onChange={set(f)} data-testid={`opp-edit-${f}`}>
        {allowEmpty && <option value="">–</option>}
        {options.map(([value, text2]) => <option key={value} value={value}>{text2}</option>)}
      </select>
      {fe(f)}
    </label>
  );

  return (
    <form className="pl-form" onSubmit={submit} data-testid="opp-form">
      <div className="pl-form-grid">
        {text('name', t('pl.name'), { required: true })}
        {select('stage', t('pl.stage'), (stages || []).map((s) => [s.key, stageLabel(tOr, s)]), false)}
        {text('amount', t('pl.amount'), { type: 'number', min: 0, step: 'any' })}
        {text('currency', t('pl.currency'))}
        {text('expected_close', t('pl.expectedClose'), { type: 'date' })}
        {text('owner', t('pl.owner'))}
        {select('channel', t('pl.channel'), [['direct', t('pl.channel.direct')], ['partner', t('pl.channel.partner')]])}
        {v.channel === 'partner' || v.partner ? text('partner', t('pl.partner')) : null}
        {select('pricing', t('pl.pricing'), [['paid', t('pl.pricing.paid')], ['free', t('pl.pricing.free')]])}
        {select('intent_level', t('pl.intent'), ['high', 'medium', 'low'].map((x) => [x, t(`pl.intent.${x}`)]))}
        {select('primary_contact_id', t('pl.primaryContact'), contacts.map((c) => [String(c.id), c.title ? `${c.name} · ${c.title}` : c.name]))}
        {text('lost_reason', t('pl.lostReason'))}
        {text('closed_on', t('pl.closedOn'), { type: 'date' })}
      </div>
      <label className="field">
        <span>{t('pl.products')} · {t('pl.onePerLine')}</span>
        <textarea className="input pl-textarea" rows={3} value={v.products} onChange={set('products')} data-testid="opp-edit-products" />
        {fe('products')}
      </label>
      <label className="field">
        <span>{t('pl.notes')}</span>
        <textarea className="input pl-textarea" rows={3} value={v.notes} onChange={set('notes')} data-testid="opp-edit-notes" />
        {fe('notes')}
      </label>
      {error && !(error.field && known.has(error.field.split(/[[.]/)[0])) && <ErrorBox error={error} />}
      <div className="inline">
        <span className="grow" />
        <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('pl.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="opp-save">{busy ? t('common.saving') : t('pl.save')}</button>
      </div>
    </form>
  );
}
