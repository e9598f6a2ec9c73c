// A side drawer over the page (existing .drawer styles), e.g. to edit a record
// from a table: <Drawer title="…" onClose={() => …} testId="x">children</Drawer>.
// Escape or a click on the backdrop closes it.
import { useEffect } from 'react';
import { useI18n } from '../i18n.jsx';

export default function Drawer({ title, onClose, children, testId }) {
  const { t } = useI18n();
  useEffect(() => {
    const on = (e) => { if (e.key === 'Escape') onClose(); };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [onClose]);
  return (
    <div className="drawer-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <aside className="drawer rec-drawer" role="dialog" aria-label={typeof title === 'string' ? title : undefined} data-testid={testId}>
        <header className="drawer-head">
          <h2>{title}</h2>
          <button type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label={t('rec.close')} data-testid={testId ? `${testId}-close` : undefined}>✕</button>
        </header>
        <div className="drawer-body">{children}</div>
      </aside>
    </div>
  );
}
