import { Fragment, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.jsx';
import { useAsync } from '../hooks.js';
import { fmtNum, fmtTime, prettyJson } from '../format.js';
import { Badge, Card, CopyButton, Empty, ErrorBox, Loading } from '../components/common.jsx';
import TrackingPlan from './TrackingPlan.jsx';

const TABS = [
  { id: 'keys', key: 'data.tabKeys' },
  { id: 'quarantine', key: 'data.tabQuarantine' },
  { id: 'plan', key: 'data.tabPlan' },
  { id: 'report', key: 'data.tabReport' },
];

function Keys({ tz }) {
  const { t, lang } = useI18n();
  const list = useAsync(() => api.get('/api/keys'), []);
  const [kind, setKind] = useState('write');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [created, setCreated] = useState(null);

  const create = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.post('/api/keys', { kind, name: name.trim() });
      setCreated(r.key);
      setName('');
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (k) => {
    if (!window.confirm(t('keys.confirmRevoke', { name: k.name || k.prefix }))) return;
    setError(null);
    try {
      await api.del(`/api/keys/${encodeURIComponent(k.id)}`);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  const keys = (list.data && list.data.keys) || [];
  return (
    <>
      <Card title={t('keys.create')}>
        <form className="inline wrap" onSubmit={create} data-testid="key-create-form">
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value)} data-testid="key-kind">
            <option value="write">{t('keys.kind.write')}</option>
            <option value="read">{t('keys.kind.read')}</option>
          </select>
          <input
            className="input grow"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t('keys.namePlaceholder')}
            required
            data-testid="key-name"
          />
          <button className="btn btn-primary" type="submit" disabled={busy} data-testid="key-create">{t('keys.createButton')}</button>
        </form>
        <p className="muted small">{t('keys.help')}</p>
        {created && created.secret && (
          <div className="secret-box" data-testid="key-secret-box">
            <div className="secret-warn">⚠ {t('keys.secretWarning')}</div>
            <div className="secret-row">
              <code className="secret" data-testid="key-secret">{created.secret}</code>
              <CopyButton text={created.secret} testId="key-secret-copy" />
            </div>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>{t('keys.secretDone')}</button>
          </div>
        )}
        <ErrorBox error={error} />
      </Card>
      <Card title={t('keys.title')}>
        <ErrorBox error={list.error} onRetry={list.reload} />
        {list.loading && !list.data && <Loading />}
        {list.data && keys.length === 0 && <Empty>{t('keys.none')}</Empty>}
        {keys.length > 0 && (
          <div className="table-wrap">
            <table className="table" data-testid="keys-table">
              <thead>
                <tr>
                  <th>{t('keys.name')}</th>
                  <th>{t('keys.kind')}</th>
                  <th>{t('keys.prefix')}</th>
                  <th>{t('keys.createdAt')}</th>
                  <th>{t('keys.status')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} className={k.revoked_at ? 'row-muted' : ''}>
                    <td><strong>{k.name}</strong></td>
                    <td><Badge kind={k.kind === 'write' ? 'blue' : 'green'}>{t(`keys.kind.${k.kind}`)}</Badge></td>
                    <td className="mono">{k.prefix}…</td>
                    <td className="nowrap">{fmtTime(lang, k.created_at, tz)}</td>
                    <td>
                      {k.revoked_at
                        ? <Badge kind="red">{t('keys.revokedAt', { time: fmtTime(lang, k.revoked_at, tz) })}</Badge>
                        : <Badge kind="green">{t('keys.active')}</Badge>}
                    </td>
                    <td className="num">
                      {!k.revoked_at && (
                        <button type="button" className="btn btn-small btn-danger" onClick={() => revoke(k)}>{t('keys.revoke')}</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

const QPAGE = 20;

function Quarantine({ tz }) {
  const { t, lang } = useI18n();
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState(null);
  const list = useAsync(() => api.get(`/api/quarantine?limit=${QPAGE}&offset=${offset}`), [offset]);
  const total = list.data ? Number(list.data.total) || 0 : 0;
  const items = (list.data && list.data.items) || [];
  useEffect(() => setOpen(null), [offset]);

  return (
    <Card
      title={t('quarantine.title')}
      actions={<button type="button" className="btn btn-small" onClick={list.reload}>{t('common.refresh')}</button>}
    >
      <p className="muted small">{t('quarantine.help')}</p>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && items.length === 0 && <Empty>{t('quarantine.none')}</Empty>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-hover" data-testid="quarantine-table">
            <thead>
              <tr>
                <th className="col-toggle" />
                <th>{t('quarantine.receivedAt')}</th>
                <th>{t('quarantine.code')}</th>
                <th>{t('quarantine.field')}</th>
                <th>{t('quarantine.message')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <Fragment key={it.id}>
                  <tr className="clickable" onClick={() => setOpen(open === it.id ? null : it.id)}>
                    <td className="col-toggle"><span className={open === it.id ? 'caret open' : 'caret'}>▸</span></td>
                    <td className="nowrap">{fmtTime(lang, it.received_at, tz)}</td>
                    <td><Badge kind="red">{it.code}</Badge></td>
                    <td className="mono">{it.field || '–'}</td>
                    <td>{it.message}</td>
                  </tr>
                  {open === it.id && (
                    <tr className="row-detail">
                      <td />
                      <td colSpan={4}>
                        <div className="detail-head">
                          <span className="muted">{t('quarantine.payload')}</span>
                          <CopyButton text={String(it.payload ?? '')} />
                        </div>
                        <pre className="json">{prettyJson(it.payload ?? '')}</pre>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total > 0 && (
        <div className="pager">
          <span className="muted">
            {t('pager.range', { from: fmtNum(lang, offset + 1), to: fmtNum(lang, Math.min(offset + QPAGE, total)), total: fmtNum(lang, total) })}
          </span>
          <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - QPAGE))}>{t('pager.prev')}</button>
          <button type="button" className="btn btn-small" disabled={offset + QPAGE >= total} onClick={() => setOffset(offset + QPAGE)}>{t('pager.next')}</button>
        </div>
      )}
    </Card>
  );
}

function Report({ tz }) {
  const { t, lang } = useI18n();
  const rep = useAsync(() => api.get('/api/tracking-plan/report'), []);
  const [open, setOpen] = useState(null);
  const events = (rep.data && rep.data.events) || [];
  return (
    <Card
      title={t('report.title')}
      actions={
        <>
          {rep.data && <span className="muted small">{t('plan.mode')}: <strong>{t(`plan.mode.${rep.data.mode}`)}</strong></span>}
          <button type="button" className="btn btn-small" onClick={rep.reload}>{t('common.refresh')}</button>
        </>
      }
    >
      <p className="muted small">{t('report.help')}</p>
      <ErrorBox error={rep.error} onRetry={rep.reload} />
      {rep.loading && !rep.data && <Loading />}
      {rep.data && events.length === 0 && <Empty />}
      {events.length > 0 && (
        <div className="table-wrap">
          <table className="table table-hover" data-testid="report-table">
            <thead>
              <tr>
                <th className="col-toggle" />
                <th>{t('report.event')}</th>
                <th>{t('report.status')}</th>
                <th className="num">{t('report.seen')}</th>
                <th>{t('report.lastSeen')}</th>
                <th className="num">{t('report.violations')}</th>
                <th>{t('report.lastViolation')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((ev) => {
                let status;
                if (ev.planned && ev.seen > 0) status = <Badge kind="green">{t('report.plannedSeen')}</Badge>;
                else if (ev.planned) status = <Badge kind="amber">{t('report.plannedNotSeen')}</Badge>;
                else status = <Badge kind="red">{t('report.unplanned')}</Badge>;
                const isOpen = open === ev.name;
                return (
                  <Fragment key={ev.name}>
                    <tr className="clickable" onClick={() => setOpen(isOpen ? null : ev.name)}>
                      <td className="col-toggle"><span className={isOpen ? 'caret open' : 'caret'}>▸</span></td>
                      <td className="mono"><strong>{ev.name}</strong></td>
                      <td>{status}</td>
                      <td className="num">{fmtNum(lang, ev.seen)}</td>
                      <td className="nowrap">{ev.last_seen ? fmtTime(lang, ev.last_seen, tz) : '–'}</td>
                      <td className={ev.violations > 0 ? 'num text-danger' : 'num'}>{fmtNum(lang, ev.violations)}</td>
                      <td className="small">
                        {ev.last_violation
                          ? <><span className="nowrap muted">{fmtTime(lang, ev.last_violation.at, tz)}</span><br />{ev.last_violation.message}</>
                          : '–'}
                      </td>
                    </tr>
                    {isOpen && (
                      <tr className="row-detail">
                        <td />
                        <td colSpan={6}>
                          {(ev.properties || []).length === 0 ? <span className="muted">{t('report.noProperties')}</span> : (
                            <table className="table table-inner">
                              <thead>
                                <tr>
                                  <th>{t('plan.property')}</th>
                                  <th>{t('report.status')}</th>
                                  <th className="num">{t('report.seen')}</th>
                                </tr>
                              </thead>
                              <tbody>
                                {ev.properties.map((p) => (
                                  <tr key={p.name}>
                                    <td className="mono">{p.name}</td>
                                    <td>
                                      {p.planned
                                        ? (p.seen > 0 ? <Badge kind="green">{t('report.plannedSeen')}</Badge> : <Badge kind="amber">{t('report.plannedNotSeen')}</Badge>)
                                        : <Badge kind="red">{t('report.unplanned')}</Badge>}
                                    </td>
                                    <td className="num">{fmtNum(lang, p.seen)}</td>
                                  </tr>
                                ))}
                              </tbody>
                            </table>
                          )}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

export default function DataManagement({ tz, route, isAdmin }) {
  const { t } = useI18n();
  const tab = (TABS.find((x) => route === `/data/${x.id}`) || TABS[0]).id;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t('data.title')}</h1>
          <p className="muted">{t('data.subtitle')}</p>
        </div>
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((x) => (
          <a key={x.id} role="tab" href={`#/data/${x.id}`} aria-selected={x.id === tab} className={x.id === tab ? 'active' : ''} data-testid={`tab-${x.id}`}>
            {t(x.key)}
          </a>
        ))}
      </div>
      {!isAdmin && <div className="state state-warn">{t('data.adminOnly')}</div>}
      {tab === 'keys' && <Keys tz={tz} />}
      {tab === 'quarantine' && <Quarantine tz={tz} />}
      {tab === 'plan' && <TrackingPlan />}
      {tab === 'report' && <Report tz={tz} />}
    </div>
  );
}
