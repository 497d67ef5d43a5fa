import type { OptimizerSpec, TrainConfig } from '../../engine/train/spec';
import { setTrainBackend, updateDraft } from '../../state/trainStore';
import { CheckField, NumberField, SelectField } from '../preprocess/fields';

const LOSSES: readonly { value: TrainConfig['loss']; label: string }[] = [
  { value: 'auto', label: 'Automatic (cross-entropy or MSE)' },
  { value: 'crossentropy', label: 'Cross-entropy' },
  { value: 'mse', label: 'Mean squared error' },
  { value: 'mae', label: 'Mean absolute error' },
];

const OPTIMIZERS: readonly { value: OptimizerSpec['kind']; label: string }[] = [
  { value: 'adam', label: 'Adam' },
  { value: 'sgd', label: 'SGD' },
  { value: 'momentum', label: 'SGD with momentum' },
];

const BACKENDS: readonly { value: TrainConfig['backend']; label: string }[] = [
  { value: 'auto', label: 'Auto' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'WASM' },
  { value: 'cpu', label: 'CPU' },
];

const WEIGHTS: readonly { value: TrainConfig['classWeights']; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'balanced', label: 'Balanced' },
];

/** Loss, optimizer, batches, epochs, early stopping, class weights, seed and backend. */
export function TrainingFields({ config }: { config: TrainConfig }) {
  const opt = config.optimizer;
  const setOptimizer = (patch: Partial<OptimizerSpec>): void => {
    const next: OptimizerSpec = { ...opt, ...patch };
    updateDraft({
      optimizer:
        next.kind === 'momentum'
          ? { ...next, momentum: next.momentum ?? 0.9 }
          : { kind: next.kind, learningRate: next.learningRate },
    });
  };
  const stopping = config.earlyStopping;
  return (
    <fieldset className="panel">
      <legend>
        <h2>Training</h2>
      </legend>
      <div className="toolbar">
        <SelectField
          label="Loss"
          testId="train-loss"
          value={config.loss}
          options={LOSSES}
          onChange={(loss) => updateDraft({ loss })}
        />
        <SelectField
          label="Optimizer"
          testId="train-optimizer"
          value={opt.kind}
          options={OPTIMIZERS}
          onChange={(kind) => setOptimizer({ kind })}
        />
        <NumberField
          label="Learning rate"
          testId="train-lr"
          value={opt.learningRate}
          min={0}
          step={0.001}
          onChange={(learningRate) => setOptimizer({ learningRate })}
        />
        {opt.kind === 'momentum' && (
          <NumberField
            label="Momentum"
            testId="train-momentum"
            value={opt.momentum ?? 0.9}
            min={0}
            max={0.999}
            step={0.05}
            onChange={(momentum) => setOptimizer({ momentum })}
          />
        )}
      </div>
      <div className="toolbar">
        <NumberField
          label="Batch size"
          testId="train-batch"
          value={config.batchSize}
          min={1}
          integer
          onChange={(batchSize) => updateDraft({ batchSize })}
        />
        <NumberField
          label="Epochs"
          testId="train-epochs"
          value={config.epochs}
          min={1}
          integer
          onChange={(epochs) => updateDraft({ epochs })}
        />
        <CheckField
          label="Early stopping"
          testId="train-early-stopping"
          checked={stopping !== null}
          onChange={(on) => updateDraft({ earlyStopping: on ? { patience: 5 } : null })}
        />
        {stopping !== null && (
          <NumberField
            label="Patience (epochs)"
            testId="train-patience"
            value={stopping.patience}
            min={1}
            integer
            onChange={(patience) => updateDraft({ earlyStopping: { ...stopping, patience } })}
          />
        )}
      </div>
      <div className="toolbar">
        <SelectField
          label="Class weights"
          testId="train-class-weights"
          value={config.classWeights}
          options={WEIGHTS}
          onChange={(classWeights) => updateDraft({ classWeights })}
        />
        <NumberField
          label="Seed"
          testId="train-seed"
          value={config.seed}
          min={0}
          integer
          onChange={(seed) => updateDraft({ seed })}
        />
        <SelectField
          label="Backend"
          testId="train-backend"
          value={config.backend}
          options={BACKENDS}
          onChange={setTrainBackend}
        />
      </div>
    </fieldset>
  );
}
