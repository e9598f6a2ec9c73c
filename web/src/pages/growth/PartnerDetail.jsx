// Placeholder page, being built.
import { useI18n } from '../../i18n.jsx';

export default function PartnerDetail() {
  const { t } = useI18n();
  return <h1>{t('nav.partners')}</h1>;
}
