// Dashboards (#/dashboards, #/dashboards?id=N): the saved dashboards; each
// saved chart runs its spec when shown and renders with the view of its kind.
// Server contract: GET/POST /api/dashboards, DELETE /api/dashboards/{id},
// DELETE /api/dashboards/{id}/charts/{chart_id}.
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { handOverSpec, navigate, useAsync } from '../hooks.js';
import { fmtTime } from '../format.js';
import { Badge, Card, Empty, ErrorBox, Loading } from '../components/common.jsx';
import { ExportButtons } from '../components/ResultActions.jsx';
import { KINDS } from '../views/registry.js';

function SavedChart({ chart, dashboardId, onDeleted, tz }) {
  const { t, tOr } = useI18n();
  const spec = chart.spec || {};
  const kind = KINDS[spec.kind];
  const q = useAsync(() => api.post('/api/query', spec), [JSON.stringify(spec)]);
  const [error, setError] = useState(null);

  const remove = async () => {
    if (!window.confirm(t('dash.confirmDeleteChart', { name: chart.title }))) return;
    try {
      await api.del(`/api/dashboards/${encodeURIComponent(dashboardId)}/charts/${encodeURIComponent(chart.id)}`);
      onDeleted();
    } catch (e) {
      setError(e);
    }
  };
  const open = () => {
    handOverSpec(spec);
    navigate(kind ? kind.route : '/overview');
  };

  const View = kind && kind.view;
  return (
    <Card
      title={chart.title}
      className="dash-chart"
      testId="dashboard-chart"
      actions={(
        <>
          <Badge kind="blue">{kind ? tOr(kind.label, spec.kind) : spec.kind}</Badge>
          <button type="button" className="btn btn-small btn-ghost" onClick={q.reload} title={t('common.refresh')} aria-label={t('common.refresh')}>↻</button>
          {kind && <button type="button" className="btn btn-small" onClick={open} data-testid="dashboard-chart-open">{t('dash.open')}</button>}
          <button type="button" className="btn btn-small btn-danger" onClick={remove} data-testid="dashboard-chart-delete">{t('dash.remove')}</button>
        </>
      )}
    >
      <ErrorBox error={error} />
      {!kind && <Empty>{t('dash.unknownKind', { kind: String(spec.kind) })}</Empty>}
      {kind && q.loading && !q.data && <Loading />}
      {kind && q.error && <ErrorBox error={q.error} onRetry={q.reload} />}
      {kind && q.data && <View spec={spec} result={q.data} compact tz={tz} />}
      {kind && q.data && <div className="dash-chart-foot"><ExportButtons spec={spec} testId="dashboard-export" /></div>}
    </Card>
  );
}

export default function Dashboards({ params, tz }) {
  const { t, lang } = useI18n();
  const list = useAsync(() => api.get('/api/dashboards'), []);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const dashboards = (list.data && list.data.dashboards) || [];
  const selectedId = params.id || (dashboards[0] && String(dashboards[0].id));
  const current = dashboards.find((d) => String(d.id) === String(selectedId));

  useEffect(() => {
    // An id that no longer exists (deleted elsewhere) falls back to the first dashboard.
    if (list.data && params.id && !current && dashboards.length) navigate('/dashboards');
  }, [list.data, params.id, current, dashboards.length]);

  const create = async (e) => {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post('/api/dashboards', { name: name.trim() });
      setName('');
      await list.reload();
      if (r && r.dashboard) navigate(`/dashboards?id=${encodeURIComponent(r.dashboard.id)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const removeDashboard = async (d) => {
    if (!window.confirm(t('dash.confirmDelete', { name: d.name }))) return;
    setError(null);
    try {
      await api.del(`/api/dashboards/${encodeURIComponent(d.id)}`);
      await list.reload();
      navigate('/dashboards');
    } catch (err) {
      setError(err);
    }
  };

  const charts = current ? [...(current.charts || [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)) : [];

  return (
    <div className="page" data-testid="dashboards-page">
      <div className="page-head">
        <div>
          <h1>{t('dash.title')}</h1>
          <p className="muted">{t('dash.subtitle')}</p>
        </div>
        <form className="inline" onSubmit={create} data-testid="dashboard-create-form">
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('dash.namePlaceholder')} data-testid="dashboard-name" />
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()} data-testid="dashboard-create">{t('dash.create')}</button>
        </form>
      </div>
      <ErrorBox error={error} />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && dashboards.length === 0 && <Card><Empty>{t('dash.none')}</Empty></Card>}
      {dashboards.length > 0 && (
        <div className="tabs dash-tabs" role="tablist" data-testid="dashboard-tabs">
          {dashboards.map((d) => (
            <a
              key={d.id}
              role="tab"
              href={`#/dashboards?id=${encodeURIComponent(d.id)}`}
              className={current && d.id === current.id ? 'active' : ''}
              aria-selected={current && d.id === current.id}
              data-testid="dashboard-tab"
            >
              {d.name} <span className="muted small">{(d.charts || []).length}</span>
            </a>
          ))}
        </div>
      )}
      {current && (
        <>
          <div className="dash-head">
            <span className="muted small">{t('dash.created', { time: fmtTime(lang, current.created_at, tz) })}</span>
            <button type="button" className="btn btn-small btn-danger" onClick={() => removeDashboard(current)} data-testid="dashboard-delete">{t('dash.delete')}</button>
          </div>
          {charts.length === 0 ? <Card><Empty>{t('dash.noCharts')}</Empty></Card> : (
            <div className="dash-grid" data-testid="dashboard-charts">
              {charts.map((c) => <SavedChart key={c.id} chart={c} dashboardId={current.id} onDeleted={list.reload} tz={tz} />)}
            </div>
          )}
        </>
      )}
    </div>
  );
}
