// "Save to dashboard" and "Export CSV / XLSX" for a query result. Both act on
// the spec that produced the result on screen (not the builder's current
// state). Server contract: GET/POST /api/dashboards, POST
// /api/dashboards/{id}/charts, POST /api/query/export?format=csv|xlsx.
import { useEffect, useRef, useState } from 'react';
import { api, downloadPost } from '../api.js';
import { useI18n } from '../i18n.jsx';

const NEW = '__new__';

export function SaveToDashboard({ spec, defaultTitle, testId = 'save-dashboard' }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [list, setList] = useState(null);
  const [target, setTarget] = useState('');
  const [newName, setNewName] = useState('');
  const [title, setTitle] = useState(defaultTitle || '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(null);
  const boxRef = useRef(null);

  useEffect(() => { setTitle(defaultTitle || ''); }, [defaultTitle]);

  useEffect(() => {
    if (!open) return undefined;
    setError(null);
    setSaved(null);
    api.get('/api/dashboards').then(
      (d) => {
        const ds = d.dashboards || [];
        setList(ds);
        setTarget((cur) => cur || (ds.length ? String(ds[0].id) : NEW));
      },
      (e) => { setList([]); setTarget(NEW); setError(e); },
    );
    const onKey = (e) => { if (e.key === 'Escape') setOpen(false); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let dash;
      if (target === NEW) {
        const r = await api.post('/api/dashboards', { name: newName.trim() || t('dash.untitled') });
        dash = r.dashboard;
      } else {
        dash = (list || []).find((d) => String(d.id) === target);
      }
      await api.post(`/api/dashboards/${encodeURIComponent(dash.id)}/charts`, { title: title.trim() || defaultTitle || spec.kind, spec });
      setSaved(dash);
      setTarget(String(dash.id));
      setList((l) => (l && !l.some((d) => d.id === dash.id) ? [...l, dash] : l));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="popover-anchor" ref={boxRef}>
      <button type="button" className="btn btn-small" onClick={() => setOpen((o) => !o)} data-testid={testId} aria-expanded={open}>
        ☆ {t('dash.saveTo')}
      </button>
      {open && (
        <form className="popover" onSubmit={save} data-testid={`${testId}-form`}>
          <label className="field">
            <span>{t('dash.chartTitle')}</span>
            <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} data-testid={`${testId}-title`} />
          </label>
          <label className="field">
            <span>{t('dash.dashboard')}</span>
            <select className="input" value={target} onChange={(e) => setTarget(e.target.value)} data-testid={`${testId}-target`} disabled={list === null}>
              {list === null && <option value="">{t('common.loading')}</option>}
              {(list || []).map((d) => <option key={d.id} value={String(d.id)}>{d.name}</option>)}
              <option value={NEW}>＋ {t('dash.new')}</option>
            </select>
          </label>
          {target === NEW && (
            <label className="field">
              <span>{t('dash.newName')}</span>
              <input className="input" value={newName} onChange={(e) => setNewName(e.target.value)} placeholder={t('dash.namePlaceholder')} data-testid={`${testId}-new-name`} />
            </label>
          )}
          {error && <small className="field-error" role="alert">{error.message}</small>}
          {saved && (
            <div className="popover-ok" data-testid={`${testId}-done`}>
              ✓ {t('dash.savedTo', { name: saved.name })} <a href={`#/dashboards?id=${encodeURIComponent(saved.id)}`}>{t('dash.view')}</a>
            </div>
          )}
          <div className="inline">
            <button type="submit" className="btn btn-primary btn-small" disabled={busy || list === null} data-testid={`${testId}-submit`}>
              {busy ? t('common.saving') : t('dash.save')}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(false)}>{t('common.close')}</button>
          </div>
        </form>
      )}
    </div>
  );
}

export function ExportButtons({ spec, testId = 'export' }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState('');
  const [error, setError] = useState(null);
  const go = async (format) => {
    setBusy(format);
    setError(null);
    try {
      await downloadPost(`/api/query/export?format=${format}`, spec, `tobops-${spec.kind || 'query'}.${format}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  };
  return (
    <div className="inline export-buttons">
      <span className="muted small">{t('export.label')}</span>
      <div className="segmented">
        {['csv', 'xlsx'].map((f) => (
          <button key={f} type="button" onClick={() => go(f)} disabled={!!busy} data-testid={`${testId}-${f}`}>
            {busy === f ? '…' : f.toUpperCase()}
          </button>
        ))}
      </div>
      {error && <small className="field-error" role="alert" data-testid={`${testId}-error`}>{error.message}</small>}
    </div>
  );
}

// Both, for a result card's header.
export function ResultActions({ spec, defaultTitle, children }) {
  if (!spec) return null;
  return (
    <div className="result-actions">
      {children}
      <ExportButtons spec={spec} />
      <SaveToDashboard spec={spec} defaultTitle={defaultTitle} />
    </div>
  );
}
