import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { dataClient } from '../../bridge/clients';
import type { RowCell } from '../../bridge/contracts';
import type { AudioThumb } from '../../engine/data/audio';
import type { DatasetMeta } from '../../engine/data/dataset';
import type { ImageThumb } from '../../engine/data/images';
import { dataStore } from '../../state/dataStore';

const ROW_HEIGHT = 28;
/** Rows of image datasets are taller, so a thumbnail is big enough to see. */
const IMAGE_ROW_HEIGHT = 44;
const PAGE = 200;

/** An image cell: the worker's thumbnail drawn with putImageData (no data: or blob: URLs needed). */
export function Thumbnail({ thumb, label }: { thumb: ImageThumb; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { width, height, channels, pixels } = thumb;
    const img = ctx.createImageData(width, height);
    for (let p = 0; p < width * height; p++) {
      for (let k = 0; k < 3; k++) img.data[p * 4 + k] = pixels[p * channels + (channels === 1 ? 0 : k)] ?? 0;
      img.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [thumb]);
  return (
    <canvas
      ref={ref}
      width={thumb.width}
      height={thumb.height}
      role="img"
      aria-label={label}
      style={{ height: IMAGE_ROW_HEIGHT - 6, imageRendering: 'pixelated', verticalAlign: 'middle' }}
    />
  );
}

/** An audio cell: a tiny peak waveform and the clip's length without its zero padding. */
function Waveform({ thumb, label }: { thumb: AudioThumb; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const width = thumb.peaks.length;
  const height = 24;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#3b6ea8';
    thumb.peaks.forEach((p, x) => {
      const h = Math.max(1, Math.round((p / 255) * height));
      ctx.fillRect(x, (height - h) / 2, 1, h);
    });
  }, [thumb, width]);
  const seconds = `${thumb.seconds.toFixed(2)} s`;
  return (
    <span className="waveform">
      <canvas
        ref={ref}
        width={width}
        height={height}
        role="img"
        aria-label={`${label}: ${seconds} of audio`}
        style={{ height: height, verticalAlign: 'middle' }}
      />{' '}
      {seconds}
    </span>
  );
}

export function isThumb(v: RowCell | undefined): v is ImageThumb {
  return typeof v === 'object' && v !== null && 'pixels' in v;
}

function isAudio(v: RowCell | undefined): v is AudioThumb {
  return typeof v === 'object' && v !== null && 'peaks' in v;
}

/** Scrolls any number of rows smoothly: only visible rows are rendered, pages are read from the worker. */
export function RowsTable({ meta }: { meta: DatasetMeta }) {
  const parent = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState<Map<number, readonly (readonly RowCell[])[]>>(new Map());
  const rowHeight = meta.columns.some((c) => c.type === 'image' || c.type === 'audio')
    ? IMAGE_ROW_HEIGHT
    : ROW_HEIGHT;
  const loading = useRef(new Set<number>());
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders us
  const v = useVirtualizer({
    count: meta.rows,
    getScrollElement: () => parent.current,
    estimateSize: () => rowHeight,
    overscan: 20,
  });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    setPages(new Map());
    loading.current.clear();
  }, [meta.id]);

  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
      if (pages.has(p) || loading.current.has(p)) continue;
      loading.current.add(p);
      dataClient(() => dataStore.setState({ staleTab: true }))
        .readRows(meta.id, p * PAGE, PAGE)
        .then((page) => setPages((old) => new Map(old).set(p, page.rows)))
        .catch(() => loading.current.delete(p));
    }
  }, [first, last, meta.id, pages]);

  const cols = meta.columns;
  const template = `4rem repeat(${cols.length}, minmax(7rem, 1fr))`;
  return (
    <div className="rows" role="grid" aria-label={`Rows of ${meta.name}`} aria-rowcount={meta.rows + 1}>
      <div role="rowgroup">
        <div className="rows-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          <span role="columnheader">#</span>
          {cols.map((c) => (
            <span role="columnheader" key={c.name}>
              {c.name}
            </span>
          ))}
        </div>
      </div>
      <div ref={parent} className="rows-body" data-testid="rows-table" tabIndex={0} role="rowgroup">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = pages.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className="rows-row"
                style={{
                  transform: `translateY(${item.start}px)`,
                  height: rowHeight,
                  gridTemplateColumns: template,
                }}
              >
                <span role="rowheader">{item.index + 1}</span>
                {cols.map((c, k) => {
                  const v = row?.[k];
                  return (
                    <span role="gridcell" key={c.name} className={v === null ? 'missing' : undefined}>
                      {row === undefined ? (
                        '…'
                      ) : isThumb(v) ? (
                        <Thumbnail thumb={v} label={`${c.name} of row ${item.index + 1}`} />
                      ) : isAudio(v) ? (
                        <Waveform thumb={v} label={`${c.name} of row ${item.index + 1}`} />
                      ) : v === null ? (
                        'missing'
                      ) : (
                        String(v)
                      )}
                    </span>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
