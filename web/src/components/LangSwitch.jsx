import { useI18n } from '../i18n.jsx';

export default function LangSwitch() {
  const { lang, setLang, langs, t } = useI18n();
  return (
    <label className="lang-switch">
      <span className="sr-only">{t('header.language')}</span>
      <select
        data-testid="lang-select"
        aria-label={t('header.language')}
        value={lang}
        onChange={(e) => setLang(e.target.value)}
      >
        {langs.map((l) => (
          <option key={l.code} value={l.code}>{l.label}</option>
        ))}
      </select>
    </label>
  );
}
