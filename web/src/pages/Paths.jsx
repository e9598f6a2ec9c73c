// Path analysis (#/paths): what entities do after (or before) an anchor event.
// Anchor, direction, depth 2–8, node grouping (event name or a property),
// collapse repeats, top K paths, excluded events, range.
import { useMemo } from 'react';
import { useI18n } from '../i18n.jsx';
import AnalysisPage, { useBuilderState, useRunner } from '../components/AnalysisPage.jsx';
import {
  AggregateSelect, BuilderActions, EventSelect, Field, FieldError, FilterList, PropertyRefPicker, RangePicker,
} from '../components/query.jsx';
import { filtersFromSpec, filtersToSpec, refFromSpec, refToSpec } from '../lib/filters.js';
import PathsView from '../views/PathsView.jsx';

function defaults() {
  return {
    event: 'trial_started', direction: 'forward', depth: 4, group_by: { source: '', property: '' },
    collapse_repeats: true, top: 10, paths_limit: 20, exclude: ['$pageview', '$identify', '$group'], aggregate_by: 'person',
    range: { last: '90d' }, filters: [],
  };
}

export function pathsFormToSpec(f) {
  const spec = {
    kind: 'paths',
    event: f.event,
    direction: f.direction,
    depth: Number(f.depth),
    collapse_repeats: f.collapse_repeats,
    top: Number(f.top),
    paths_limit: Number(f.paths_limit),
    aggregate_by: f.aggregate_by,
    range: f.range,
  };
  const gb = refToSpec(f.group_by);
  if (gb) spec.group_by = gb;
  // The server refuses to exclude the anchor itself (no path could start).
  const exclude = f.exclude.filter((e) => e !== f.event);
  if (exclude.length) spec.exclude_events = exclude;
  const fl = filtersToSpec(f.filters);
  if (fl.length) spec.filters = fl;
  return spec;
}

export function pathsFormFromSpec(spec) {
  const d = defaults();
  return {
    event: spec.event || d.event,
    direction: spec.direction || d.direction,
    depth: spec.depth || d.depth,
    group_by: spec.group_by && spec.group_by !== '$event' ? refFromSpec(spec.group_by) : { source: '', property: '' },
    collapse_repeats: spec.collapse_repeats !== undefined ? !!spec.collapse_repeats : d.collapse_repeats,
    top: spec.top || d.top,
    paths_limit: spec.paths_limit || d.paths_limit,
    exclude: Array.isArray(spec.exclude_events) ? spec.exclude_events : [],
    aggregate_by: spec.aggregate_by || d.aggregate_by,
    range: spec.range || d.range,
    filters: filtersFromSpec(spec.filters),
  };
}

export function pathsTitle(spec, t) {
  const event = spec.event === '$any' ? t('retention.anyEvent') : spec.event;
  return t(spec.direction === 'backward' ? 'paths.titleBefore' : 'paths.titleAfter', { event });
}

export default function Paths() {
  const { t } = useI18n();
  const [f, setF, handed] = useBuilderState(['paths'], defaults, pathsFormFromSpec);
  const runner = useRunner(handed);
  const set = (k, v) => setF((o) => ({ ...o, [k]: v }));
  const spec = useMemo(() => pathsFormToSpec(f), [f]);
  const err = runner.error;

  const run = (e) => {
    e.preventDefault();
    runner.run(spec);
  };

  const builder = (
    <form className="builder" onSubmit={run} data-testid="paths-form">
      <div className="builder-grid">
        <Field label={t('paths.anchor')} error={err} field="event">
          <EventSelect value={f.event} onChange={(v) => set('event', v)} special={[{ value: '$any', label: t('retention.anyEvent') }]} testId="paths-event" />
        </Field>
        <Field label={t('paths.direction')} error={err} field="direction">
          <div className="segmented" role="group">
            {['forward', 'backward'].map((d) => (
              <button key={d} type="button" className={f.direction === d ? 'active' : ''} onClick={() => set('direction', d)} data-testid={`paths-direction-${d}`}>
                {t(`paths.direction.${d}`)}
              </button>
            ))}
          </div>
        </Field>
        <Field label={t('paths.depth')} error={err} field="depth">
          <select className="input" value={f.depth} onChange={(e) => set('depth', Number(e.target.value))} data-testid="paths-depth">
            {[2, 3, 4, 5, 6, 7, 8].map((n) => <option key={n} value={n}>{t('paths.depthN', { n })}</option>)}
          </select>
        </Field>
        <Field label={t('paths.top')} error={err} field="top">
          <input className="input" type="number" min={1} max={100} value={f.top} onChange={(e) => set('top', e.target.value)} data-testid="paths-top" title={t('paths.topHelp')} />
        </Field>
        <Field label={t('paths.pathsLimit')} error={err} field="paths_limit">
          <input className="input" type="number" min={1} max={1000} value={f.paths_limit} onChange={(e) => set('paths_limit', e.target.value)} data-testid="paths-limit" />
        </Field>
        <Field label={t('q.aggregateBy')} error={err} field="aggregate_by">
          <AggregateSelect value={f.aggregate_by} onChange={(v) => set('aggregate_by', v)} testId="paths-aggregate" />
        </Field>
        <Field label={t('trend.range')} error={err} field="range">
          <RangePicker value={f.range} onChange={(v) => set('range', v)} testId="paths-range" />
        </Field>
        <Field label={t('paths.groupBy')} error={err} field="group_by" className="span-2">
          <PropertyRefPicker value={f.group_by} onChange={(v) => set('group_by', v)} noneLabel={t('paths.groupByEvent')} sources={['event']} testId="paths-group" />
        </Field>
        <div className="field">
          <span>{t('paths.options')}</span>
          <label className="check">
            <input type="checkbox" checked={f.collapse_repeats} onChange={(e) => set('collapse_repeats', e.target.checked)} data-testid="paths-collapse" />
            <span>{t('paths.collapse')}</span>
          </label>
        </div>
      </div>
      <div className="builder-section">
        <div className="section-label">{t('paths.exclude')}</div>
        <div className="inline wrap">
          {f.exclude.map((ev) => (
            <span key={ev} className="chip chip-removable">
              {ev}
              <button type="button" onClick={() => set('exclude', f.exclude.filter((x) => x !== ev))} aria-label={t('q.remove')}>✕</button>
            </span>
          ))}
          <EventSelect
            value=""
            onChange={(v) => { if (v && !f.exclude.includes(v)) set('exclude', [...f.exclude, v]); }}
            placeholder={t('paths.addExclude')}
            testId="paths-exclude"
          />
        </div>
        <FieldError error={err} field="exclude_events" />
      </div>
      <div className="builder-section">
        <div className="section-label">{t('q.globalFilters')}</div>
        <FilterList value={f.filters} onChange={(v) => set('filters', v)} error={err} field="filters" />
      </div>
      <BuilderActions running={runner.running} spec={spec} testIdPrefix="paths" disabled={!f.event} />
    </form>
  );

  return (
    <AnalysisPage
      title={t('paths.title')}
      subtitle={t('paths.subtitle')}
      builder={builder}
      runner={runner}
      hint={t('paths.hint')}
      resultTitle={t('paths.result')}
      saveTitle={runner.spec ? pathsTitle(runner.spec, t) : ''}
      testId="paths-page"
    >
      <PathsView spec={runner.spec} result={runner.result} />
    </AnalysisPage>
  );
}
