// Locale-aware formatting of numbers and times.

export function fmtNum(lang, n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  return new Intl.NumberFormat(lang).format(Number(n));
}

const dtfCache = new Map();
function dtf(lang, tz) {
  const key = `${lang}|${tz || ''}`;
  if (!dtfCache.has(key)) {
    const opts = {
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    };
    let f;
    try {
      f = new Intl.DateTimeFormat(lang, tz ? { ...opts, timeZone: tz } : opts);
    } catch {
      f = new Intl.DateTimeFormat(lang, opts);
    }
    dtfCache.set(key, f);
  }
  return dtfCache.get(key);
}

// Formats an ISO timestamp in the project time zone.
export function fmtTime(lang, iso, tz) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return dtf(lang, tz).format(d);
}

// Bucket labels: the API's bucket starts already carry the query time zone's
// offset, so the wall-clock text is taken from the string itself.
export function bucketLabel(t, interval) {
  if (typeof t !== 'string' || t.length < 10) return String(t);
  switch (interval) {
    case 'hour':
      return `${t.slice(5, 10)} ${t.slice(11, 16)}`;
    case 'month':
      return t.slice(0, 7);
    case 'week':
      return t.slice(0, 10);
    default:
      return t.slice(0, 10);
  }
}

export function prettyJson(v) {
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
}

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* fall through */
    }
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  document.body.removeChild(ta);
  return ok;
}
