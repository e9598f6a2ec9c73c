// Which view renders an answer of each kind, and which page edits its spec.
// The dashboards page renders every saved chart through this table.
import TrendView from './TrendView.jsx';
import FunnelView from './FunnelView.jsx';
import RetentionView from './RetentionView.jsx';
import PathsView from './PathsView.jsx';
import { LifecycleView, StickinessView } from './LifecycleView.jsx';
import HealthView from './HealthView.jsx';
import CoverageView from './CoverageView.jsx';
import AttributionView from './AttributionView.jsx';
import DistributionView from './DistributionView.jsx';
import IntervalView from './IntervalView.jsx';

export const KINDS = {
  trend: { view: TrendView, route: '/trends', label: 'nav.trends' },
  funnel: { view: FunnelView, route: '/funnel', label: 'nav.funnel' },
  retention: { view: RetentionView, route: '/retention', label: 'nav.retention' },
  paths: { view: PathsView, route: '/paths', label: 'nav.paths' },
  lifecycle: { view: LifecycleView, route: '/lifecycle', label: 'nav.lifecycle' },
  stickiness: { view: StickinessView, route: '/lifecycle', label: 'stickiness.title' },
  health: { view: HealthView, route: '/health', label: 'nav.health' },
  coverage: { view: CoverageView, route: '/coverage', label: 'nav.coverage' },
  attribution: { view: AttributionView, route: '/attribution', label: 'nav.attribution' },
  distribution: { view: DistributionView, route: '/distribution', label: 'nav.distribution' },
  interval: { view: IntervalView, route: '/interval', label: 'nav.interval' },
};
