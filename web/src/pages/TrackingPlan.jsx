import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync } from '../hooks.js';
import { Card, ErrorBox, Loading } from '../components/common.jsx';

const MODES = ['accept_all', 'flag', 'quarantine'];
const TYPES = ['string', 'number', 'boolean'];

function normalize(plan) {
  return {
    mode: plan && MODES.includes(plan.mode) ? plan.mode : 'accept_all',
    events: ((plan && plan.events) || []).map((e) => ({
      name: e.name || '',
      description: e.description || '',
      properties: (e.properties || []).map((p) => ({
        name: p.name || '',
        type: TYPES.includes(p.type) ? p.type : 'string',
        required: !!p.required,
        allowed: Array.isArray(p.allowed) ? p.allowed : [],
      })),
    })),
  };
}

function allowedToText(list) {
  return (list || []).map((v) => String(v)).join(', ');
}

function textToAllowed(text, type) {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (type === 'number') return parts.map((s) => (Number.isNaN(Number(s)) ? s : Number(s)));
  if (type === 'boolean') return parts.map((s) => (s === 'true' ? true : s === 'false' ? false : s));
  return parts;
}

export default function TrackingPlan() {
  const { t } = useI18n();
  const loaded = useAsync(() => api.get('/api/tracking-plan'), []);
  const [draft, setDraft] = useState(null);
  const [dirty, setDirty] = useState(false);
  const [view, setView] = useState('table');
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (loaded.data) {
      setDraft(normalize(loaded.data));
      setDirty(false);
    }
  }, [loaded.data]);

  const update = (fn) => {
    setDraft((d) => {
      const n = structuredClone(d);
      fn(n);
      return n;
    });
    setDirty(true);
    setSaved(false);
  };

  const switchView = (v) => {
    if (v === view) return;
    if (v === 'json') {
      setJsonText(JSON.stringify(draft, null, 2));
      setJsonError('');
      setView('json');
    } else {
      if (!applyJson()) return;
      setView('table');
    }
  };

  const applyJson = () => {
    try {
      const parsed = JSON.parse(jsonText);
      if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.events || [])) {
        throw new Error(t('plan.jsonShape'));
      }
      setDraft(normalize(parsed));
      setJsonError('');
      setDirty(true);
      return true;
    } catch (e) {
      setJsonError(e.message);
      return false;
    }
  };

  const save = async (modeOverride) => {
    let body = draft;
    if (view === 'json') {
      try {
        body = normalize(JSON.parse(jsonText));
      } catch (e) {
        setJsonError(e.message);
        return;
      }
    }
    if (modeOverride) body = { ...body, mode: modeOverride };
    setSaving(true);
    setSaveError(null);
    try {
      const r = await api.put('/api/tracking-plan', body);
      const next = normalize(r && r.events ? r : body);
      setDraft(next);
      if (view === 'json') setJsonText(JSON.stringify(next, null, 2));
      setDirty(false);
      setSaved(true);
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  if (loaded.error && !draft) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (!draft) return <Loading />;

  return (
    <>
      <Card title={t('plan.mode')}>
        <p className="muted small">{t('plan.modeHelp')}</p>
        <div className="mode-options" role="radiogroup" data-testid="plan-mode">
          {MODES.map((m) => (
            <label key={m} className={draft.mode === m ? 'mode-option active' : 'mode-option'}>
              <input
                type="radio"
                name="plan-mode"
                value={m}
                checked={draft.mode === m}
                onChange={() => update((d) => { d.mode = m; })}
              />
              <span className="mode-title">{t(`plan.mode.${m}`)}</span>
              <span className="mode-desc">{t(`plan.modeDesc.${m}`)}</span>
            </label>
          ))}
        </div>
      </Card>
      <Card
        title={t('plan.events')}
        actions={
          <div className="segmented">
            <button type="button" className={view === 'table' ? 'active' : ''} onClick={() => switchView('table')}>{t('plan.viewTable')}</button>
            <button type="button" className={view === 'json' ? 'active' : ''} onClick={() => switchView('json')} data-testid="plan-view-json">{t('plan.viewJson')}</button>
          </div>
        }
      >
        {view === 'json' ? (
          <div className="json-editor">
            <textarea
              className="input mono"
              spellCheck={false}
              value={jsonText}
              onChange={(e) => { setJsonText(e.target.value); setDirty(true); setSaved(false); }}
              rows={22}
              data-testid="plan-json"
            />
            {jsonError && <div className="field-error">{t('plan.jsonInvalid')}: {jsonError}</div>}
          </div>
        ) : (
          <div className="plan-events">
            {draft.events.length === 0 && <div className="state state-empty">{t('plan.noEvents')}</div>}
            {draft.events.map((ev, ei) => (
              <div className="plan-event" key={ei}>
                <div className="plan-event-head">
                  <input
                    className="input mono"
                    value={ev.name}
                    placeholder={t('plan.eventName')}
                    onChange={(e) => update((d) => { d.events[ei].name = e.target.value; })}
                    aria-label={t('plan.eventName')}
                  />
                  <input
                    className="input grow"
                    value={ev.description}
                    placeholder={t('plan.description')}
                    onChange={(e) => update((d) => { d.events[ei].description = e.target.value; })}
                    aria-label={t('plan.description')}
                  />
                  <button type="button" className="btn btn-small btn-danger" onClick={() => update((d) => { d.events.splice(ei, 1); })}>
                    {t('plan.removeEvent')}
                  </button>
                </div>
                <table className="table table-inner">
                  <thead>
                    <tr>
                      <th>{t('plan.property')}</th>
                      <th>{t('plan.type')}</th>
                      <th>{t('plan.required')}</th>
                      <th>{t('plan.allowed')}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {ev.properties.map((p, pi) => (
                      <tr key={pi}>
                        <td>
                          <input className="input input-small mono" value={p.name} aria-label={t('plan.property')}
                            onChange={(e) => update((d) => { d.events[ei].properties[pi].name = e.target.value; })} />
                        </td>
                        <td>
                          <select className="input input-small" value={p.type} aria-label={t('plan.type')}
                            onChange={(e) => update((d) => { d.events[ei].properties[pi].type = e.target.value; })}>
                            {TYPES.map((ty) => <option key={ty} value={ty}>{t(`plan.type.${ty}`)}</option>)}
                          </select>
                        </td>
                        <td>
                          <input type="checkbox" checked={p.required} aria-label={t('plan.required')}
                            onChange={(e) => update((d) => { d.events[ei].properties[pi].required = e.target.checked; })} />
                        </td>
                        <td>
                          <AllowedInput
                            value={p.allowed}
                            type={p.type}
                            placeholder={t('plan.allowedPlaceholder')}
                            onChange={(list) => update((d) => { d.events[ei].properties[pi].allowed = list; })}
                          />
                        </td>
                        <td className="num">
                          <button type="button" className="btn btn-small btn-ghost" aria-label={t('plan.removeProperty')} title={t('plan.removeProperty')}
                            onClick={() => update((d) => { d.events[ei].properties.splice(pi, 1); })}>✕</button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <button type="button" className="btn btn-small btn-ghost"
                  onClick={() => update((d) => { d.events[ei].properties.push({ name: '', type: 'string', required: false, allowed: [] }); })}>
                  + {t('plan.addProperty')}
                </button>
              </div>
            ))}
            <button type="button" className="btn" data-testid="plan-add-event"
              onClick={() => update((d) => { d.events.push({ name: '', description: '', properties: [] }); })}>
              + {t('plan.addEvent')}
            </button>
          </div>
        )}
      </Card>
      <div className="savebar">
        <ErrorBox error={saveError} />
        {saved && !dirty && <span className="text-ok">✓ {t('plan.saved')}</span>}
        {dirty && <span className="muted">{t('plan.unsaved')}</span>}
        <button type="button" className="btn" disabled={saving || !dirty} onClick={() => { loaded.reload(); setView('table'); }}>{t('plan.discard')}</button>
        <button type="button" className="btn btn-primary" disabled={saving || !dirty} onClick={() => save()} data-testid="plan-save">
          {saving ? t('common.saving') : t('plan.save')}
        </button>
      </div>
    </>
  );
}

// Comma-separated list input that keeps the user's text while typing.
function AllowedInput({ value, type, onChange, placeholder }) {
  const [text, setText] = useState(allowedToText(value));
  useEffect(() => {
    if (allowedToText(textToAllowed(text, type)) !== allowedToText(value)) setText(allowedToText(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <input
      className="input input-small"
      value={text}
      placeholder={placeholder}
      onChange={(e) => { setText(e.target.value); onChange(textToAllowed(e.target.value, type)); }}
    />
  );
}
