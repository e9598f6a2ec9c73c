// What a marketing page shows when a load failed: "this server has no such
// endpoint yet" (a notice naming the endpoint, the rest of the page still works)
// or the server's error with a retry.
//   <LoadError error={res.error} onRetry={res.reload} endpoint="/api/campaigns/5/postmortem" />
import { useI18n } from '../../i18n.jsx';
import { ErrorBox } from '../../components/common.jsx';
import { isMissing } from './util.js';

export default function LoadError({ error, onRetry, endpoint }) {
  const { t } = useI18n();
  if (!error) return null;
  if (isMissing(error)) {
    return (
      <div className="state mk-unavailable" role="status" data-testid="mk-unavailable" data-endpoint={endpoint}>
        <strong>{t('mk.unavailable')}</strong>
        <span>{t('mk.unavailableHint', { endpoint: endpoint || '' })}</span>
      </div>
    );
  }
  return <ErrorBox error={error} onRetry={onRetry} />;
}
