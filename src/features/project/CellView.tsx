import { useState } from 'react';
import type { Cell } from '../../engine/project/format';
import { renderMarkdown } from '../../engine/project/markdown';
import type { CellResult } from '../../engine/project/results';
import { toWorkbenchError } from '../../lib/errors';
import type { Artifact, CellUiStatus } from '../../state/projectStore';
import { saveBlob } from '../download';
import type { CellDraft } from './cells';
import { summaryOf } from './summary';

export interface CellViewProps {
  readonly index: number;
  readonly draft: CellDraft;
  /** The cell as validated (null while the document has errors). */
  readonly cell: Cell | null;
  readonly parsedKind: string;
  readonly parsedId: string;
  readonly error: string | undefined;
  readonly status: CellUiStatus;
  readonly result: CellResult | undefined;
  readonly artifacts: readonly Artifact[];
  readonly readOnly: boolean;
  readonly busy?: boolean;
  readonly onEdit?: (text: string) => void;
  readonly onRun?: () => void;
  readonly onMove?: (delta: -1 | 1) => void;
  readonly onDelete?: () => void;
  /** A file for a dataset cell: attached to its path, or supplied for its by-hash data. */
  readonly onFile?: (file: File) => Promise<void>;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(6));

function FilePicker({ label, onFile }: { label: string; onFile: (file: File) => Promise<void> }) {
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="project-file">
      <label className="button">
        {label}
        <input
          type="file"
          data-testid="cell-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f === undefined) return;
            onFile(f).then(
              () => setMsg({ ok: true, text: `${f.name} accepted.` }),
              (err: unknown) => setMsg({ ok: false, text: toWorkbenchError(err).message }),
            );
          }}
        />
      </label>
      {msg && (
        <p
          role={msg.ok ? 'status' : 'alert'}
          className={msg.ok ? 'muted' : 'issue-text'}
          data-testid="cell-file-message"
        >
          {msg.text}
        </p>
      )}
    </div>
  );
}

/** One notebook cell: heading, status, summary or rendered markdown, its JSON, its results. */
export function CellView(p: CellViewProps) {
  const { cell, result, status } = p;
  const source = cell?.kind === 'dataset' ? cell.source : null;
  return (
    <li
      className={`project-cell${p.error ? ' has-issues' : ''}`}
      data-testid="cell"
      data-cell-id={p.parsedId}
      data-status={status}
    >
      <div className="step-head">
        <h3>
          {p.index + 1}. {cell?.title ?? p.parsedId} <span className="muted">({p.parsedKind})</span>
        </h3>
        <span className={`badge project-status project-status-${status}`} data-testid="cell-status">
          {status}
        </span>
        {result?.backend && status !== 'running' && (
          <span className="badge" data-testid="backend-badge" title={result.fallbackReason ?? undefined}>
            {result.backend}
          </span>
        )}
        {!p.readOnly && (
          <div className="toolbar">
            <button type="button" onClick={p.onRun} disabled={p.busy} data-testid="run-cell">
              Run cell
            </button>
            <button type="button" onClick={() => p.onMove?.(-1)} aria-label={`Move cell ${p.index + 1} up`}>
              ↑
            </button>
            <button type="button" onClick={() => p.onMove?.(1)} aria-label={`Move cell ${p.index + 1} down`}>
              ↓
            </button>
            <button type="button" onClick={p.onDelete} aria-label={`Delete cell ${p.index + 1}`}>
              Delete
            </button>
          </div>
        )}
      </div>
      {cell?.kind === 'markdown' ? (
        // renderMarkdown's output is sanitized (no raw HTML, scripts or script URLs).
        <div className="project-markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(cell.text) }} />
      ) : (
        cell && (
          <p className="project-summary" data-testid="cell-summary">
            {summaryOf(cell)}
          </p>
        )
      )}
      {source && 'path' in source && !p.readOnly && p.onFile && (
        <FilePicker label={`Attach ${source.path}…`} onFile={p.onFile} />
      )}
      {source && 'missing' in source && p.onFile && (
        <FilePicker label={`Supply ${source.missing.name}…`} onFile={p.onFile} />
      )}
      <details open={!p.readOnly && (p.error !== undefined || cell === null)}>
        <summary>JSON</summary>
        <textarea
          className="project-json"
          aria-label={`Cell ${p.index + 1} JSON`}
          data-testid="cell-json"
          value={p.draft.text}
          readOnly={p.readOnly}
          spellCheck={false}
          rows={Math.min(20, p.draft.text.split('\n').length + 1)}
          onChange={(e) => p.onEdit?.(e.target.value)}
        />
      </details>
      {p.error && (
        <p className="issue-text" role="alert" data-testid="cell-error">
          {p.error}
        </p>
      )}
      {result && status !== 'running' && <ResultView result={result} artifacts={p.artifacts} />}
    </li>
  );
}

function ResultView({ result, artifacts }: { result: CellResult; artifacts: readonly Artifact[] }) {
  const metrics = Object.entries(result.metrics);
  return (
    <div className="project-result">
      {result.error && (
        <p className="issue-text" data-testid="cell-failure">
          {result.error.message}
        </p>
      )}
      {result.status === 'skipped' && <p className="muted">{result.notes.join(' ')}</p>}
      {metrics.length > 0 && (
        <dl className="facts" data-testid="cell-metrics">
          {metrics.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd data-testid={`metric-${k}`} data-value={String(v)}>
                {fmt(v)}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {artifacts.length > 0 && (
        <div className="toolbar">
          {artifacts.map((a) => (
            <button
              key={a.name}
              type="button"
              onClick={() => saveBlob(a.blob, a.name)}
              data-testid="artifact"
            >
              Download {a.name}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
