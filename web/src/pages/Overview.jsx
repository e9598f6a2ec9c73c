import { useMemo, useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync } from '../hooks.js';
import { bucketLabel, fmtNum } from '../format.js';
import Chart from '../components/Chart.jsx';
import { BarList, Card, ErrorBox, Loading } from '../components/common.jsx';

const DAY_CHOICES = [7, 30, 90];

function Kpi({ id, label, value, hint }) {
  const { lang } = useI18n();
  return (
    <div className="kpi" data-testid={`kpi-${id}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={`kpi-${id}-value`} data-value={value ?? ''}>
        {fmtNum(lang, value)}
      </div>
      {hint && <div className="kpi-hint">{hint}</div>}
    </div>
  );
}

export default function Overview() {
  const { t, lang } = useI18n();
  const [days, setDays] = useState(30);
  const { data, error, loading, reload } = useAsync(() => api.get(`/api/overview?days=${days}`), [days]);

  const option = useMemo(() => {
    const pts = (data && data.events_per_day) || [];
    return {
      grid: { left: 56, right: 20, top: 24, bottom: 36 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) => fmtNum(lang, v),
      },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: pts.map((p) => bucketLabel(p.t, 'day')),
        axisLine: { lineStyle: { color: '#c9d1dc' } },
        axisLabel: { color: '#5b6675', formatter: (v) => v.slice(5) },
      },
      yAxis: {
        type: 'value',
        splitLine: { lineStyle: { color: '#eef1f5' } },
        axisLabel: { color: '#5b6675', formatter: (v) => fmtNum(lang, v) },
      },
      series: [
        {
          name: t('overview.events'),
          type: 'line',
          smooth: true,
          showSymbol: pts.length <= 31,
          symbolSize: 5,
          data: pts.map((p) => p.value),
          lineStyle: { width: 2.5 },
          areaStyle: {
            color: {
              type: 'linear', x: 0, y: 0, x2: 0, y2: 1,
              colorStops: [
                { offset: 0, color: 'rgba(31,111,235,0.25)' },
                { offset: 1, color: 'rgba(31,111,235,0.02)' },
              ],
            },
          },
        },
      ],
    };
  }, [data, lang, t]);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t('overview.title')}</h1>
          <p className="muted">{t('overview.subtitle', { days })}</p>
        </div>
        <div className="segmented" role="group" aria-label={t('overview.range')}>
          {DAY_CHOICES.map((d) => (
            <button
              key={d}
              type="button"
              className={d === days ? 'active' : ''}
              onClick={() => setDays(d)}
              data-testid={`overview-days-${d}`}
            >
              {t('range.lastDays', { n: d })}
            </button>
          ))}
        </div>
      </div>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <div className="kpis">
            <Kpi id="events" label={t('overview.events')} value={data.events} hint={t('overview.inLastDays', { days })} />
            <Kpi id="persons" label={t('overview.persons')} value={data.persons} hint={t('overview.inLastDays', { days })} />
            <Kpi id="accounts" label={t('overview.accounts')} value={data.accounts} hint={t('overview.inLastDays', { days })} />
          </div>
          <Card title={t('overview.eventsPerDay')}>
            <Chart option={option} height={300} testId="overview-chart" />
          </Card>
          <div className="grid-2">
            <Card title={t('overview.topEvents')}>
              <BarList items={data.top_events} testId="top-events" />
            </Card>
            <Card title={t('overview.topChannels')}>
              <BarList items={data.top_channels} testId="top-channels" />
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
