// Shared formatting of record values for tables, forms and pages: labels of
// fields and choices (from messages_sales.js / messages_pipeline.js, with the
// raw name as the fallback), values by field type, days until a date, and
// wall-clock times in the project time zone for <input type="datetime-local">.
//
// Label keys (add them to the messages file of the page that shows them):
//   field.<resource>.<field>   then   field.<field>          → field label
//   choice.<resource>.<field>.<value>  then  choice.<field>.<value>  → enum value
//   prole.<role>  → decision role (messages_analytics.js)
import { fmtNum, fmtTime } from '../format.js';

export function fieldLabel(tOr, resource, name) {
  return tOr(`field.${resource}.${name}`, tOr(`field.${name}`, name));
}

export function choiceLabel(tOr, resource, field, value) {
  if (value === null || value === undefined || value === '') return '–';
  return tOr(`choice.${resource}.${field}.${value}`, tOr(`choice.${field}.${value}`, String(value)));
}

export function roleLabel(tOr, role) {
  if (role === null || role === undefined || role === '') return tOr('rec.noRole', '–');
  return tOr(`prole.${role}`, String(role));
}

// Display name of a record: its display field, else name/title, else #id.
export function recordName(resource, record) {
  if (!record) return '';
  const f = resource && resource.display_field;
  const v = (f && record[f]) || record.name || record.title;
  return v !== undefined && v !== null && v !== '' ? String(v) : `#${record.id}`;
}

// Today (YYYY-MM-DD) in a time zone.
export function todayIn(tz) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: tz || undefined, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

// Whole days from today (in tz) to a YYYY-MM-DD date; negative when past.
export function daysUntil(date, tz) {
  if (!date || typeof date !== 'string' || date.length < 10) return null;
  const a = Date.UTC(+todayIn(tz).slice(0, 4), +todayIn(tz).slice(5, 7) - 1, +todayIn(tz).slice(8, 10));
  const b = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
  if (Number.isNaN(b)) return null;
  return Math.round((b - a) / 86400000);
}

// Offset (ms) of a time zone at a UTC instant: wall clock minus UTC.
function tzOffset(tz, ms) {
  try {
    const p = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(ms));
    const g = (t) => +p.find((x) => x.type === t).value;
    return Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - Math.floor(ms / 1000) * 1000;
  } catch {
    return -new Date(ms).getTimezoneOffset() * 60000;
  }
}

// ISO UTC → "YYYY-MM-DDTHH:MM" as the wall clock in tz (for datetime-local).
export function isoToLocalInput(iso, tz) {
  if (!iso) return '';
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + (tz ? tzOffset(tz, ms) : -new Date(ms).getTimezoneOffset() * 60000));
  return d.toISOString().slice(0, 16);
}

// "YYYY-MM-DDTHH:MM" wall clock in tz → ISO UTC ("" stays "").
export function localInputToIso(text, tz) {
  if (!text) return '';
  const wall = Date.parse(`${text.length === 16 ? `${text}:00` : text}Z`);
  if (Number.isNaN(wall)) return text;
  if (!tz) return new Date(text).toISOString();
  // Two passes settle the offset across a DST change.
  let ms = wall - tzOffset(tz, wall);
  ms = wall - tzOffset(tz, ms);
  return new Date(ms).toISOString();
}

// A value as text for a table cell (references show their "<field>_name").
export function formatValue({ lang, tz, tOr, resource, field, record }) {
  const v = record ? record[field.name] : undefined;
  if (v === null || v === undefined || v === '') return '–';
  switch (field.type) {
    case 'integer':
    case 'number':
      return fmtNum(lang, v);
    case 'time':
      return fmtTime(lang, v, tz);
    case 'date':
      return String(v);
    case 'bool':
      return v ? tOr('rec.yes', 'yes') : tOr('rec.no', 'no');
    case 'enum':
      return choiceLabel(tOr, resource, field.name, v);
    case 'enum_list':
      return (v || []).map((x) => choiceLabel(tOr, resource, field.name, x)).join(', ') || '–';
    case 'reference':
      return (record && record[`${field.name.replace(/_id$/, '')}_name`]) || record[`${field.name}_name`] || `#${v}`;
    case 'reference_list': {
      const names = record && (record[`${field.name}_names`] || record[`${field.name.replace(/_ids$/, '')}_names`]);
      if (Array.isArray(names) && names.length) return names.join(', ');
      return (v || []).map((x) => `#${x}`).join(', ');
    }
    case 'text_list':
      return (v || []).join(', ') || '–';
    case 'object_list':
      return (v || []).map((o) => o.name || o.role || o.step || o.member || '').filter(Boolean).join(', ') || String((v || []).length);
    case 'object':
      return Object.keys(v).length ? JSON.stringify(v) : '–';
    default:
      if (field.name === 'role') return tOr(`prole.${v}`, String(v));
      return String(v);
  }
}
