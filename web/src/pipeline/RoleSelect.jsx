// A role picker: the known roles (decision roles first) by their labels, plus
// "other…" that turns into a text box for a role of the team's own.
import { useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { roleLabel } from '../views/CoverageView.jsx';

const OTHER = '__other__';

export default function RoleSelect({ value, roles, onChange, testId, required }) {
  const { t, tOr } = useI18n();
  const known = roles.includes(value) || value === '';
  const [other, setOther] = useState(!known);
  if (other) {
    return (
      <span className="inline">
        <input className="input" value={value} onChange={(e) => onChange(e.target.value)} placeholder={t('pl.roleOther')} data-testid={testId} required={required} maxLength={40} />
        <button type="button" className="btn btn-small btn-ghost" onClick={() => { setOther(false); onChange(''); }} aria-label={t('pl.cancel')}>×</button>
      </span>
    );
  }
  return (
    <select
      className="input"
      value={value}
      onChange={(e) => {
        if (e.target.value === OTHER) { setOther(true); onChange(''); } else onChange(e.target.value);
      }}
      data-testid={testId}
      required={required}
    >
      <option value="">{t('pl.choose')}</option>
      {roles.map((r) => <option key={r} value={r}>{roleLabel(tOr, r)}</option>)}
      <option value={OTHER}>{t('pl.roleOther')}…</option>
    </select>
  );
}
