import { useEffect, useState } from 'react';
import { dataClient } from '../../bridge/clients';
import type { ImageThumb } from '../../engine/data/images';
import type { Miss } from '../../engine/train/run';
import { dataStore } from '../../state/dataStore';
import { isThumb, Thumbnail } from '../data/RowsTable';

/** Images shown per gallery (the worker sends small thumbnails, one row at a time). */
const GALLERY_SIZE = 24;

/**
 * For image datasets: thumbnails of misclassified test rows, read from the stored dataset by row. Tabular
 * datasets show nothing here (the table beside it lists their rows).
 */
export function MissGallery({ datasetId, misses }: { datasetId: string; misses: readonly Miss[] }) {
  const [thumbs, setThumbs] = useState<{ miss: Miss; thumb: ImageThumb }[]>([]);
  useEffect(() => {
    let live = true;
    const client = dataClient(() => dataStore.setState({ staleTab: true }));
    void (async () => {
      const found: { miss: Miss; thumb: ImageThumb }[] = [];
      for (const miss of misses.slice(0, GALLERY_SIZE)) {
        const page = await client.readRows(datasetId, miss.row, 1).catch(() => null);
        const cell = page?.rows[0]?.find(isThumb);
        if (cell === undefined) return; // not an image dataset (or the dataset is gone): no gallery
        found.push({ miss, thumb: cell });
        if (live) setThumbs([...found]);
      }
    })();
    return () => {
      live = false;
      setThumbs([]);
    };
  }, [datasetId, misses]);
  if (thumbs.length === 0) return null;
  return (
    <ul className="miss-gallery" data-testid="train-miss-gallery" aria-label="Misclassified images">
      {thumbs.map(({ miss, thumb }) => (
        <li key={miss.row}>
          <Thumbnail thumb={thumb} label={`Row ${miss.row}: ${miss.actual} predicted as ${miss.predicted}`} />
          <span className="muted">
            {miss.actual} → {miss.predicted}
          </span>
        </li>
      ))}
    </ul>
  );
}
