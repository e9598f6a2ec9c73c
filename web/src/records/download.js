// GET a file (an export) and save it: fetch -> blob -> object URL, so the
// session cookie is sent and an error answer is shown instead of navigating.
// Returns the file name; throws ApiError with the server's message.
import { ApiError, dispositionFilename } from '../api.js';

export async function downloadGet(path, fallbackName) {
  let res;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { Accept: '*/*' } });
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
    throw new ApiError(res.status, err.code, err.message || `HTTP ${res.status} ${res.statusText}`, err.field);
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
  setTimeout(() => URL.revokeObjectURL(url), 30000);
  return name;
}
