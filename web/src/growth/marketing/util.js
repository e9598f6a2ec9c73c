// Small helpers shared by the marketing pages (web/src/pages/growth/ campaigns,
// leads, measures map, content, content report, case library): raw CSV posts,
// "is this endpoint missing on this server" and number formats. The server
// contracts are E1 (campaigns & leads) and E2 (content) of the issue 5 brief.
import { ApiError } from '../../api.js';
import { fmtNum, fmtPct } from '../../format.js';

// POSTs a CSV text (Content-Type text/csv) and answers the parsed JSON, also for
// a 207/400 batch answer that carries accepted/rejected/errors (the caller shows
// the row errors). Other failures throw ApiError with the server's message.
export async function postCsv(path, text) {
  let res;
  try {
    res = await fetch(path, {
      method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json', 'Content-Type': 'text/csv; charset=utf-8' }, body: text,
    });
  } catch (e) {
    throw new ApiError(0, 'network', e && e.message ? e.message : String(e));
  }
  const body = await res.text();
  let data = null;
  try { data = body ? JSON.parse(body) : null; } catch { data = null; }
  if (res.ok || (data && Array.isArray(data.errors) && data.accepted !== undefined)) return data || {};
  const err = (data && data.error) || {};
  throw new ApiError(res.status, err.code, err.message || `HTTP ${res.status} ${res.statusText}`, err.field);
}

// True when an API error means "this server has no such endpoint (yet)": the
// routes of issue 5 may be missing on an older server; pages then explain that
// instead of showing a raw error.
export function isMissing(error) {
  if (!error) return false;
  // The server's catch-all answers 404 "no route for GET /api/…" (server/http_server.cc).
  if (error.status === 404 && /^no route for /.test(error.message || '')) return true;
  return error.status === 405 || error.status === 501;
}

export function num(lang, v, digits = 0) {
  if (v === null || v === undefined || v === '' || Number.isNaN(Number(v))) return '–';
  const n = Number(v);
  return digits ? new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(n) : fmtNum(lang, Math.round(n));
}

// A rate 0..1 as a percentage ("–" for null).
export function pct(lang, v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '–';
  return fmtPct(lang, Number(v));
}

// Hours between two ISO times (null when either is missing).
export function hoursBetween(fromIso, toIso) {
  if (!fromIso || !toIso) return null;
  const a = Date.parse(fromIso);
  const b = Date.parse(toIso);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return (b - a) / 3600000;
}

// The current month (YYYY-MM) in a time zone, and a month shifted by n.
export function thisMonth(tz) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: tz || undefined, year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
  } catch {
    return new Date().toISOString().slice(0, 7);
  }
}
export function shiftMonth(month, n) {
  const m = /^(\d{4})-(\d{2})$/.exec(month || '');
  if (!m) return month;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}
