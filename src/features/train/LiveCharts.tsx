import { useMemo } from 'react';
import { useStore } from 'zustand';
import { trainStore } from '../../state/trainStore';
import { Chart, type ChartData, type SeriesDef } from './Chart';
import { DASHED, PALETTE, formatBytes } from './format';

const LOSS: readonly SeriesDef[] = [
  { label: 'Train loss', color: PALETTE.blue },
  { label: 'Validation loss', color: PALETTE.vermillion, dash: DASHED },
];
const BATCH: readonly SeriesDef[] = [
  { label: 'Batch loss', color: PALETTE.blue, points: true },
  { label: 'Smoothed', color: PALETTE.vermillion },
];
const SPEED: readonly SeriesDef[] = [
  { label: 'Samples/s', color: PALETTE.green, digits: 0 },
  { label: 'ms/step', color: PALETTE.purple, dash: DASHED, right: true, digits: 2 },
];
const MEMORY: readonly SeriesDef[] = [{ label: 'Tensor memory', color: PALETTE.blue }];

/** The live charts: loss and metric per epoch, per-batch loss, speed and memory. */
export function LiveCharts() {
  const live = useStore(trainStore, (s) => s.live);
  const task = useStore(trainStore, (s) => s.live.started?.task ?? s.last?.task ?? 'classification');
  const { epochs, batches, speed } = live;
  const metric = task === 'classification' ? 'Accuracy' : 'MAE';
  const metricSeries = useMemo<readonly SeriesDef[]>(
    () => [
      { label: `Train ${metric === 'MAE' ? metric : 'accuracy'}`, color: PALETTE.blue },
      {
        label: `Validation ${metric === 'MAE' ? metric : 'accuracy'}`,
        color: PALETTE.vermillion,
        dash: DASHED,
      },
    ],
    [metric],
  );
  const lossData = useMemo<ChartData>(
    () => [epochs.map((e) => e.epoch + 1), epochs.map((e) => e.trainLoss), epochs.map((e) => e.valLoss)],
    [epochs],
  );
  const metricData = useMemo<ChartData>(
    () => [epochs.map((e) => e.epoch + 1), epochs.map((e) => e.trainMetric), epochs.map((e) => e.valMetric)],
    [epochs],
  );
  const batchData = useMemo<ChartData>(
    () => [batches.map((p) => p.step), batches.map((p) => p.loss), batches.map((p) => p.smoothed)],
    [batches],
  );
  const speedData = useMemo<ChartData>(
    () => [speed.map((p) => p.step), speed.map((p) => p.samplesPerSec), speed.map((p) => p.msPerStep)],
    [speed],
  );
  const memoryData = useMemo<ChartData>(
    () => [speed.map((p) => p.step), speed.map((p) => p.memoryBytes)],
    [speed],
  );
  return (
    <section aria-labelledby="charts-title" className="panel">
      <h2 id="charts-title">Training curves</h2>
      <p className="muted" data-testid="train-live">
        {live.status === 'idle'
          ? 'Start a run to see its curves.'
          : `Epoch ${(live.epochs.at(-1)?.epoch ?? live.epoch) + 1}` +
            (live.samplesPerSec !== null ? ` · ${Math.round(live.samplesPerSec)} samples/s` : '') +
            (live.msPerStep !== null ? ` · ${live.msPerStep.toFixed(2)} ms/step` : '') +
            (live.memoryBytes !== null ? ` · ${formatBytes(live.memoryBytes)} of tensors` : '')}
      </p>
      <div className="charts">
        <Chart
          testId="chart-loss"
          title="Loss per epoch"
          axes={{ x: 'Epoch', y: 'Loss' }}
          series={LOSS}
          data={lossData}
        />
        <Chart
          testId="chart-metric"
          title={`${metric} per epoch`}
          axes={{ x: 'Epoch', y: metric }}
          series={metricSeries}
          data={metricData}
          key={metric}
        />
        <Chart
          testId="chart-batches"
          title="Loss per batch"
          axes={{ x: 'Step', y: 'Loss' }}
          series={BATCH}
          data={batchData}
        />
        <Chart
          testId="chart-speed"
          title="Throughput"
          axes={{ x: 'Step', y: 'Samples/s', y2: 'ms/step' }}
          series={SPEED}
          data={speedData}
        />
        <Chart
          testId="chart-memory"
          title="Tensor memory"
          axes={{ x: 'Step', y: 'Bytes', yFormat: formatBytes }}
          series={MEMORY}
          data={memoryData}
        />
      </div>
    </section>
  );
}
