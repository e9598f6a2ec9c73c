import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { messages, LANGS } from './messages.js';

const STORAGE_KEY = 'tobops.lang';
const DEFAULT_LANG = 'zh-CN';

function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && messages[saved]) return saved;
  } catch {
    /* storage unavailable */
  }
  return DEFAULT_LANG;
}

// t('key', {n: 3}) looks the key up in the current language, falls back to
// Chinese, then to the key itself, and fills {name} placeholders.
export function translate(lang, key, vars) {
  let s = messages[lang]?.[key];
  if (s === undefined) s = messages[DEFAULT_LANG][key];
  if (s === undefined) {
    if (typeof console !== 'undefined') console.warn(`i18n: missing key ${key}`);
    s = key;
  }
  if (vars) {
    s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  }
  return s;
}

// Like translate, for keys that may legitimately be absent (values coming from
// the server, such as a health part or an account level): the fallback, no warning.
export function translateOr(lang, key, fallback, vars) {
  if (messages[lang]?.[key] === undefined && messages[DEFAULT_LANG][key] === undefined) return fallback;
  return translate(lang, key, vars);
}

const I18nContext = createContext(null);

export function I18nProvider({ children }) {
  const [lang, setLangState] = useState(initialLang);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'app.title');
  }, [lang]);

  const setLang = useCallback((l) => {
    if (!messages[l]) return;
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* ignore */
    }
    setLangState(l);
  }, []);

  const value = useMemo(
    () => ({ lang, setLang, langs: LANGS, t: (key, vars) => translate(lang, key, vars),
      tOr: (key, fallback, vars) => translateOr(lang, key, fallback, vars) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  return useContext(I18nContext);
}
