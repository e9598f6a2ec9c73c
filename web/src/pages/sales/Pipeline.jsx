// Pipeline (#/pipeline): the board of open and closed opportunities by stage,
// then the forecast. Moving a card on the board reloads the forecast.
// #/pipeline?owner=张伟&q=续约 opens the board filtered. "Manage stages" edits the
// project's stages (pipeline/StageManager.jsx).
import { useState } from 'react';
import { useI18n } from '../../i18n.jsx';
import Board from '../../pipeline/Board.jsx';
import Forecast from '../../pipeline/Forecast.jsx';
import StageManager from '../../pipeline/StageManager.jsx';

export default function Pipeline({ params, tz }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [stages, setStages] = useState(null);
  const [managing, setManaging] = useState(false);
  const [stagesVersion, setStagesVersion] = useState(0);  // remounts the board after stage edits
  return (
    <div className="page" data-testid="pipeline-page">
      <div className="page-head">
        <div>
          <h1>{t('pl.title')}</h1>
          <p className="muted">{t('pl.subtitle')}</p>
        </div>
        <div className="inline">
          <button type="button" className="btn" onClick={() => setManaging(true)} data-testid="pipeline-stages">{t('pl.manageStages')}</button>
          <a className="btn" href="#/opportunities">{t('pl.listView')}</a>
          <a className="btn btn-primary" href="#/opportunities?new=1" data-testid="pipeline-new">＋ {t('pl.newOpp')}</a>
        </div>
      </div>
      {managing && <StageManager tz={tz} onClose={() => setManaging(false)} onChanged={() => { setStagesVersion((v) => v + 1); setVersion((v) => v + 1); }} />}
      <Board key={`board-${stagesVersion}`} onMoved={() => setVersion((v) => v + 1)} onStages={setStages} initialOwner={(params && params.owner) || ''} initialQuery={(params && params.q) || ''} />
      <Forecast version={version} stages={stages} />
    </div>
  );
}
