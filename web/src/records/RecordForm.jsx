// RecordForm: create or edit one record of a resource, every field type, driven
// by GET /api/records/schema. Create → POST /api/<resource> (the non-empty
// fields); edit → PATCH /api/<resource>/<id> with only the fields changed (an
// edit marks tracked fields as manual, so untouched fields must not be sent).
// The server's error.field ("name", "attendees[1].role") is shown beside that
// field, or inside that row of an object list.
//
// Props (all but `resource` optional):
//   resource    "visits" — the resource name.
//   record      the record being edited (API form); absent/null = create.
//   initial     {field: value} starting values of a create (API form).
//   fields      [names] shown, in order (default: every field not read_only).
//   hidden      [names] not shown but kept (e.g. account_id fixed by the page).
//   editors     {field: (props) => node} custom editors; props = {field, value,
//               onChange(v), values, setValue(name, v), invalid, testId}. `value`
//               is the editor form (see toInput).
//   refParams   (path, values) → extra list filters for a reference picker; path is
//               "account_id" or "attendees.contact_id" (e.g. only the contacts of
//               the chosen account).
//   onSaved     (record) → void after a successful save.
//   onCancel    () → void; shows a cancel button.
//   onRelease   (fields) → Promise, for resources that track manual edits: shows a
//               "follow events again" button beside each manual field.
//   submitLabel text of the save button; `columns` grid columns (default auto).
//   tz          project time zone (time fields are edited as its wall clock).
//   testId      data-testid prefix (default "<resource>-form"): <p>, <p>-field-<name>,
//               <p>-<name> (the input), <p>-submit, <p>-cancel, <p>-error.
// In an object list the row inputs are <p>-<list>-<i>-<sub>, add is <p>-<list>-add.
import { useMemo, useState } from 'react';
import { request } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { Badge, ErrorBox, Loading } from '../components/common.jsx';
import { useResource } from './useSchema.js';
import { RefListPicker, RefPicker } from './RefPicker.jsx';
import { choiceLabel, fieldLabel, isoToLocalInput, localInputToIso, roleLabel } from './recordFormat.js';
import './records.css';

const WIDE = new Set(['long_text', 'object_list', 'text_list', 'enum_list', 'reference_list', 'object']);

// API value → editor value.
export function toInput(field, v, tz) {
  switch (field.type) {
    case 'integer':
    case 'number':
      return v === null || v === undefined ? '' : String(v);
    case 'time':
      return isoToLocalInput(v, tz);
    case 'bool':
      return !!v;
    case 'reference':
      return v === undefined ? null : v;
    case 'enum_list':
    case 'reference_list':
    case 'text_list':
      return Array.isArray(v) ? v : [];
    case 'object_list':
      return (Array.isArray(v) ? v : []).map((item) => itemToInput(field, item, tz));
    case 'object':
      return v || null;
    default:
      return v === null || v === undefined ? '' : String(v);
  }
}

function itemToInput(field, item, tz) {
  const out = { ...item };
  for (const sub of field.item_fields || []) out[sub.name] = toInput(sub, item ? item[sub.name] : undefined, tz);
  return out;
}

// Editor value → API value (null when empty).
export function fromInput(field, v, tz) {
  switch (field.type) {
    case 'integer':
    case 'number': {
      if (v === '' || v === null || v === undefined) return null;
      const n = Number(v);
      return Number.isNaN(n) ? v : n;
    }
    case 'time':
      return v ? localInputToIso(v, tz) : null;
    case 'bool':
      return !!v;
    case 'reference':
      return v || null;
    case 'enum_list':
    case 'reference_list':
    case 'text_list':
      return Array.isArray(v) ? v : [];
    case 'object_list':
      return (Array.isArray(v) ? v : []).map((item) => {
        const out = {};
        for (const sub of field.item_fields || []) {
          const x = fromInput(sub, item[sub.name], tz);
          if (x !== null && !(Array.isArray(x) && x.length === 0)) out[sub.name] = x;
        }
        return out;
      });
    case 'object':
      return v;
    default: {
      const s = v === null || v === undefined ? '' : String(v);
      return s.trim() === '' ? null : s;
    }
  }
}

