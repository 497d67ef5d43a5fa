import { useState, type ChangeEvent, type DragEvent, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { dataStore } from '../../state/dataStore';
import { cancelImport, importFiles, importFromUrl, importSample, SAMPLES } from './actions';
import { droppedFiles } from './dropped';
import { formatBytes } from './format';

/** Imports what a file input picked, then clears it so picking the same files again still fires. */
function onPick(e: ChangeEvent<HTMLInputElement>): void {
  const files = [...(e.currentTarget.files ?? [])];
  e.currentTarget.value = '';
  void importFiles(files);
}

/**
 * File types the picker offers: tables; images, zips of them and IDX files (MNIST) for image datasets; WAV
 * files for audio datasets.
 */
const ACCEPT = [
  '.csv,.tsv,.txt,.json,.jsonl,.ndjson,text/csv,application/json',
  '.arrow,.arrows,.feather,.ipc,.parquet,.pq',
  '.idx,.idx1-ubyte,.idx3-ubyte,.ubyte,.gz,.zip,image/png,image/jpeg,.png,.jpg,.jpeg',
  '.wav,audio/wav',
].join(',');

/** File picker, drop zone, URL and built-in samples, with a progress bar and Cancel while importing. */
export function ImportPanel() {
  const { status, progress, storage, persistence } = useStore(dataStore);
  const [url, setUrl] = useState('');
  const [dragging, setDragging] = useState(false);
  const busy = status === 'importing';

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const loose = [...e.dataTransfer.files]; // the drop's lists empty once this handler returns
    droppedFiles(e.dataTransfer).then(
      ({ files, paths }) => importFiles(files, paths),
      () => importFiles(loose),
    );
  };
  const onUrl = (e: FormEvent): void => {
    e.preventDefault();
    if (url.trim() !== '') void importFromUrl(url.trim());
  };

  return (
    <section aria-labelledby="import-title" className="panel">
      <h2 id="import-title">Import</h2>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label className="button">
          Choose files…
          <input type="file" multiple accept={ACCEPT} disabled={busy} onChange={onPick} />
        </label>
        <label className="button">
          Choose an image or audio folder…
          <input
            type="file"
            ref={(el) => {
              if (el) el.webkitdirectory = true;
            }}
            disabled={busy}
            onChange={onPick}
          />
        </label>
        <span>
          or drop CSV, TSV, JSON, JSON Lines, Arrow (Feather) or Parquet files here; or images or WAV audio in
          one folder per class, a zip of images, or MNIST IDX files
        </span>
      </div>
      <form onSubmit={onUrl} className="toolbar">
        <label htmlFor="import-url">From a URL</label>
        <input
          id="import-url"
          type="url"
          placeholder="https://example.org/data.csv"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          disabled={busy}
        />
        <button type="submit" disabled={busy || url.trim() === ''}>
          Import URL
        </button>
      </form>
      <div className="toolbar" role="group" aria-label="Built-in samples">
        <span>Samples:</span>
        {SAMPLES.map((s) => (
          <button key={s.id} type="button" onClick={() => void importSample(s.id)} disabled={busy}>
            {s.label}
          </button>
        ))}
      </div>
      {busy && (
        <div className="toolbar" data-testid="import-progress">
          <progress
            aria-label="Import progress"
            max={progress?.totalBytes || 1}
            value={progress?.bytes ?? 0}
          />
          <span>
            {progress === null
              ? 'Starting…'
              : `${progress.name}: ${progress.phase === 'scanning' ? 'reading' : 'storing'} ${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)}, ${progress.rows.toLocaleString('en-US')} rows`}
          </span>
          <button type="button" onClick={() => void cancelImport()}>
            Cancel
          </button>
        </div>
      )}
      <p className="muted" data-testid="storage-info">
        Storage: {storage?.usage != null ? `${formatBytes(storage.usage)} used` : 'use unknown'}
        {storage?.quota != null ? ` of ${formatBytes(storage.quota)} available to this site` : ''}
        {persistence === null
          ? ''
          : persistence === 'granted'
            ? ' · kept (persistent)'
            : ' · may be evicted by the browser when disk space runs low: export what matters'}
      </p>
    </section>
  );
}
