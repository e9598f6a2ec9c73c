// Placeholder page, being built.
import { useI18n } from '../../i18n.jsx';

export default function Leads() {
  const { t } = useI18n();
  return <h1>{t('nav.leads')}</h1>;
}
