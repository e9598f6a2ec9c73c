import { useEffect, useMemo, useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync } from '../hooks.js';
import { bucketLabel, fmtNum, fmtTime } from '../format.js';
import Chart, { PALETTE } from '../components/Chart.jsx';
import { Card, CopyButton, Empty, ErrorBox, Loading } from '../components/common.jsx';

const MEASURES = ['events', 'persons', 'accounts'];
const INTERVALS = ['hour', 'day', 'week', 'month'];
const RANGES = ['7d', '30d', '90d', 'custom'];
const SOURCES = ['event', 'person', 'account'];
const OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'];
const NO_VALUE_OPS = new Set(['is_set', 'is_not_set']);
const LIST_OPS = new Set(['in', 'not_in']);
const NUM_OPS = new Set(['gt', 'gte', 'lt', 'lte']);

function isoDay(d) {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

function parseScalar(s) {
  const v = s.trim();
  if (v !== '' && !Number.isNaN(Number(v)) && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === 'true') return true;
  if (v === 'false') return false;
  return v;
}

// Property names per source, loaded on demand and cached for the page.
function useProperties() {
  const [cache, setCache] = useState({});
  const load = (source) => {
    if (!source || cache[source]) return;
    setCache((c) => ({ ...c, [source]: { loading: true } }));
    api.get(`/api/schema/properties?source=${encodeURIComponent(source)}`).then(
      (d) => setCache((c) => ({ ...c, [source]: { list: (d.properties || []).map((p) => p.name) } })),
      (error) => setCache((c) => ({ ...c, [source]: { error } })),
    );
  };
  return [cache, load];
}

export function buildSpec(f, allLabel) {
  const series = { event: f.event || '$all', measure: f.measure, label: f.event && f.event !== '$all' ? f.event : allLabel };
  const spec = { kind: 'trend', series: [series], interval: f.interval };
  spec.range = f.range === 'custom' ? { from: f.from, to: f.to } : { last: f.range };
  if (f.bdSource && f.bdProperty) {
    spec.breakdown = { source: f.bdSource, property: f.bdProperty };
    spec.limit = 10;
  }
  const filters = [];
  if (f.useFilter && f.fProperty) {
    const flt = { source: f.fSource, property: f.fProperty, op: f.fOp };
    if (!NO_VALUE_OPS.has(f.fOp)) {
      if (LIST_OPS.has(f.fOp)) flt.value = f.fValue.split(',').map((x) => parseScalar(x)).filter((x) => x !== '');
      else if (NUM_OPS.has(f.fOp)) flt.value = Number(f.fValue);
      else flt.value = parseScalar(f.fValue);
    }
    filters.push(flt);
  }
  spec.filters = filters;
  return spec;
}

export default function Trend({ tz }) {
  const { t, lang } = useI18n();
  const schema = useAsync(() => api.get('/api/schema/events'), []);
  const [props, loadProps] = useProperties();
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86400000);
  const [f, setF] = useState({
    event: '$all', measure: 'events', interval: 'day', range: '30d',
    from: isoDay(monthAgo), to: isoDay(today),
    bdSource: '', bdProperty: '',
    useFilter: false, fSource: 'event', fProperty: '', fOp: 'eq', fValue: '',
  });
  const [result, setResult] = useState(null);
  const [runError, setRunError] = useState(null);
  const [running, setRunning] = useState(false);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));

  useEffect(() => { if (f.bdSource) loadProps(f.bdSource); }, [f.bdSource]); // eslint-disable-line
  useEffect(() => { if (f.useFilter) loadProps(f.fSource); }, [f.useFilter, f.fSource]); // eslint-disable-line

  const spec = useMemo(() => buildSpec(f, t('trend.allEvents')), [f, t]);
  const specJson = JSON.stringify(spec, null, 2);

  const run = async (e) => {
    if (e) e.preventDefault();
    setRunning(true);
    setRunError(null);
    try {
      const r = await api.post('/api/query', spec);
      setResult(r);
    } catch (err) {
      setRunError(err);
    } finally {
      setRunning(false);
    }
  };

  const option = useMemo(() => {
    if (!result) return null;
    const series = result.series || [];
    const interval = result.interval || 'day';
    const xs = series.length ? series[0].points.map((p) => bucketLabel(p.t, interval)) : [];
    return {
      grid: { left: 56, right: 20, top: series.length > 1 ? 48 : 24, bottom: 40 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNum(lang, v) },
      legend: series.length > 1 ? { type: 'scroll', top: 0 } : undefined,
      xAxis: {
        type: 'category', boundaryGap: false, data: xs,
        axisLine: { lineStyle: { color: '#c9d1dc' } }, axisLabel: { color: '#5b6675' },
      },
      yAxis: {
        type: 'value',
        splitLine: { lineStyle: { color: '#eef1f5' } },
        axisLabel: { color: '#5b6675', formatter: (v) => fmtNum(lang, v) },
      },
      series: series.map((s) => ({
        name: s.label || String(s.breakdown_value ?? s.event),
        type: 'line',
        smooth: series.length === 1,
        showSymbol: xs.length <= 31,
        symbolSize: 5,
        data: (s.points || []).map((p) => p.value),
      })),
    };
  }, [result, lang]);

  const events = (schema.data && schema.data.events) || [];
  const bdList = f.bdSource ? props[f.bdSource] : null;
  const fList = f.useFilter ? props[f.fSource] : null;

  const propSelect = (source, value, onChange, testId) => {
    const entry = props[source];
    return (
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{entry && entry.loading ? t('common.loading') : t('trend.chooseProperty')}</option>
        {((entry && entry.list) || []).map((p) => <option key={p} value={p}>{p}</option>)}
        {value && entry && entry.list && !entry.list.includes(value) && <option value={value}>{value}</option>}
      </select>
    );
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t('trend.title')}</h1>
          <p className="muted">{t('trend.subtitle')}</p>
        </div>
      </div>
      <Card>
        <form className="builder" onSubmit={run} data-testid="trend-form">
          <div className="builder-grid">
            <label className="field">
              <span>{t('trend.event')}</span>
              <select className="input" value={f.event} onChange={(e) => set('event', e.target.value)} data-testid="trend-event">
                <option value="$all">{t('trend.allEvents')}</option>
                {events.map((ev) => (
                  <option key={ev.name} value={ev.name}>{ev.name} ({fmtNum(lang, ev.count)})</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('trend.measure')}</span>
              <select className="input" value={f.measure} onChange={(e) => set('measure', e.target.value)} data-testid="trend-measure">
                {MEASURES.map((m) => <option key={m} value={m}>{t(`measure.${m}`)}</option>)}
              </select>
            </label>
            <label className="field">
              <span>{t('trend.interval')}</span>
              <select className="input" value={f.interval} onChange={(e) => set('interval', e.target.value)} data-testid="trend-interval">
                {INTERVALS.map((m) => <option key={m} value={m}>{t(`interval.${m}`)}</option>)}
              </select>
            </label>
            <label className="field">
              <span>{t('trend.range')}</span>
              <select className="input" value={f.range} onChange={(e) => set('range', e.target.value)} data-testid="trend-range">
                {RANGES.map((r) => (
                  <option key={r} value={r}>{r === 'custom' ? t('range.custom') : t('range.lastDays', { n: parseInt(r, 10) })}</option>
                ))}
              </select>
            </label>
            {f.range === 'custom' && (
              <div className="field">
                <span>{t('range.fromTo')}</span>
                <div className="inline">
                  <input className="input" type="date" value={f.from} onChange={(e) => set('from', e.target.value)} aria-label={t('range.from')} required />
                  <span className="muted">–</span>
                  <input className="input" type="date" value={f.to} onChange={(e) => set('to', e.target.value)} aria-label={t('range.to')} required />
                </div>
              </div>
            )}
            <div className="field">
              <span>{t('trend.breakdown')}</span>
              <div className="inline">
                <select className="input" value={f.bdSource} onChange={(e) => setF((o) => ({ ...o, bdSource: e.target.value, bdProperty: '' }))} data-testid="trend-bd-source">
                  <option value="">{t('trend.noBreakdown')}</option>
                  {SOURCES.map((s) => <option key={s} value={s}>{t(`source.${s}`)}</option>)}
                </select>
                {f.bdSource && propSelect(f.bdSource, f.bdProperty, (v) => set('bdProperty', v), 'trend-bd-property')}
              </div>
              {bdList && bdList.error && <small className="field-error">{bdList.error.message}</small>}
            </div>
          </div>
          <div className="filter-row">
            <label className="check">
              <input type="checkbox" checked={f.useFilter} onChange={(e) => set('useFilter', e.target.checked)} data-testid="trend-use-filter" />
              <span>{t('trend.filter')}</span>
            </label>
            {f.useFilter && (
              <div className="inline wrap">
                <select className="input" value={f.fSource} onChange={(e) => setF((o) => ({ ...o, fSource: e.target.value, fProperty: '' }))}>
                  {SOURCES.map((s) => <option key={s} value={s}>{t(`source.${s}`)}</option>)}
                </select>
                {propSelect(f.fSource, f.fProperty, (v) => set('fProperty', v), 'trend-filter-property')}
                <select className="input" value={f.fOp} onChange={(e) => set('fOp', e.target.value)}>
                  {OPS.map((o) => <option key={o} value={o}>{t(`op.${o}`)}</option>)}
                </select>
                {!NO_VALUE_OPS.has(f.fOp) && (
                  <input
                    className="input"
                    value={f.fValue}
                    onChange={(e) => set('fValue', e.target.value)}
                    placeholder={LIST_OPS.has(f.fOp) ? t('trend.valueList') : t('trend.value')}
                    data-testid="trend-filter-value"
                  />
                )}
                {fList && fList.error && <small className="field-error">{fList.error.message}</small>}
              </div>
            )}
          </div>
          <div className="builder-actions">
            <button type="submit" className="btn btn-primary" disabled={running} data-testid="trend-run">
              {running ? t('trend.running') : t('trend.run')}
            </button>
            <CopyButton text={specJson} label={t('trend.copySpec')} testId="trend-copy-spec" className="btn" />
            <details className="spec-preview">
              <summary>{t('trend.showSpec')}</summary>
              <pre className="json">{specJson}</pre>
            </details>
          </div>
        </form>
      </Card>
      <ErrorBox error={runError} />
      {schema.error && <ErrorBox error={schema.error} onRetry={schema.reload} />}
      {running && !result && <Loading />}
      {!result && !running && !runError && (
        <Card><Empty>{t('trend.hint')}</Empty></Card>
      )}
      {result && (
        <>
          <Card
            title={t('trend.result')}
            actions={<span className="muted small">{fmtTime(lang, result.from, result.timezone || tz)} – {fmtTime(lang, result.to, result.timezone || tz)} · {result.timezone}</span>}
          >
            {(result.series || []).length === 0 ? <Empty /> : <Chart option={option} height={340} testId="trend-chart" />}
          </Card>
          <Card title={t('trend.totals')}>
            <div className="table-wrap">
              <table className="table" data-testid="trend-table">
                <thead>
                  <tr>
                    <th>{t('trend.series')}</th>
                    <th>{t('trend.event')}</th>
                    <th>{t('trend.measure')}</th>
                    {spec.breakdown && <th>{t('trend.breakdownValue')}</th>}
                    <th className="num">{t('trend.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(result.series || []).map((s, i) => (
                    <tr key={i}>
                      <td><span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />{s.label}</td>
                      <td className="mono">{s.event}</td>
                      <td>{t(`measure.${s.measure}`)}</td>
                      {spec.breakdown && <td>{s.breakdown_value === null ? <span className="muted">null</span> : String(s.breakdown_value)}</td>}
                      <td className="num" data-testid="trend-total" data-value={s.total}>{fmtNum(lang, s.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </>
      )}
    </div>
  );
}
