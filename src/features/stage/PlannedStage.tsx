/** What each stage not yet built will do, stated honestly. */
const PLANS: Record<string, string> = {
  preprocess:
    'Build a recipe of cleaning and preparation steps (impute, scale, one-hot, split) run by WGSL kernels.',
  train: 'Train models on your GPU in a worker, with live loss and accuracy charts and checkpoints.',
  deploy: 'Export trained models to ONNX, import ONNX files, and run inference with onnxruntime-web.',
  monitor: 'Live performance charts, GPU profiles and drift detection for deployed models.',
  projects: 'Notebook-style pipelines that save locally, export to files and share as links.',
};

/** A stage that is not built yet: says so, and what it will do. */
export function PlannedStage({ id, label }: { id: string; label: string }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{label}</h1>
      <p className="panel">Not available yet. {PLANS[id] ?? ''}</p>
    </section>
  );
}
