// Placeholder page, being built.
import { useI18n } from '../../i18n.jsx';

export default function FollowUps() {
  const { t } = useI18n();
  return <h1>{t('nav.followUps')}</h1>;
}
