// StageManager: the pipeline's stages (configurable per project) in a drawer — list
// (key, label, order, probability, outcome), add, edit and delete through the generic
// records API (/api/pipeline_stages). The server refuses to delete or rename a stage
// that opportunities still use; its message is shown. onChanged() lets the board reload.
// Props: onClose(), onChanged(), tz.
import { useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { ErrorBox } from '../components/common.jsx';
import RecordTable from '../records/RecordTable.jsx';
import RecordForm from '../records/RecordForm.jsx';
import Drawer from '../records/Drawer.jsx';

export default function StageManager({ onClose, onChanged, tz }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(null);  // null: list; {}: new; record: edit
  const [error, setError] = useState(null);
  const [version, setVersion] = useState(0);
  const changed = () => {
    setEditing(null);
    setVersion((v) => v + 1);
    onChanged();
  };
  const remove = async (record) => {
    setError(null);
    try {
      await api.del(`/api/pipeline_stages/${record.id}`);
      changed();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Drawer title={t('pl.stagesTitle')} onClose={onClose} testId="stage-manager">
      <p className="muted">{t('pl.stagesHint')}</p>
      {error && <ErrorBox error={error} />}
      {editing ? (
        <RecordForm
          resource="pipeline_stages"
          record={editing.id ? editing : null}
          initial={{ outcome: 'open' }}
          fields={['key', 'label', 'position', 'probability', 'outcome']}
          onSaved={changed}
          onCancel={() => setEditing(null)}
          tz={tz}
          testId="stage-form"
        />
      ) : (
        <RecordTable
          resource="pipeline_stages"
          columns={['key', 'label', 'position', 'probability', 'outcome']}
          search={false}
          exportable
          reloadKey={version}
          tz={tz}
          testId="stages"
          actions={<button type="button" className="btn btn-primary" onClick={() => setEditing({})} data-testid="stages-new">＋ {t('pl.newStage')}</button>}
          rowActions={(record) => (
            <span className="inline">
              <button type="button" className="btn btn-ghost" onClick={() => setEditing(record)} data-testid="stages-edit">{t('pl.editStage')}</button>
              <button type="button" className="btn btn-ghost" onClick={() => remove(record)} data-testid="stages-delete">{t('pl.deleteStage')}</button>
            </span>
          )}
        />
      )}
    </Drawer>
  );
}
