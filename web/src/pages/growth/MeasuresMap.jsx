// Measures map (#/measures-map): every campaign and content item as a point
// (GET /api/campaigns/measures-map, contract E1) — x = people reached, y =
// influence days (first to last attributed event), size = accounts reached. The
// medians split the plane into four quadrants: wide / narrow reach × long /
// short influence. A table under the chart lists the same points.
import { useMemo, useState } from 'react';
import { api } from '../../api.js';
import { useI18n } from '../../i18n.jsx';
import { useAsync } from '../../hooks.js';
import { Card, Empty, Loading } from '../../components/common.jsx';
import Chart from '../../components/Chart.jsx';
import LoadError from '../../growth/marketing/Unavailable.jsx';
import { AXIS, SPLIT } from '../../growth/marketing/charts.js';
import { num } from '../../growth/marketing/util.js';
import '../../growth/marketing/marketing.css';

function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return 0;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export default function MeasuresMap() {
  const { t, tOr, lang } = useI18n();
  const res = useAsync(() => api.get('/api/campaigns/measures-map'), []);
  const [kind, setKind] = useState('');
  const all = (res.data && res.data.items) || [];
  const items = kind ? all.filter((i) => i.kind === kind) : all;

  const view = useMemo(() => {
    const xs = items.map((i) => Number(i.reach) || 0);
    const ys = items.map((i) => Number(i.influence_days) || 0);
    const mx = median(xs);
    const my = median(ys);
    const quad = (i) => `${(Number(i.reach) || 0) > mx ? 'wide' : 'narrow'}_${(Number(i.influence_days) || 0) > my ? 'long' : 'short'}`;
    const maxAcc = Math.max(1, ...items.map((i) => Number(i.accounts) || 0));
    const size = (a) => 10 + 36 * Math.sqrt((Number(a) || 0) / maxAcc);
    const series = ['campaign', 'content'].map((k) => ({
      type: 'scatter',
      name: t(`mk.map.kind.${k}`),
      data: items.filter((i) => i.kind === k).map((i) => ({ value: [Number(i.reach) || 0, Number(i.influence_days) || 0, Number(i.accounts) || 0], name: i.name, item: i })),
      symbolSize: (v) => size(v[2]),
      itemStyle: { opacity: 0.8 },
      label: { show: items.length <= 24, formatter: (p) => p.name, position: 'right', fontSize: 11, color: '#3b4452' },
    }));
    const xMax = Math.max(1, ...xs) * 1.1;
    const yMax = Math.max(1, ...ys) * 1.1;
    series[0].markLine = {
      silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#adb5bd' }, label: { show: false },
      data: [{ xAxis: mx }, { yAxis: my }],
    };
    const area = (x0, x1, y0, y1, label, pos) => [
      { xAxis: x0, yAxis: y0, name: label, label: { position: pos, color: '#868e96', fontSize: 12 } }, { xAxis: x1, yAxis: y1 },
    ];
    series[0].markArea = {
      silent: true, itemStyle: { color: 'rgba(0,0,0,0)' },
      data: [
        area(mx, xMax, my, yMax, t('mk.map.q.wide_long'), 'insideTopRight'),
        area(0, mx, my, yMax, t('mk.map.q.narrow_long'), 'insideTopLeft'),
        area(mx, xMax, 0, my, t('mk.map.q.wide_short'), 'insideBottomRight'),
        area(0, mx, 0, my, t('mk.map.q.narrow_short'), 'insideBottomLeft'),
      ],
    };
    return {
      quad,
      mx,
      my,
      option: {
        grid: { left: 60, right: 40, top: 40, bottom: 50 },
        legend: { top: 0 },
        tooltip: {
          trigger: 'item',
          formatter: (p) => (p.data && p.data.item ? `${p.data.name}<br/>${t('mk.map.reach')}: ${p.value[0]}<br/>${t('mk.map.days')}: ${p.value[1]}<br/>${t('mk.map.accounts')}: ${p.value[2]}` : ''),
        },
        xAxis: { type: 'value', name: t('mk.map.reach'), nameLocation: 'middle', nameGap: 28, min: 0, max: Math.ceil(xMax), axisLabel: AXIS, splitLine: SPLIT },
        yAxis: { type: 'value', name: t('mk.map.days'), nameLocation: 'middle', nameGap: 40, min: 0, max: Math.ceil(yMax), axisLabel: AXIS, splitLine: SPLIT },
        series,
      },
    };
  }, [items, t]);

  const link = (i) => (i.kind === 'campaign' ? `#/campaigns/${i.id}` : `#/content?id=${i.id}`);
  return (
    <div className="page" data-testid="measures-map-page">
      <div className="page-head">
        <div>
          <h1>{t('mk.map.title')}</h1>
          <p className="muted">{t('mk.map.subtitle')}</p>
        </div>
        <div className="segmented" role="tablist">
          {['', 'campaign', 'content'].map((k) => (
            <button key={k || 'all'} type="button" className={kind === k ? 'active' : ''} onClick={() => setKind(k)} data-testid={`map-kind-${k || 'all'}`}>
              {k ? t(`mk.map.kind.${k}`) : t('rec.all')}
            </button>
          ))}
        </div>
      </div>
      <LoadError error={res.error} onRetry={res.reload} endpoint="/api/campaigns/measures-map" />
      {res.loading && !res.data && <Loading />}
      {res.data && (
        <>
          <Card testId="map-card">
            {items.length ? <Chart option={view.option} height={480} testId="map-chart" /> : <Empty>{t('mk.map.empty')}</Empty>}
            <p className="muted small">{t('mk.map.help', { x: num(lang, view.mx, 1), y: num(lang, view.my, 1) })}</p>
          </Card>
          {items.length > 0 && (
            <Card title={t('mk.map.table')} testId="map-table">
              <div className="table-wrap">
                <table className="table">
                  <thead><tr><th>{t('mk.map.name')}</th><th>{t('mk.map.kind')}</th><th className="num">{t('mk.map.reach')}</th><th className="num">{t('mk.map.accounts')}</th><th className="num">{t('mk.map.days')}</th><th>{t('mk.map.quadrant')}</th></tr></thead>
                  <tbody>
                    {[...items].sort((a, b) => (b.reach || 0) - (a.reach || 0)).map((i) => (
                      <tr key={`${i.kind}-${i.id}`} data-testid="map-row" data-quadrant={view.quad(i)}>
                        <td><a href={link(i)}>{i.name}</a>{i.type ? <span className="muted small"> · {tOr(`choice.campaigns.type.${i.type}`, tOr(`choice.content_items.kind.${i.type}`, i.type))}</span> : null}</td>
                        <td>{t(`mk.map.kind.${i.kind}`)}</td>
                        <td className="num">{num(lang, i.reach)}</td>
                        <td className="num">{num(lang, i.accounts)}</td>
                        <td className="num">{num(lang, i.influence_days)}</td>
                        <td>{t(`mk.map.q.${view.quad(i)}`)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          )}
        </>
      )}
    </div>
  );
}
