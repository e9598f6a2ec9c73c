import { useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { copyText, fmtNum } from '../format.js';

export function Card({ title, actions, children, className, testId }) {
  return (
    <section className={className ? `card ${className}` : 'card'} data-testid={testId}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" /> {t('common.loading')}
    </div>
  );
}

export function ErrorBox({ error, onRetry }) {
  const { t } = useI18n();
  if (!error) return null;
  const msg = error.message || String(error);
  return (
    <div className="state state-error" role="alert" data-testid="error">
      <strong>{t('common.error')}</strong>
      <span className="error-msg">{msg}</span>
      {error.code && <code className="error-code">{error.code}{error.field ? ` · ${error.field}` : ''}</code>}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>{t('common.retry')}</button>
      )}
    </div>
  );
}

export function Empty({ children }) {
  const { t } = useI18n();
  return <div className="state state-empty">{children || t('common.empty')}</div>;
}

export function BarList({ items, testId }) {
  const { lang } = useI18n();
  if (!items || items.length === 0) return <Empty />;
  const max = Math.max(1, ...items.map((i) => Number(i.count) || 0));
  return (
    <ul className="barlist" data-testid={testId}>
      {items.map((it) => (
        <li key={String(it.name)}>
          <div className="barlist-bar" style={{ width: `${(100 * (Number(it.count) || 0)) / max}%` }} />
          <span className="barlist-name" title={String(it.name)}>{it.name === null ? 'null' : String(it.name)}</span>
          <span className="barlist-count">{fmtNum(lang, it.count)}</span>
        </li>
      ))}
    </ul>
  );
}

export function CopyButton({ text, label, testId, className }) {
  const { t } = useI18n();
  const [state, setState] = useState('');
  return (
    <button
      type="button"
      className={className || 'btn btn-small'}
      data-testid={testId}
      onClick={async () => {
        const ok = await copyText(typeof text === 'function' ? text() : text);
        setState(ok ? 'ok' : 'fail');
        setTimeout(() => setState(''), 1800);
      }}
    >
      {state === 'ok' ? t('common.copied') : state === 'fail' ? t('common.copyFailed') : label || t('common.copy')}
    </button>
  );
}

export function Badge({ kind = 'neutral', children }) {
  return <span className={`badge badge-${kind}`}>{children}</span>;
}
