// Placeholder page, being built.
import { useI18n } from '../../i18n.jsx';

export default function Playbooks() {
  const { t } = useI18n();
  return <h1>{t('nav.playbooks')}</h1>;
}
