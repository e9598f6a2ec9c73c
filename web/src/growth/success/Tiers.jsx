// Partner tiers by points earned in the last 12 months (contract E4):
// bronze < 500 ≤ silver < 2000 ≤ gold < 5000 ≤ platinum. The server computes the
// tier; TIER_FLOOR is only used to draw the progress toward the next one when the
// answer has no "progress". rankRow reads a row of GET /api/partners/ranking.
import { useI18n } from '../../i18n.jsx';
import './success.css';

export const TIER_FLOOR = { bronze: 0, silver: 500, gold: 2000, platinum: 5000 };

export function TierBadge({ tier }) {
  const { tOr } = useI18n();
  if (!tier) return <span className="muted">–</span>;
  return <span className={`sc-tier sc-tier-${tier}`} data-testid="tier" data-tier={tier}>{tOr(`partners.tier.${tier}`, tier)}</span>;
}

// Share (0–100) of the way from the current tier's floor to the next tier's.
export function tierProgress(tier, nextTier, earned) {
  if (!nextTier) return 100;
  const lo = TIER_FLOOR[tier] ?? 0;
  const hi = TIER_FLOOR[nextTier];
  if (hi === undefined || hi <= lo) return 0;
  return Math.max(0, Math.min(100, (100 * (Number(earned) - lo)) / (hi - lo)));
}

// The members of a ranking row, read leniently (the route is new).
export function rankRow(r) {
  return {
    id: r.partner_id ?? r.id,
    name: r.name ?? r.partner_name,
    rank: r.priority_rank ?? r.rank,
    earned: r.points_12m ?? r.earned_12m ?? r.earned ?? r.points,
    progress: typeof r.progress === 'number' ? r.progress : null,
    balance: r.balance,
    tier: r.tier,
    next: r.next_tier ?? null,
    toGo: r.points_to_next ?? r.points_to_go ?? r.to_next ?? null,
    certification: r.certification,
    kind: r.kind,
    region: r.region,
  };
}
