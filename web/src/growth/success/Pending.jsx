// Shared states of the success / partner / planning pages (pages/growth/*).
//
// isMissing(error) → true when the server answered 404/405/501: the endpoint is
// not in this server build yet (the routes of issue 5 land separately), so the
// page shows <Pending> — a clear "not available" notice — instead of an error.
// <Pending what="/api/renewals/calendar" /> names the missing endpoint.
// <LoadState state={useAsync(...)} testId="x">{(data) => …}</LoadState> shows
// loading, the pending notice, a real error (ErrorBox with retry), or children.
import { useI18n } from '../../i18n.jsx';
import { ErrorBox, Loading } from '../../components/common.jsx';
import './success.css';

export function isMissing(error) {
  return !!error && [404, 405, 501].includes(error.status);
}

export function Pending({ what, children, testId = 'endpoint-pending' }) {
  const { t } = useI18n();
  return (
    <div className="state state-warn" role="status" data-testid={testId}>
      <strong>{t('success.pending')}</strong>
      <span>{children || t('success.pendingBody')}</span>
      {what && <code>{what}</code>}
    </div>
  );
}

export function LoadState({ state, what, children }) {
  if (state.error && isMissing(state.error)) return <Pending what={what} />;
  if (state.error && !state.data) return <ErrorBox error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <>
      {state.error && <ErrorBox error={state.error} onRetry={state.reload} />}
      {children(state.data)}
    </>
  );
}

// A horizontal progress bar, 0–100 % (values above 100 fill the bar; the label
// shows the real number). tone: ok | warn | danger | (default blue).
export function ProgressBar({ pct, tone, label, testId }) {
  const v = Number.isFinite(Number(pct)) ? Number(pct) : 0;
  return (
    <div className={`sc-progress${tone ? ` sc-${tone}` : ''}`} data-testid={testId} title={label}>
      <div className="sc-progress-fill" style={{ width: `${Math.max(0, Math.min(100, v))}%` }} />
      {label !== undefined && <span className="sc-progress-label">{label}</span>}
    </div>
  );
}

// A fresh idempotency key for one form (crypto.randomUUID where available).
export function newIdempotencyKey() {
  if (typeof crypto !== 'undefined' && crypto.randomUUID) return crypto.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

// The first array among the given members of an answer (the routes are new; a
// list may be named "items" or after its content).
export function listOf(data, ...names) {
  if (!data) return [];
  for (const n of [...names, 'items']) if (Array.isArray(data[n])) return data[n];
  return [];
}
