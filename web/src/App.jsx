import { useCallback, useEffect, useState } from 'react';
import { api, onUnauthorized } from './api.js';
import { useI18n } from './i18n.jsx';
import { navigate, parseRoute, useHashRoute } from './hooks.js';
import { Loading, ErrorBox } from './components/common.jsx';
import LangSwitch from './components/LangSwitch.jsx';
import Login from './pages/Login.jsx';
import Overview from './pages/Overview.jsx';
import Events from './pages/Events.jsx';
import Trend from './pages/Trend.jsx';
import Funnel from './pages/Funnel.jsx';
import Retention from './pages/Retention.jsx';
import Paths from './pages/Paths.jsx';
import Lifecycle from './pages/Lifecycle.jsx';
import Health from './pages/Health.jsx';
import Coverage from './pages/Coverage.jsx';
import Dashboards from './pages/Dashboards.jsx';
import Cohorts from './pages/Cohorts.jsx';
import Attribution from './pages/Attribution.jsx';
import Distribution from './pages/Distribution.jsx';
import Interval from './pages/Interval.jsx';
import DataManagement from './pages/DataManagement.jsx';
import Accounts from './pages/sales/Accounts.jsx';
import AccountDetail from './pages/sales/AccountDetail.jsx';
import Contacts from './pages/sales/Contacts.jsx';
import Visits from './pages/sales/Visits.jsx';
import VisitDetail from './pages/sales/VisitDetail.jsx';
import FollowUps from './pages/sales/FollowUps.jsx';
import Feedback from './pages/sales/Feedback.jsx';
import Pipeline from './pages/sales/Pipeline.jsx';
import Opportunities from './pages/sales/Opportunities.jsx';
import OpportunityDetail from './pages/sales/OpportunityDetail.jsx';
import WeeklyReport from './pages/sales/WeeklyReport.jsx';
import Campaigns from './pages/growth/Campaigns.jsx';
import CampaignDetail from './pages/growth/CampaignDetail.jsx';
import Leads from './pages/growth/Leads.jsx';
import MeasuresMap from './pages/growth/MeasuresMap.jsx';
import Content from './pages/growth/Content.jsx';
import ContentReport from './pages/growth/ContentReport.jsx';
import CaseLibrary from './pages/growth/CaseLibrary.jsx';
import Renewals from './pages/growth/Renewals.jsx';
import Playbooks from './pages/growth/Playbooks.jsx';
import Tasks from './pages/growth/Tasks.jsx';
import Partners from './pages/growth/Partners.jsx';
import PartnerDetail from './pages/growth/PartnerDetail.jsx';
import Goals from './pages/growth/Goals.jsx';
import Strategies from './pages/growth/Strategies.jsx';

