import { useCallback, useEffect, useState } from 'react';
import { api, onUnauthorized } from './api.js';
import { useI18n } from './i18n.jsx';
import { navigate, useHashRoute } from './hooks.js';
import { Loading, ErrorBox } from './components/common.jsx';
import LangSwitch from './components/LangSwitch.jsx';
import Login from './pages/Login.jsx';
import Overview from './pages/Overview.jsx';
import Events from './pages/Events.jsx';
import Trend from './pages/Trend.jsx';
import DataManagement from './pages/DataManagement.jsx';

const NAV = [
  { path: '/overview', key: 'nav.overview', icon: 'M3 13h4v8H3zM10 8h4v13h-4zM17 3h4v18h-4z' },
  { path: '/events', key: 'nav.events', icon: 'M4 6h16M4 12h16M4 18h10' },
  { path: '/trends', key: 'nav.trends', icon: 'M3 17l6-6 4 4 8-8M15 7h6v6' },
  { path: '/data', key: 'nav.data', icon: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3' },
];

function Icon({ d }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none"
      stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}

export default function App() {
  const { t } = useI18n();
  const route = useHashRoute();
  const [auth, setAuth] = useState({ state: 'loading', me: null, error: null });
  const [navOpen, setNavOpen] = useState(false);

  const loadMe = useCallback(() => {
    setAuth((a) => ({ ...a, state: 'loading', error: null }));
    api.get('/api/me').then(
      (me) => setAuth({ state: 'in', me, error: null }),
      (error) => {
        if (error.status === 401) setAuth({ state: 'out', me: null, error: null });
        else setAuth({ state: 'error', me: null, error });
      },
    );
  }, []);

  useEffect(() => {
    onUnauthorized(() => setAuth({ state: 'out', me: null, error: null }));
    loadMe();
  }, [loadMe]);

  useEffect(() => {
    setNavOpen(false);
  }, [route]);

  if (auth.state === 'loading' && !auth.me) {
    return <div className="boot"><Loading /></div>;
  }
  if (auth.state === 'error') {
    return (
      <div className="boot">
        <ErrorBox error={auth.error} onRetry={loadMe} />
      </div>
    );
  }
  if (auth.state === 'out') {
    return <Login onLoggedIn={loadMe} />;
  }

  const me = auth.me || {};
  const user = me.user || {};
  const project = me.project || {};
  const tz = project.timezone;

  let path = route;
  if (!NAV.some((n) => path === n.path || path.startsWith(`${n.path}/`))) {
    path = '/overview';
    if (route !== '/overview') setTimeout(() => navigate('/overview'), 0);
  }

  let page;
  if (path.startsWith('/events')) page = <Events tz={tz} />;
  else if (path.startsWith('/trends')) page = <Trend tz={tz} />;
  else if (path.startsWith('/data')) page = <DataManagement tz={tz} route={path} isAdmin={user.role === 'admin'} />;
  else page = <Overview tz={tz} />;

  const logout = async () => {
    try {
      await api.post('/api/logout');
    } catch {
      /* the session is gone either way */
    }
    setAuth({ state: 'out', me: null, error: null });
  };

  return (
    <div className={navOpen ? 'layout nav-open' : 'layout'}>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              <svg viewBox="0 0 32 32" width="26" height="26"><rect width="32" height="32" rx="7" fill="#1f6feb" /><path d="M8 22l6-7 4 4 6-9" stroke="white" strokeWidth="3" fill="none" strokeLinecap="round" strokeLinejoin="round" /></svg>
            </span>
            <span className="brand-name">tobops</span>
          </div>
          <nav className="nav" aria-label={t('nav.label')}>
            {NAV.map((n) => (
              <a
                key={n.path}
                href={`#${n.path}`}
                data-testid={`nav-${n.path.slice(1)}`}
                className={path === n.path || path.startsWith(`${n.path}/`) ? 'active' : ''}
              >
                <Icon d={n.icon} />
                <span>{t(n.key)}</span>
              </a>
            ))}
          </nav>
          <div className="sidebar-foot">{t('app.tagline')}</div>
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <button type="button" className="btn btn-ghost nav-toggle" onClick={() => setNavOpen((o) => !o)} aria-label={t('nav.label')}>
            <Icon d="M4 6h16M4 12h16M4 18h16" />
          </button>
          <div className="topbar-project" data-testid="header-project">
            <span className="muted">{t('header.project')}</span>
            <strong>{project.name || project.id || '–'}</strong>
            {tz && <span className="tz">{tz}</span>}
          </div>
          <div className="topbar-right">
            <LangSwitch />
            <span className="user" data-testid="header-user">
              <span className="avatar" aria-hidden="true">{(user.name || '?').slice(0, 1).toUpperCase()}</span>
              <span>{user.name}</span>
              {user.role && <span className="role">{t(`role.${user.role}`)}</span>}
            </span>
            <button type="button" className="btn btn-ghost" data-testid="logout" onClick={logout}>{t('header.logout')}</button>
          </div>
        </header>
        <main className="content">{page}</main>
      </div>
    </div>
  );
}
