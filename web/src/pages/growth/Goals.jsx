// Placeholder page, being built.
import { useI18n } from '../../i18n.jsx';

export default function Goals() {
  const { t } = useI18n();
  return <h1>{t('nav.goals')}</h1>;
}