// Sidebar: ungrouped pages first, then the groups (分析, 客户), dashboards and
// data management. Paths are hash routes; a route may carry ?query parameters.
const NAV_GROUPS = [
  {
    items: [
      { path: '/overview', key: 'nav.overview', icon: 'M3 13h4v8H3zM10 8h4v13h-4zM17 3h4v18h-4z' },
      { path: '/events', key: 'nav.events', icon: 'M4 6h16M4 12h16M4 18h10' },
    ],
  },
  {
    key: 'nav.groupAnalysis',
    items: [
      { path: '/trends', key: 'nav.trends', icon: 'M3 17l6-6 4 4 8-8M15 7h6v6' },
      { path: '/funnel', key: 'nav.funnel', icon: 'M3 4h18l-7 9v6l-4 2v-8z' },
      { path: '/retention', key: 'nav.retention', icon: 'M3 3h5v5H3zM10 3h5v5h-5zM17 3h4v5h-4zM3 10h5v5H3zM10 10h5v5h-5zM3 17h5v4H3z' },
      { path: '/paths', key: 'nav.paths', icon: 'M5 6a2 2 0 1 0 0-.01M19 18a2 2 0 1 0 0-.01M5 8v2a4 4 0 0 0 4 4h6a4 4 0 0 1 4 4M19 6h-6' },
      { path: '/lifecycle', key: 'nav.lifecycle', icon: 'M12 3v4M12 17v4M4 12h4M16 12h4M6 6l2.5 2.5M15.5 15.5L18 18M6 18l2.5-2.5M15.5 8.5L18 6' },
      { path: '/attribution', key: 'nav.attribution', icon: 'M4 5h6v4H4zM4 15h6v4H4zM14 10h6v4h-6zM10 7h2v10h-2M12 12h2' },
      { path: '/distribution', key: 'nav.distribution', icon: 'M4 20V10M9 20V4M14 20v-8M19 20v-4M3 20h18' },
      { path: '/interval', key: 'nav.interval', icon: 'M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 9v4l3 2M9 2h6' },
    ],
  },
  {
    key: 'nav.groupCustomers',
    items: [
      { path: '/health', key: 'nav.health', icon: 'M20.8 5.6a5 5 0 0 0-7.1 0L12 7.3l-1.7-1.7a5 5 0 0 0-7.1 7.1L12 21.5l8.8-8.8a5 5 0 0 0 0-7.1zM3 12h4l2-3 3 6 2-3h7' },
      { path: '/cohorts', key: 'nav.cohorts', icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 12 0v1M16 3.5a4 4 0 0 1 0 7.5M18 14a6 6 0 0 1 4 6v1' },
      { path: '/coverage', key: 'nav.coverage', icon: 'M12 3l8 4v5c0 5-3.5 8-8 9-4.5-1-8-4-8-9V7zM9 12l2 2 4-4' },
    ],
  },
  {
    key: 'nav.groupSales',
    items: [
      { path: '/accounts', key: 'nav.accounts', icon: 'M3 21h18M5 21V7l7-4 7 4v14M9 10h1M14 10h1M9 14h1M14 14h1M10 21v-3h4v3' },
      { path: '/contacts', key: 'nav.contacts', icon: 'M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM19 8v6M22 11h-6' },
      { path: '/pipeline', key: 'nav.pipeline', icon: 'M3 4h5v16H3zM10 4h5v10h-5zM17 4h4v6h-4z' },
      { path: '/opportunities', key: 'nav.opportunities', icon: 'M12 2v20M17 5H9.5a3.5 3.5 0 0 0 0 7h5a3.5 3.5 0 0 1 0 7H6' },
      { path: '/visits', key: 'nav.visits', icon: 'M8 2v4M16 2v4M3 10h18M5 4h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z' },
      { path: '/follow-ups', key: 'nav.followUps', icon: 'M9 11l3 3L22 4M21 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11' },
      { path: '/feedback', key: 'nav.feedback', icon: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z' },
      { path: '/weekly-report', key: 'nav.weeklyReport', icon: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zM14 2v6h6M8 13h8M8 17h8M8 9h2' },
    ],
  },
  {
    key: 'nav.groupMarketing',
    items: [
      { path: '/campaigns', key: 'nav.campaigns', icon: 'M3 11l18-8v18l-18-8zM7 12v6a2 2 0 0 0 4 0v-4' },
      { path: '/leads', key: 'nav.leads', icon: 'M22 3H2l8 9.5V19l4 2v-8.5z' },
      { path: '/measures-map', key: 'nav.measuresMap', icon: 'M3 3v18h18M8 15a2 2 0 1 0 0-.01M13 9a3 3 0 1 0 0-.01M18 14a1.5 1.5 0 1 0 0-.01' },
      { path: '/content', key: 'nav.content', icon: 'M4 4h16v16H4zM8 8h8M8 12h8M8 16h5' },
      { path: '/content-report', key: 'nav.contentReport', icon: 'M3 3h18v18H3zM7 15l3-4 3 3 4-6' },
      { path: '/case-library', key: 'nav.caseLibrary', icon: 'M4 19.5A2.5 2.5 0 0 1 6.5 17H20V3H6.5A2.5 2.5 0 0 0 4 5.5zM4 19.5A2.5 2.5 0 0 0 6.5 22H20v-5' },
    ],
  },
  {
    key: 'nav.groupSuccess',
    items: [
      { path: '/renewals', key: 'nav.renewals', icon: 'M21 12a9 9 0 1 1-3-6.7L21 8M21 3v5h-5' },
      { path: '/playbooks', key: 'nav.playbooks', icon: 'M9 3h6v4H9zM5 7h14v14H5zM9 12h6M9 16h4' },
      { path: '/tasks', key: 'nav.tasks', icon: 'M9 11l3 3L22 4M3 12a9 9 0 1 0 9-9' },
      { path: '/partners', key: 'nav.partners', icon: 'M16 11a4 4 0 1 0-8 0M2 21v-1a7 7 0 0 1 7-7h6a7 7 0 0 1 7 7v1M12 7V3' },
      { path: '/goals', key: 'nav.goals', icon: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM12 13a1 1 0 1 0 0-2 1 1 0 0 0 0 2z' },
      { path: '/strategies', key: 'nav.strategies', icon: 'M3 12h4l3-8 4 16 3-8h4' },
    ],
  },
  {
    items: [
      { path: '/dashboards', key: 'nav.dashboards', icon: 'M3 3h8v10H3zM13 3h8v6h-8zM13 11h8v10h-8zM3 15h8v6H3z' },
      { path: '/data', key: 'nav.data', icon: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3' },
    ],
  },
];
const NAV = NAV_GROUPS.flatMap((g) => g.items);

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

  const parsed = parseRoute(route);
  let path = parsed.path;
  const params = parsed.params;
  if (!NAV.some((n) => path === n.path || path.startsWith(`${n.path}/`))) {
    path = '/overview';
    if (route !== '/overview') setTimeout(() => navigate('/overview'), 0);
  }

  // Pages are keyed by their path so that leaving and coming back starts fresh.
  let page;
  if (path.startsWith('/events')) page = <Events tz={tz} params={params} />;
  else if (path.startsWith('/trends')) page = <Trend tz={tz} />;
  else if (path.startsWith('/funnel')) page = <Funnel tz={tz} />;
  else if (path.startsWith('/retention')) page = <Retention tz={tz} />;
  else if (path.startsWith('/paths')) page = <Paths tz={tz} />;
  else if (path.startsWith('/lifecycle')) page = <Lifecycle tz={tz} />;
  else if (path.startsWith('/attribution')) page = <Attribution tz={tz} />;
  else if (path.startsWith('/distribution')) page = <Distribution tz={tz} />;
  else if (path.startsWith('/interval')) page = <Interval tz={tz} />;
  else if (path.startsWith('/cohorts')) page = <Cohorts tz={tz} />;
  else if (path.startsWith('/health')) page = <Health tz={tz} />;
  else if (path.startsWith('/coverage')) page = <Coverage tz={tz} />;
  else if (path.startsWith('/accounts/')) page = <AccountDetail tz={tz} id={path.split('/')[2]} params={params} />;
  else if (path.startsWith('/accounts')) page = <Accounts tz={tz} params={params} />;
  else if (path.startsWith('/contacts')) page = <Contacts tz={tz} params={params} />;
  else if (path.startsWith('/pipeline')) page = <Pipeline tz={tz} params={params} />;
  else if (path.startsWith('/opportunities/')) page = <OpportunityDetail tz={tz} id={path.split('/')[2]} params={params} />;
  else if (path.startsWith('/opportunities')) page = <Opportunities tz={tz} params={params} />;
  else if (path.startsWith('/visits/')) page = <VisitDetail tz={tz} id={path.split('/')[2]} params={params} />;
  else if (path.startsWith('/visits')) page = <Visits tz={tz} params={params} />;
  else if (path.startsWith('/follow-ups')) page = <FollowUps tz={tz} params={params} />;
  else if (path.startsWith('/feedback')) page = <Feedback tz={tz} params={params} />;
  else if (path.startsWith('/weekly-report')) page = <WeeklyReport tz={tz} params={params} />;
  else if (path.startsWith('/campaigns/')) page = <CampaignDetail tz={tz} id={path.split('/')[2]} params={params} />;
  else if (path.startsWith('/campaigns')) page = <Campaigns tz={tz} params={params} />;
  else if (path.startsWith('/leads')) page = <Leads tz={tz} params={params} />;
  else if (path.startsWith('/measures-map')) page = <MeasuresMap tz={tz} params={params} />;
  else if (path.startsWith('/content-report')) page = <ContentReport tz={tz} params={params} />;
  else if (path.startsWith('/content')) page = <Content tz={tz} params={params} />;
  else if (path.startsWith('/case-library')) page = <CaseLibrary tz={tz} params={params} />;
  else if (path.startsWith('/renewals')) page = <Renewals tz={tz} params={params} />;
  else if (path.startsWith('/playbooks')) page = <Playbooks tz={tz} params={params} />;
  else if (path.startsWith('/tasks')) page = <Tasks tz={tz} params={params} />;
  else if (path.startsWith('/partners/')) page = <PartnerDetail tz={tz} id={path.split('/')[2]} params={params} />;
  else if (path.startsWith('/partners')) page = <Partners tz={tz} params={params} />;
  else if (path.startsWith('/goals')) page = <Goals tz={tz} params={params} />;
  else if (path.startsWith('/strategies')) page = <Strategies tz={tz} params={params} />;
  else if (path.startsWith('/dashboards')) page = <Dashboards tz={tz} params={params} />;
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
            {NAV_GROUPS.map((g, gi) => (
              <div className="nav-group" key={gi}>
                {g.key && <div className="nav-group-title">{t(g.key)}</div>}
                {g.items.map((n) => (
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
              </div>
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
        <main className="content" key={path}>{page}</main>
      </div>
    </div>
  );
}
