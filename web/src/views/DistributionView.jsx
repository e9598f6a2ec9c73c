// Renders a distribution answer (docs/analytics/distribution.md): the
// histogram of per-entity event counts (buckets from ≤ count < to; one per
// count up to 9, then 1-2-5 widths) and the summary statistics.
import { useI18n } from '../i18n.jsx';
import { fmtNum } from '../format.js';
import { Empty } from '../components/common.jsx';
import HistogramView from './HistogramView.jsx';

export function countBucketLabel(b) {
  return b.to - b.from <= 1 ? String(b.from) : `${b.from}–${b.to - 1}`;
}

const round2 = (x) => Math.round((Number(x) || 0) * 100) / 100;
const AXIS = { nameLocation: 'middle', nameGap: 28 };

export default function DistributionView({ result, compact }) {
  const { t, lang } = useI18n();
  if (!result || !result.entities) return <Empty>{t('distribution.none')}</Empty>;
  return (
    <HistogramView
      testId="distribution"
      compact={compact}
      histogram={result.histogram || []}
      axisLabel={countBucketLabel}
      rowLabel={countBucketLabel}
      bucketHeader={t('distribution.bucket')}
      countHeader={t('distribution.entities')}
      color="#1f6feb"
      xAxis={{ ...AXIS, name: t('distribution.bucket') }}
      bottom={40}
      stats={[
        [t('distribution.entities'), fmtNum(lang, result.entities), 'entities'],
        [t('distribution.events'), fmtNum(lang, result.events)],
        [t('distribution.average'), fmtNum(lang, round2(result.average))],
        [t('distribution.median'), fmtNum(lang, round2(result.median))],
        [t('distribution.p90'), fmtNum(lang, round2(result.p90))],
        [t('distribution.min'), fmtNum(lang, result.min)],
        [t('distribution.max'), fmtNum(lang, result.max)],
      ]}
    />
  );
}
