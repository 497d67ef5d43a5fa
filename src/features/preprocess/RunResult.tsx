import { useStore } from 'zustand';
import type { DeviceUsage } from '../../engine/gpu/instrument';
import type { FittedStep, RecipeRun } from '../../engine/preprocess/fitted';
import { gpuStore } from '../../state/gpuStore';
import { openOnDataPage } from './actions';
import { stepLabel } from './labels';
import { SplitStatsTable, SummaryTable } from './SummaryTable';

/** "Step 2: Scale numbers …", or "Input data" for notes about the input. */
function fittedTitle(run: RecipeRun, s: FittedStep): string {
  if (s.kind === 'input') return 'Input data';
  const at = run.fitted.recipe.steps.findIndex((x) => x.id === s.stepId);
  return at < 0 ? stepLabel(s.kind) : `Step ${at + 1}: ${stepLabel(s.kind)}`;
}

/** Where the run happened, in words. */
function ranOn(run: RecipeRun, webgpuMissing: boolean): string {
  if (run.backend === 'webgpu') {
    const a = run.adapter;
    const adapter =
      a === null ? 'unknown adapter' : `${a.vendor || 'unknown vendor'} ${a.architecture}`.trim();
    return `Ran on WebGPU · ${adapter}`;
  }
  const why = run.fallbackReason !== null ? ` (${run.fallbackReason})` : '';
  const note = webgpuMissing
    ? ' — WebGPU is not available in this browser; the CPU reference runs the same recipe.'
    : '';
  return `Ran on the CPU${why}${note}`;
}

function UsageRow({ label, u }: { label: string; u: DeviceUsage }) {
  return (
    <tr data-usage={JSON.stringify(u)}>
      <th scope="row">{label}</th>
      <td>{u.dispatches}</td>
      <td>{u.submits}</td>
      <td>{u.uploads}</td>
      <td>{u.readbacks}</td>
      <td>{u.bytesUploaded.toLocaleString('en-US')}</td>
      <td>{u.bytesRead.toLocaleString('en-US')}</td>
    </tr>
  );
}

/** The last run: where it ran, device work, split sizes, what each step learned, before / after. */
export function RunResult({ run }: { run: RecipeRun }) {
  const webgpuMissing = useStore(gpuStore, (s) => s.capabilities?.available === false);
  const split = run.fitted.split;
  return (
    <section
      aria-labelledby="result-title"
      className="panel"
      data-testid="recipe-result"
      data-backend={run.backend}
    >
      <h2 id="result-title">Result</h2>
      <p>
        <strong className="badge" data-testid="recipe-ran-on">
          {ranOn(run, webgpuMissing)}
        </strong>{' '}
        <span className="muted">
          {run.rows.toLocaleString('en-US')} rows in {run.wallMs.toFixed(1)} ms
        </span>
      </p>
      {run.output !== null ? (
        <p data-testid="recipe-output" data-id={run.output.id}>
          Saved as <strong>{run.output.name}</strong> ({run.output.rows.toLocaleString('en-US')} rows,{' '}
          {run.output.columns.length} columns).{' '}
          <button
            type="button"
            data-testid="recipe-open-output"
            onClick={() => openOnDataPage(run.output!.id)}
          >
            Open {run.output.name} on the Data page
          </button>
        </p>
      ) : (
        <p className="muted">Preview only: nothing was saved.</p>
      )}
      <p
        data-testid="recipe-split-sizes"
        data-train={split?.train ?? run.rows}
        data-validation={split?.validation ?? 0}
        data-test={split?.test ?? 0}
      >
        {split === null
          ? `No split step: all ${run.rows.toLocaleString('en-US')} rows are training rows.`
          : `Train ${split.train.toLocaleString('en-US')} · validation ${split.validation.toLocaleString('en-US')} · test ${split.test.toLocaleString('en-US')} rows (seed ${split.seed}${split.stratify !== null ? `, stratified by ${split.stratify}` : ''})`}
      </p>
      <table data-testid="recipe-counters">
        <caption>Device work{run.backend === 'cpu' ? ' (none on the CPU)' : ''}</caption>
        <thead>
          <tr>
            <th scope="col">Work</th>
            <th scope="col">Dispatches</th>
            <th scope="col">Submits</th>
            <th scope="col">Uploads</th>
            <th scope="col">Readbacks</th>
            <th scope="col">Bytes up</th>
            <th scope="col">Bytes read</th>
          </tr>
        </thead>
        <tbody>
          <UsageRow label="Fit and apply" u={run.usage} />
          <UsageRow label="Final application alone" u={run.applyUsage} />
        </tbody>
      </table>
      {run.fitted.steps.length > 0 && (
        <>
          <h3>What each step learned</h3>
          <ul className="fitted-steps" data-testid="recipe-fitted">
            {run.fitted.steps.map((s) => (
              <li key={s.stepId} data-kind={s.kind} data-step-id={s.stepId}>
                {fittedTitle(run, s)}
                {s.lines.length > 0 && (
                  <ul>
                    {s.lines.map((line, i) => (
                      <li key={i}>{line}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="before-after">
        <SummaryTable summaries={run.before} caption="Before" testId="recipe-before" />
        <SummaryTable summaries={run.after} caption="After" testId="recipe-after" />
      </div>
      <SplitStatsTable stats={run.splitStats} />
    </section>
  );
}
