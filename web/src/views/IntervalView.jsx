// Renders an interval answer (docs/analytics/interval.md): the histogram of
// durations between the from- and to-event (buckets from_ms ≤ d < to_ms),
// the average and percentiles.
import { useI18n } from '../i18n.jsx';
import { fmtDuration, fmtNum } from '../format.js';
import { Empty } from '../components/common.jsx';
import HistogramView from './HistogramView.jsx';

const PCTS = ['p25', 'p50', 'p75', 'p90', 'p99'];
const AXIS = { axisLabel: { rotate: 30 } };

export default function IntervalView({ result, compact }) {
  const { t, lang } = useI18n();
  if (!result || !result.pairs) return <Empty>{t('interval.none')}</Empty>;
  const p = result.percentiles || {};
  return (
    <HistogramView
      testId="interval"
      compact={compact}
      histogram={result.histogram || []}
      axisLabel={(b) => fmtDuration(lang, b.from_ms)}
      rowLabel={(b) => `${fmtDuration(lang, b.from_ms)} – ${fmtDuration(lang, b.to_ms)}`}
      bucketHeader={t('interval.bucket')}
      countHeader={t('interval.count')}
      color="#12a37f"
      xAxis={AXIS}
      bottom={56}
      stats={[
        [t('interval.pairs'), fmtNum(lang, result.pairs), 'pairs'],
        [t('interval.entities'), fmtNum(lang, result.entities)],
        [t('interval.average'), fmtDuration(lang, result.average_ms)],
        ...PCTS.map((k) => [k.toUpperCase(), fmtDuration(lang, p[`${k}_ms`])]),
        [t('interval.min'), fmtDuration(lang, result.min_ms)],
        [t('interval.max'), fmtDuration(lang, result.max_ms)],
      ]}
    />
  );
}
