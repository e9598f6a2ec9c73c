// Attendee import of one campaign: a CSV file (or pasted text) with the header
// name,email,phone,company,title,role,status is POSTed to
// /api/campaigns/ID/members/import (contract E1); the answer's accepted /
// rejected counts, how many rows were matched to a contact and to an account,
// and the row errors (line, field, message) are shown.
//   <MemberImport campaignId={5} onImported={() => …} />
import { useState } from 'react';
import { useI18n } from '../../i18n.jsx';
import LoadError from './Unavailable.jsx';
import { num, postCsv } from './util.js';

const SAMPLE = 'name,email,phone,company,title,role,status\n张伟,zhang.wei@example.com,13800000000,示例制造,CTO,decision_maker,attended\n';

export default function MemberImport({ campaignId, onImported }) {
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);

  const readFile = (file) => {
    if (!file) return;
    const r = new FileReader();
    r.onload = () => setText(String(r.result || '').replace(/^\uFEFF/, ''));
    r.readAsText(file, 'utf-8');
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await postCsv(`/api/campaigns/${campaignId}/members/import`, text);
      setResult(res);
      if (onImported && Number(res.accepted) > 0) onImported(res);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const errors = (result && result.errors) || [];
  return (
    <div className="mk-import" data-testid="mk-import">
      <p className="muted small">{t('mk.import.help')}</p>
      <div className="inline">
        <input type="file" accept=".csv,text/csv" onChange={(e) => readFile(e.target.files[0])} data-testid="mk-import-file" aria-label={t('mk.import.file')} />
        <button type="button" className="btn btn-small btn-link" onClick={() => setText(SAMPLE)}>{t('mk.import.sample')}</button>
      </div>
      <textarea className="input mk-import-text" rows={8} value={text} onChange={(e) => setText(e.target.value)} placeholder={SAMPLE} data-testid="mk-import-text" aria-label={t('mk.import.text')} />
      <div className="builder-actions">
        <button type="button" className="btn btn-primary" disabled={busy || !text.trim()} onClick={submit} data-testid="mk-import-submit">
          {busy ? t('common.saving') : t('mk.import.submit')}
        </button>
      </div>
      <LoadError error={error} endpoint={`/api/campaigns/${campaignId}/members/import`} />
      {result && (
        <div className="mk-import-result" data-testid="mk-import-result">
          <div className="mk-stats">
            <div data-testid="mk-import-accepted" data-n={result.accepted}><span>{t('mk.import.accepted')}</span><strong>{num(lang, result.accepted)}</strong></div>
            <div data-testid="mk-import-rejected" data-n={result.rejected}><span>{t('mk.import.rejected')}</span><strong>{num(lang, result.rejected)}</strong></div>
            <div data-testid="mk-import-contacts" data-n={result.matched_contacts}><span>{t('mk.import.matchedContacts')}</span><strong>{num(lang, result.matched_contacts)}</strong></div>
            <div data-testid="mk-import-accounts" data-n={result.matched_accounts}><span>{t('mk.import.matchedAccounts')}</span><strong>{num(lang, result.matched_accounts)}</strong></div>
          </div>
          {errors.length > 0 && (
            <table className="table mk-import-errors" data-testid="mk-import-errors">
              <thead><tr><th className="num">{t('mk.import.line')}</th><th>{t('mk.import.field')}</th><th>{t('mk.import.message')}</th></tr></thead>
              <tbody>
                {errors.map((e, i) => (
                  <tr key={i} data-testid="mk-import-error"><td className="num">{e.line ?? (e.index !== undefined ? e.index + 2 : '–')}</td><td><code>{e.field || '–'}</code></td><td>{e.message}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
