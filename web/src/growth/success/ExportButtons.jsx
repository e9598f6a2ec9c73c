// CSV / XLSX buttons of a view endpoint: GET <path>?<params>&format=csv|xlsx saved
// as a file (api.js downloadGet, so the session and error answers work); a refusal
// is shown beside the buttons, a server without the export as a short note.
// <ExportButtons path="/api/renewals/at-risk/export" params={{days: 90}}
//                prefix="renewals-at-risk" testId="at-risk-export" />
import { useState } from 'react';
import { downloadGet, qs } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { isMissing } from './Pending.jsx';

export default function ExportButtons({ path, params, prefix, testId }) {
  const { t } = useI18n();
  const [error, setError] = useState(null);
  const go = (format) => {
    setError(null);
    downloadGet(`${path}${qs({ ...params, format })}`, `${prefix}.${format}`).catch(setError);
  };
  return (
    <span className="inline">
      <button type="button" className="btn btn-small" onClick={() => go('csv')} data-testid={`${testId}-csv`}>CSV</button>
      <button type="button" className="btn btn-small" onClick={() => go('xlsx')} data-testid={`${testId}-xlsx`}>XLSX</button>
      {error && <small className="field-error" role="alert">{isMissing(error) ? t('success.exportPending') : error.message}</small>}
    </span>
  );
}
