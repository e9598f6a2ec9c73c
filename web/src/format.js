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

// "0.375" -> "37.5%" (one decimal below 10 %, none above 99.5 % unless not whole).
export function fmtPct(lang, rate, digits = 1) {
  if (rate === null || rate === undefined || Number.isNaN(Number(rate))) return '–';
  return new Intl.NumberFormat(lang, {
    style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: digits,
  }).format(Number(rate));
}

// Durations in milliseconds as the two largest units: "3天 4小时" / "3d 4h".
const DURATION_UNITS = [
  ['d', 86400000], ['h', 3600000], ['min', 60000], ['s', 1000],
];
const DURATION_LABELS = {
  'zh-CN': { d: '天', h: '小时', min: '分钟', s: '秒', sep: ' ' },
  en: { d: 'd', h: 'h', min: 'min', s: 's', sep: ' ' },
};
export function fmtDuration(lang, ms) {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '–';
  const labels = DURATION_LABELS[lang] || DURATION_LABELS.en;
  const total = Math.max(0, Math.round(Number(ms)));
  if (total < 1000) return `${total} ms`;
  const i = DURATION_UNITS.findIndex(([, size]) => total >= size);
  const [u1, s1] = DURATION_UNITS[i];
  const n1 = Math.floor(total / s1);
  let text = `${n1}${labels[u1]}`;
  if (i + 1 < DURATION_UNITS.length) {
    const [u2, s2] = DURATION_UNITS[i + 1];
    const n2 = Math.floor((total - n1 * s1) / s2);
    if (n2 > 0) text += `${labels.sep}${n2}${labels[u2]}`;
  }
  return text;
}

// Period labels for cohorts: the bucket start as a date (or month).
export function periodLabel(t, period) {
  return bucketLabel(t, period === 'month' ? 'month' : 'day');
}
