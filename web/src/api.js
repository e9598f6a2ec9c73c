// Thin fetch wrapper for the tobops JSON API (docs/http_api.md).
// Every error answer is {"error": {"code", "message", "field"}}; it becomes an
// ApiError carrying the server's message. A 401 from any call notifies the
// app, which shows the login page.

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || '';
    this.field = field || '';
  }
}

let unauthorizedHandler = null;
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export async function request(method, path, body) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', e && e.message ? e.message : String(e));
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = data && data.error ? data.error : {};
    const apiErr = new ApiError(
      res.status,
      err.code,
      err.message || (text && !data ? text.slice(0, 200) : `HTTP ${res.status} ${res.statusText}`),
      err.field,
    );
    if (res.status === 401 && path !== '/api/login' && unauthorizedHandler) {
      unauthorizedHandler(apiErr);
    }
    throw apiErr;
  }
  return data;
}

export function qs(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body ?? {}),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
};

// File name from a Content-Disposition header (RFC 6266: filename* wins).
export function dispositionFilename(header) {
  if (!header) return '';
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  if (plain) return (plain[2] !== undefined ? plain[2] : plain[1]).trim();
  return '';
}

// Fetches a file and saves it (fetch -> blob -> object URL), so the session cookie
// and error answers work as for every other call. Returns the file name; throws
// ApiError with the server's message.
async function downloadFile(path, init, fallbackName) {
  let res;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init, headers: { Accept: '*/*', ...(init.headers || {}) } });
  } catch (e) {
    throw new ApiError(0, 'network', e && e.message ? e.message : String(e));
  }
  if (!res.ok) {
    const text = await res.text();
    let err = {};
    try {
      err = (JSON.parse(text) || {}).error || {};
    } catch {
      err = {};
    }
    const apiErr = new ApiError(res.status, err.code, err.message || `HTTP ${res.status} ${res.statusText}`, err.field);
    if (res.status === 401 && unauthorizedHandler) unauthorizedHandler(apiErr);
    throw apiErr;
  }
  const blob = await res.blob();
  const name = dispositionFilename(res.headers.get('Content-Disposition')) || fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  document.body.removeChild(a);
  // Revoke later: the browser reads the blob after the click event returns.
  setTimeout(() => URL.revokeObjectURL(url), 30000);
  return name;
}

// POSTs a body and saves the answer as a file (query exports).
export function downloadPost(path, body, fallbackName) {
  return downloadFile(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  }, fallbackName);
}

// GETs a file and saves it (record list exports).
export function downloadGet(path, fallbackName) {
  return downloadFile(path, {}, fallbackName);
}
