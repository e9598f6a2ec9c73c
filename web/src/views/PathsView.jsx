// Renders a paths answer (docs/analytics/paths.md): a Sankey diagram of the
// nodes ("<step>:<name>") and links, and the table of the most frequent paths.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import { fmtNum, fmtPct } from '../format.js';
import Chart, { PALETTE } from '../components/Chart.jsx';
import { Empty } from '../components/common.jsx';
import { escapeHtml } from '../lib/chartStyle.js';

// Pseudo nodes the server may emit for "path ended" and "everything else".
export function pathNodeName(t, name) {
  if (name === null || name === undefined) return t('q.nullValue');
  if (name === '$end' || name === '$exit') return t('paths.end');
  if (name === '$other' || name === '$others') return t('paths.other');
  if (name === '$start') return t('paths.start');
  return String(name);
}

export default function PathsView({ spec, result, compact }) {
  const { t, lang } = useI18n();
  const nodes = (result && result.nodes) || [];
  const links = (result && result.links) || [];
  const paths = (result && result.paths) || [];
  const backward = (result && result.direction === 'backward') || (spec && spec.direction === 'backward');
  // Share of the entities that did the anchor (the answer's "entities"; else the anchor nodes).
  const anchorTotal = (result && typeof result.entities === 'number' && result.entities)
    || nodes.filter((n) => n.step === 0).reduce((s, n) => s + (n.count || 0), 0);

  const option = useMemo(() => {
    const colorOf = new Map();
    for (const n of nodes) {
      if (!colorOf.has(n.name)) colorOf.set(n.name, PALETTE[colorOf.size % PALETTE.length]);
    }
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const maxDepth = Math.max(0, ...nodes.map((n) => Math.abs(Number(n.step) || 0)));
    return {
      animationDuration: 500,
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          if (p.dataType === 'edge') {
            const a = byId.get(p.data.source);
            const b = byId.get(p.data.target);
            return `${escapeHtml(pathNodeName(t, a ? a.name : p.data.source))} → ${escapeHtml(pathNodeName(t, b ? b.name : p.data.target))}<br/>${fmtNum(lang, p.data.value)}`;
          }
          const n = byId.get(p.name) || {};
          return `<b>${escapeHtml(pathNodeName(t, n.name))}</b><br/>${t('paths.stepN', { n: n.step })}: ${fmtNum(lang, n.count)}`;
        },
      },
      series: [{
        type: 'sankey',
        left: 10,
        right: 20,
        top: 10,
        bottom: 10,
        nodeAlign: backward ? 'right' : 'left',
        nodeGap: 10,
        layoutIterations: 32,
        emphasis: { focus: 'adjacency' },
        draggable: false,
        // Labels of the last column go inside, to the left, so they are never cut off.
        levels: [{ depth: maxDepth, label: { position: 'left' } }],
        data: nodes.map((n) => ({
          name: n.id,
          value: n.count,
          itemStyle: { color: colorOf.get(n.name), borderColor: colorOf.get(n.name) },
          label: { formatter: () => `${pathNodeName(t, n.name)}  ${fmtNum(lang, n.count)}` },
        })),
        links: links.filter((l) => byId.has(l.source) && byId.has(l.target)).map((l) => ({ source: l.source, target: l.target, value: l.count })),
        lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.3 },
        label: { color: '#1c2430', fontSize: 12 },
      }],
    };
  }, [nodes, links, backward, lang, t]);

  if (!nodes.length) return <Empty>{t('paths.none')}</Empty>;
  const height = Math.max(compact ? 260 : 360, Math.min(900, 26 * Math.max(...Object.values(nodes.reduce((m, n) => ({ ...m, [n.step]: (m[n.step] || 0) + 1 }), {})))));

  return (
    <div className="view-stack">
      <Chart option={option} height={height} testId="paths-sankey" />
      {!compact && (
        <div>
          <h3 className="subhead">{t('paths.topPaths')}</h3>
          {paths.length === 0 ? <Empty /> : (
            <div className="table-wrap">
              <table className="table" data-testid="paths-table">
                <thead>
                  <tr>
                    <th className="num">#</th>
                    <th>{t('paths.path')}</th>
                    <th className="num">{t('paths.count')}</th>
                    {anchorTotal > 0 && <th className="num">{t('paths.share')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {paths.map((p, i) => (
                    <tr key={i}>
                      <td className="num muted">{i + 1}</td>
                      <td>
                        <div className="path-chips">
                          {(p.steps || []).map((s, j) => (
                            <span key={j} className="path-step">
                              {j > 0 && <span className="path-arrow" aria-hidden="true">→</span>}
                              <span className="chip">{pathNodeName(t, s)}</span>
                            </span>
                          ))}
                        </div>
                      </td>
                      <td className="num">{fmtNum(lang, p.count)}</td>
                      {anchorTotal > 0 && <td className="num">{fmtPct(lang, p.count / anchorTotal)}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
