// Property filters as edited in the builders ({source, property, op, value as
// typed text}) and as sent in specs (docs/http_api.md "Queries": value is a
// number for gt/gte/lt/lte, an array for in/not_in, absent for is_set/is_not_set).

export const SOURCES = ['event', 'person', 'account'];
// Filters and breakdowns may also name a saved cohort (docs/analytics/cohorts.md):
// filter {source: "cohort", cohort: ID, op: "in" | "not_in"}, breakdown {source: "cohort", cohort: ID}.
export const FILTER_SOURCES = [...SOURCES, 'cohort'];
export const COHORT_OPS = ['in', 'not_in'];
export const OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'];
export const NO_VALUE_OPS = new Set(['is_set', 'is_not_set']);
export const LIST_OPS = new Set(['in', 'not_in']);
export const NUM_OPS = new Set(['gt', 'gte', 'lt', 'lte']);

// "42" -> 42, "true" -> true, anything else stays text.
export function parseScalar(s) {
  const v = String(s).trim();
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v === 'true') return true;
  if (v === 'false') return false;
  return v;
}

export function newFilter(source = 'event') {
  if (source === 'cohort') return { source, cohort: '', property: '', op: 'in', value: '' };
  return { source, property: '', op: 'eq', value: '' };
}

// A builder filter -> a spec filter, or null while its property is not chosen.
export function filterToSpec(f) {
  if (f && f.source === 'cohort') {
    if (f.cohort === '' || f.cohort === undefined || f.cohort === null) return null;
    return { source: 'cohort', cohort: Number(f.cohort), op: f.op === 'not_in' ? 'not_in' : 'in' };
  }
  if (!f || !f.property) return null;
  const out = { source: f.source, property: f.property, op: f.op };
  if (NO_VALUE_OPS.has(f.op)) return out;
  if (LIST_OPS.has(f.op)) {
    out.value = String(f.value).split(',').map((x) => x.trim()).filter((x) => x !== '').map(parseScalar);
  } else if (NUM_OPS.has(f.op)) {
    out.value = f.value === '' ? f.value : Number(f.value);
  } else {
    out.value = parseScalar(f.value);
  }
  return out;
}

export function filtersToSpec(list) {
  return (list || []).map(filterToSpec).filter(Boolean);
}

// A spec filter -> a builder filter (for specs opened from a dashboard).
export function filterFromSpec(f) {
  if (f.source === 'cohort') {
    const neg = ['not_in', 'neq', 'is_not_set'].includes(f.op);
    return { source: 'cohort', cohort: f.cohort === undefined ? '' : String(f.cohort), property: '', op: neg ? 'not_in' : 'in', value: '' };
  }
  const v = f.value;
  return {
    source: f.source || 'event',
    property: f.property || '',
    op: f.op || 'eq',
    value: v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v),
  };
}

export function filtersFromSpec(list) {
  return Array.isArray(list) ? list.map(filterFromSpec) : [];
}

// breakdown in a spec: "industry" (event property) or {source, property}.
export function refFromSpec(ref) {
  if (!ref) return { source: '', property: '' };
  if (typeof ref === 'string') return { source: 'event', property: ref };
  if (ref.source === 'cohort') return { source: 'cohort', property: '', cohort: ref.cohort === undefined ? '' : String(ref.cohort) };
  return { source: ref.source || 'event', property: ref.property || '' };
}

export function refToSpec(ref) {
  if (ref && ref.source === 'cohort') {
    return ref.cohort === '' || ref.cohort === undefined ? undefined : { source: 'cohort', cohort: Number(ref.cohort) };
  }
  if (!ref || !ref.source || !ref.property) return undefined;
  return { source: ref.source, property: ref.property };
}

// True when a server error names this field path or a member below it.
export function errorMatches(error, field, prefix = true) {
  if (!error || !error.field) return false;
  if (error.field === field) return true;
  return prefix && (error.field.startsWith(`${field}.`) || error.field.startsWith(`${field}[`));
}