function isEmpty(v) {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

// Same value for the purpose of "was it changed" (times compared as instants).
function sameValue(field, a, b) {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (field.type === 'time' && a && b) return Date.parse(a) === Date.parse(b);
  if (field.type === 'bool') return !!a === !!b;
  return JSON.stringify(a) === JSON.stringify(b);
}

// error.field / message → {path: message}. A message listing several fields
// ("a: reason; b[0].c: reason") is split so each shows at its own field.
export function errorsByField(error) {
  const out = {};
  if (!error || !error.field) return out;
  const parts = String(error.message || '').split('; ');
  const re = /^([A-Za-z_][\w]*(?:\[\d+\])?(?:\.[\w]+(?:\[\d+\])?)*): (.*)$/;
  if (parts.length > 1 && parts.every((p) => re.test(p))) {
    for (const p of parts) {
      const m = re.exec(p);
      out[m[1]] = m[2];
    }
  } else {
    out[error.field] = error.message;
  }
  return out;
}

// Chips + an input: Enter or comma adds, ✕ removes.
function TagInput({ value, onChange, testId, invalid, placeholder }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const list = Array.isArray(value) ? value : [];
  const add = () => {
    const items = text.split(/[,，\n]/).map((s) => s.trim()).filter(Boolean).filter((s) => !list.includes(s));
    if (items.length) onChange([...list, ...items]);
    setText('');
  };
  return (
    <div className={invalid ? 'tag-input invalid' : 'tag-input'} data-testid={testId}>
      {list.map((s) => (
        <span className="chip chip-removable" key={s}>
          {s}
          <button type="button" aria-label={t('rec.remove')} onClick={() => onChange(list.filter((x) => x !== s))}>✕</button>
        </span>
      ))}
      <input
        className="input"
        value={text}
        placeholder={placeholder || t('rec.tagPlaceholder')}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') { e.preventDefault(); add(); } else if (e.key === 'Backspace' && !text && list.length) onChange(list.slice(0, -1));
        }}
        onBlur={add}
        data-testid={testId ? `${testId}-input` : undefined}
      />
    </div>
  );
}

