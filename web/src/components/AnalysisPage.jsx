// The frame every analysis page shares: heading, builder card, the result
// card with "export" and "save to dashboard", and the loading / error / empty
// states. The page supplies the builder and the result view.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n.jsx';
import { takeHandedSpec, useQueryRunner } from '../hooks.js';
import { Card, Empty, ErrorBox, Loading } from './common.jsx';
import { ResultActions } from './ResultActions.jsx';

// Builder state for a page: the spec handed over by a dashboard ("open in
// analysis") when there is one for these kinds, else the defaults. `handed`
// tells the page to run it at once.
export function useBuilderState(kinds, defaults, fromSpec) {
  const [init] = useState(() => {
    const spec = takeHandedSpec(kinds);
    if (!spec) return { form: typeof defaults === 'function' ? defaults() : defaults, handed: null };
    try {
      return { form: fromSpec(spec), handed: spec };
    } catch {
      return { form: typeof defaults === 'function' ? defaults() : defaults, handed: null };
    }
  });
  const [form, setForm] = useState(init.form);
  return [form, setForm, init.handed];
}

export function useRunner(handed) {
  const runner = useQueryRunner();
  const once = useRef(false);
  useEffect(() => {
    if (handed && !once.current) {
      once.current = true;
      runner.run(handed);
    }
  }, [handed]); // eslint-disable-line react-hooks/exhaustive-deps
  return runner;
}

export default function AnalysisPage({
  title, subtitle, builder, runner, hint, resultTitle, saveTitle, testId, children, resultExtra,
}) {
  const { t } = useI18n();
  return (
    <div className="page" data-testid={testId}>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          {subtitle && <p className="muted">{subtitle}</p>}
        </div>
      </div>
      <Card>{builder}</Card>
      {runner.error && <ErrorBox error={runner.error} />}
      {runner.running && !runner.result && <Loading />}
      {!runner.result && !runner.running && !runner.error && (
        <Card><Empty>{hint || t('trend.hint')}</Empty></Card>
      )}
      {runner.result && (
        <Card
          title={resultTitle}
          className={runner.running ? 'card-busy' : undefined}
          actions={<ResultActions spec={runner.spec} defaultTitle={saveTitle}>{resultExtra}</ResultActions>}
          testId={testId ? `${testId}-result` : undefined}
        >
          {children}
        </Card>
      )}
    </div>
  );
}
