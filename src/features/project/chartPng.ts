/**
 * A training-history chart drawn straight onto a canvas and encoded as PNG (headless runs write it as an
 * artifact; no DOM needed: an OffscreenCanvas). Colours from the Okabe–Ito colour-blind-safe palette.
 */
import type { RunRecord } from '../../engine/train/run';

type Series = 'loss' | 'val_loss' | 'metric' | 'val_metric';

const COLORS: Readonly<Record<Series, string>> = {
  loss: '#0072B2',
  val_loss: '#D55E00',
  metric: '#009E73',
  val_metric: '#CC79A7',
};

function valuesOf(r: RunRecord, s: Series): (number | null)[] {
  return r.history.map((e) =>
    s === 'loss' ? e.trainLoss : s === 'val_loss' ? e.valLoss : s === 'metric' ? e.trainMetric : e.valMetric,
  );
}

export async function historyChartPng(
  record: RunRecord,
  series: readonly Series[],
  width = 640,
  height = 360,
): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d');
  if (g === null) throw new Error('No 2D canvas here.');
  const pad = { l: 56, r: 16, t: 28, b: 36 };
  const lines = series.map((s) => ({ s, v: valuesOf(record, s) }));
  const all = lines.flatMap((l) => l.v.filter((x): x is number => x !== null && Number.isFinite(x)));
  const lo = all.length > 0 ? Math.min(...all) : 0;
  const hi = all.length > 0 ? Math.max(...all) : 1;
  const span = hi - lo || 1;
  const n = Math.max(1, record.history.length - 1);
  const x = (i: number): number => pad.l + (i / n) * (width - pad.l - pad.r);
  const y = (v: number): number => pad.t + (1 - (v - lo) / span) * (height - pad.t - pad.b);

  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);
  g.strokeStyle = '#999999';
  g.lineWidth = 1;
  g.strokeRect(pad.l, pad.t, width - pad.l - pad.r, height - pad.t - pad.b);
  g.fillStyle = '#222222';
  g.font = '12px sans-serif';
  g.fillText(record.name, pad.l, 16);
  for (let k = 0; k <= 4; k++) {
    const v = lo + (span * k) / 4;
    g.fillText(v.toPrecision(3), 4, y(v) + 4);
  }
  g.fillText('epoch', width / 2, height - 8);
  for (const [li, { s, v }] of lines.entries()) {
    g.strokeStyle = COLORS[s];
    g.lineWidth = 2;
    g.beginPath();
    let started = false;
    for (const [i, val] of v.entries()) {
      if (val === null || !Number.isFinite(val)) continue;
      if (started) g.lineTo(x(i), y(val));
      else g.moveTo(x(i), y(val));
      started = true;
    }
    g.stroke();
    g.fillStyle = COLORS[s];
    g.fillText(s, width - pad.r - 90, pad.t + 16 + li * 14);
  }
  return canvas.convertToBlob({ type: 'image/png' });
}
