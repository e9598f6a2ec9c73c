// The parts of an account's health score (the explanation of the health query,
// docs/analytics/health.md): activity, seats, breadth, recency, roles, each as a
// chip with its score (0–1 shown as %) and value ("5/10"); a part scoring below
// 0.5 is red. Props: parts — the health row's "parts" object
// ({activity:{value, of?, score, weight, missing?}, …}); an array of
// {name, score, value, of} is accepted too.
import { useI18n } from '../../i18n.jsx';
import './success.css';

function entries(parts) {
  if (Array.isArray(parts)) return parts.map((p) => [p.name || p.key || p.part || '', p]);
  if (parts && typeof parts === 'object') return Object.entries(parts);
  return [];
}

export default function HealthParts({ parts }) {
  const { tOr } = useI18n();
  const list = entries(parts);
  if (list.length === 0) return <span className="muted">–</span>;
  return (
    <div className="sc-parts" data-testid="health-parts">
      {list.map(([name, p]) => {
        const score = p && typeof p.score === 'number' ? p.score : null;
        const cls = score === null ? '' : score < 0.5 ? ' sc-neg' : score >= 0.8 ? ' sc-pos' : '';
        let value = '';
        if (p && p.value !== undefined && p.value !== null && typeof p.value !== 'object') {
          value = p.of !== undefined ? `${p.value}/${p.of}` : String(Math.round(Number(p.value) * 100) / 100);
        }
        const missing = p && Array.isArray(p.missing) && p.missing.length ? ` −${p.missing.map((r) => tOr(`prole.${r}`, r)).join('、')}` : '';
        return (
          <span key={name} className={`sc-part${cls}`} data-testid="health-part" data-part={name}>
            {tOr(`health.part.${name}`, name)}
            {score !== null ? ` ${Math.round(score * 100)}%` : ''}
            {value ? ` (${value})` : ''}
            {missing}
          </span>
        );
      })}
    </div>
  );
}