// Role fields (contacts.role, attendees[].role, …): the decision roles, or any text kept.
function RoleSelect({ value, onChange, roles, testId, invalid }) {
  const { t, tOr } = useI18n();
  const list = roles.includes(value) || !value ? roles : [...roles, value];
  return (
    <select className={invalid ? 'input invalid' : 'input'} value={value || ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{t('rec.none_')}</option>
      {list.map((r) => <option key={r} value={r}>{roleLabel(tOr, r)}</option>)}
    </select>
  );
}

// One editor for one field (also used for the fields of an object-list row).
function FieldEditor({ resourceName, field, value, onChange, invalid, testId, refParams, path, values, roles, names, onPicked }) {
  const { t, tOr } = useI18n();
  const cls = invalid ? 'input invalid' : 'input';
  const disabled = field.read_only;
  switch (field.type) {
    case 'long_text':
      return <textarea className={cls} rows={4} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
    case 'integer':
    case 'number':
      return <input className={cls} type="number" step={field.type === 'integer' ? 1 : 'any'} min={field.min} max={field.max} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
    case 'date':
      return <input className={cls} type="date" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
    case 'time':
      return <input className={cls} type="datetime-local" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
    case 'enum':
      return (
        <select className={cls} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          {(!field.required || !value) && <option value="">{field.required ? t('rec.choose') : t('rec.none_')}</option>}
          {(field.choices || []).map((c) => <option key={c} value={c}>{choiceLabel(tOr, resourceName, field.name, c)}</option>)}
        </select>
      );
    case 'enum_list':
      return (
        <div className="rec-checks" data-testid={testId}>
          {(field.choices || []).map((c) => (
            <label className="check" key={c}>
              <input type="checkbox" checked={value.includes(c)} disabled={disabled} onChange={(e) => onChange(e.target.checked ? [...value, c] : value.filter((x) => x !== c))} data-testid={`${testId}-${c}`} />
              {choiceLabel(tOr, resourceName, field.name, c)}
            </label>
          ))}
        </div>
      );
    case 'bool':
      return (
        <label className="check">
          <input type="checkbox" checked={!!value} disabled={disabled} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
          {t('rec.yes')}
        </label>
      );
    case 'reference':
      return (
        <RefPicker
          resource={field.references}
          value={value}
          label={names ? names[path] : undefined}
          onChange={(id, rec) => { onChange(id, rec); if (onPicked) onPicked(id, rec); }}
          params={refParams ? refParams(path, values) : undefined}
          testId={testId}
          disabled={disabled}
          allowClear={!field.required}
          invalid={invalid}
        />
      );
    case 'reference_list':
      return <RefListPicker resource={field.references} value={value} names={names ? names[path] : undefined} onChange={onChange} params={refParams ? refParams(path, values) : undefined} testId={testId} disabled={disabled} invalid={invalid} />;
    case 'text_list':
      return <TagInput value={value} onChange={onChange} testId={testId} invalid={invalid} />;
    case 'object':
      return <ObjectView value={value} testId={testId} />;
    default:
      if (field.name === 'role' && roles && roles.length) return <RoleSelect value={value} onChange={onChange} roles={roles} testId={testId} invalid={invalid} />;
      return <input className={cls} value={value} disabled={disabled} maxLength={field.max_bytes && field.max_bytes < 1000 ? field.max_bytes : undefined} onChange={(e) => onChange(e.target.value)} data-testid={testId} />;
  }
}

// Read-only object (e.g. traits from events): key / value rows.
export function ObjectView({ value, testId }) {
  const { t } = useI18n();
  const entries = value && typeof value === 'object' ? Object.entries(value) : [];
  if (!entries.length) return <span className="muted" data-testid={testId}>{t('rec.none_')}</span>;
  return (
    <dl className="rec-kv" data-testid={testId}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v === null ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

// Rows of item fields with add / remove; picking a reference copies the picked
// record's fields of the same name into empty siblings (contact → name, role).
function ObjectListEditor({ resourceName, field, value, onChange, errors, testId, refParams, values, roles, names }) {
  const { t, tOr } = useI18n();
  const items = Array.isArray(value) ? value : [];
  const subs = field.item_fields || [];
  const blank = () => {
    const o = {};
    for (const s of subs) o[s.name] = toInput(s, s.default !== undefined ? s.default : undefined);
    return o;
  };
  const setItem = (i, patch) => onChange(items.map((it, j) => (j === i ? { ...it, ...patch } : it)));
  return (
    <div className="rec-objects" data-testid={testId}>
      {items.length > 0 && (
        <table className="table table-inner rec-objects-table">
          <thead>
            <tr>
              {subs.map((s) => <th key={s.name}>{fieldLabel(tOr, resourceName, `${field.name}.${s.name}`)}{s.required ? ' *' : ''}</th>)}
              <th aria-label={t('rec.actions')} />
            </tr>
          </thead>
          <tbody>
            {items.map((it, i) => (
              <tr key={i} data-testid={`${testId}-row`}>
                {subs.map((s) => {
                  const p = `${field.name}[${i}].${s.name}`;
                  const err = errors[p];
                  return (
                    <td key={s.name}>
                      <FieldEditor
                        resourceName={resourceName}
                        field={s}
                        value={it[s.name]}
                        invalid={!!err}
                        onChange={(v) => setItem(i, { [s.name]: v })}
                        onPicked={(id, rec) => {
                          if (!rec) return;
                          const patch = { [s.name]: id };
                          for (const o of subs) {
                            if (o.name !== s.name && rec[o.name] !== undefined && rec[o.name] !== null && isEmpty(it[o.name])) patch[o.name] = toInput(o, rec[o.name]);
                          }
                          setItem(i, patch);
                        }}
                        testId={`${testId}-${i}-${s.name}`}
                        refParams={refParams}
                        path={`${field.name}.${s.name}`}
                        values={values}
                        roles={roles}
                        names={names ? { [`${field.name}.${s.name}`]: it[`${s.name.replace(/_id$/, '')}_name`] } : undefined}
                      />
                      {err && <small className="field-error" data-testid="field-error" data-field={p}>{err}</small>}
                    </td>
                  );
                })}
                <td>
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange(items.filter((_, j) => j !== i))} aria-label={t('rec.remove')} data-testid={`${testId}-${i}-remove`}>✕</button>
                  {errors[`${field.name}[${i}]`] && <small className="field-error" data-testid="field-error" data-field={`${field.name}[${i}]`}>{errors[`${field.name}[${i}]`]}</small>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="btn btn-small btn-link" onClick={() => onChange([...items, blank()])} data-testid={`${testId}-add`}>
        ＋ {t('rec.addRow')}
      </button>
    </div>
  );
}

export default function RecordForm({
  resource: resourceName, record, initial, fields, hidden = [], editors = {}, refParams, onSaved, onCancel, onRelease,
  submitLabel, columns, tz, testId,
}) {
  const { t, tOr } = useI18n();
  const { resource, roles, loading, error: schemaError, reload } = useResource(resourceName);
  const prefix = testId || `${resourceName}-form`;
  const editing = !!(record && record.id);
  const [values, setValues] = useState(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState(null);
  const [releasing, setReleasing] = useState('');

  // Editor values start from the record (edit) or defaults + initial (create).
  const start = useMemo(() => {
    if (!resource) return null;
    const out = {};
    for (const f of resource.fields) {
      let v = editing ? record[f.name] : undefined;
      if (!editing) v = initial && initial[f.name] !== undefined ? initial[f.name] : f.default;
      out[f.name] = toInput(f, v, tz);
    }
    return out;
  }, [resource, record, initial, editing, tz]); // eslint-disable-line react-hooks/exhaustive-deps
  const vals = values || start;

  // Reference names shown by the pickers: from the record's "<ref>_name" members.
  const names = useMemo(() => {
    const out = {};
    const src = record || initial || {};
    if (resource) {
      for (const f of resource.fields) {
        if (f.type === 'reference') out[f.name] = src[`${f.name.replace(/_id$/, '')}_name`];
        if (f.type === 'reference_list') out[f.name] = src[`${f.name.replace(/_ids$/, '')}_names`];
      }
    }
    return out;
  }, [resource, record, initial]);

  if (schemaError) return <ErrorBox error={schemaError} onRetry={reload} />;
  if (loading || !resource || !vals) return <Loading />;

  const shown = (fields || resource.fields.filter((f) => !f.read_only).map((f) => f.name))
    .filter((n) => !hidden.includes(n))
    .map((n) => resource.fields.find((f) => f.name === n))
    .filter(Boolean);
  const errs = errorsByField(error);
  const manual = editing && Array.isArray(record.manual_fields) ? record.manual_fields : [];
  const setValue = (name, v) => setValues((cur) => ({ ...(cur || start), [name]: v }));

  const body = () => {
    const out = {};
    for (const f of resource.fields) {
      if (f.read_only) continue;
      const v = fromInput(f, vals[f.name], tz);
      if (editing) {
        // Compared with the record's value after the same round trip through the
        // editor, so what the editor cannot show (seconds, empty members) is no change.
        if (!sameValue(f, v, fromInput(f, toInput(f, record[f.name], tz), tz))) out[f.name] = v;
      } else if (!isEmpty(v) && !(f.type === 'bool' && v === false && f.default === undefined)) {
        out[f.name] = v;
      }
    }
    return out;
  };

  const submit = async (e) => {
    e.preventDefault();
    const b = body();
    if (editing && Object.keys(b).length === 0) {
      if (onSaved) onSaved(record);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const res = editing
        ? await request('PATCH', `/api/${resourceName}/${record.id}`, b)
        : await request('POST', `/api/${resourceName}`, b);
      setValues(null);
      if (onSaved) onSaved(res.record);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const release = async (names2) => {
    setReleasing(names2.join(',') || '*');
    setError(null);
    try {
      await onRelease(names2);
      setValues(null);
    } catch (err) {
      setError(err);
    } finally {
      setReleasing('');
    }
  };

  // Errors no shown field will display.
  const shownNames = new Set(shown.map((f) => f.name));
  const stray = Object.keys(errs).filter((p) => !shownNames.has(p.split(/[.[]/)[0]));

  return (
    <form className="rec-form" onSubmit={submit} data-testid={prefix} noValidate>
      <div className="rec-form-grid" style={columns ? { gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` } : undefined}>
        {shown.map((f) => {
          const err = errs[f.name];
          const isManual = manual.includes(f.name);
          const Custom = editors[f.name];
          const tid = `${prefix}-${f.name}`;
          return (
            <div key={f.name} className={['field', 'rec-field', WIDE.has(f.type) ? 'rec-wide' : '', isManual ? 'rec-manual' : ''].filter(Boolean).join(' ')} data-testid={`${prefix}-field-${f.name}`} data-manual={isManual ? 'true' : undefined}>
              <span className="rec-label">
                {fieldLabel(tOr, resourceName, f.name)}
                {f.required && <span className="rec-required" title={t('rec.required')}> *</span>}
                {isManual && <Badge kind="amber">{t('rec.manual')}</Badge>}
                {isManual && onRelease && (
                  <button type="button" className="btn-link link-like small" disabled={!!releasing} onClick={() => release([f.name])} title={t('rec.releaseHelp')} data-testid={`${prefix}-release-${f.name}`}>
                    {t('rec.releaseOne')}
                  </button>
                )}
              </span>
              {Custom ? (
                <Custom field={f} value={vals[f.name]} onChange={(v) => setValue(f.name, v)} values={vals} setValue={setValue} invalid={!!err} testId={tid} />
              ) : f.type === 'object_list' ? (
                <ObjectListEditor resourceName={resourceName} field={f} value={vals[f.name]} onChange={(v) => setValue(f.name, v)} errors={errs} testId={tid} refParams={refParams} values={vals} roles={roles} names={names} />
              ) : (
                <FieldEditor resourceName={resourceName} field={f} value={vals[f.name]} onChange={(v) => setValue(f.name, v)} invalid={!!err} testId={tid} refParams={refParams} path={f.name} values={vals} roles={roles} names={names} />
              )}
              {err && <small className="field-error" data-testid="field-error" data-field={f.name}>{err}</small>}
            </div>
          );
        })}
      </div>
      {error && (stray.length > 0 || !error.field) && (
        <div className="rec-form-error" data-testid={`${prefix}-error`}>
          <ErrorBox error={error} />
        </div>
      )}
      <div className="builder-actions">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid={`${prefix}-submit`}>
          {saving ? t('common.saving') : submitLabel || (editing ? t('rec.save') : t('rec.create'))}
        </button>
        {onCancel && <button type="button" className="btn" onClick={onCancel} data-testid={`${prefix}-cancel`}>{t('rec.cancel')}</button>}
        {editing && manual.length > 0 && onRelease && (
          <button type="button" className="btn" disabled={!!releasing} onClick={() => release([])} title={t('rec.releaseHelp')} data-testid={`${prefix}-release-all`}>
            {releasing === '*' ? t('common.saving') : t('rec.releaseAll', { n: manual.length })}
          </button>
        )}
        {error && error.field && stray.length === 0 && <small className="field-error rec-form-hint" role="alert">{t('rec.fixFields')}</small>}
      </div>
    </form>
  );
}
