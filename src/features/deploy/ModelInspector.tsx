import type { Dim, ModelMeta, TensorInfo } from '../../engine/deploy/inspect';
import { formatBytes } from '../data/format';

/** Pinned sizes of symbolic dimensions, by key (see dimKey); kept in the page's state for now. */
export type Pins = Readonly<Record<string, string>>;

/** A named dimension is pinned once per model (the name is shared by inputs and outputs); an unnamed one per place. */
function dimKey(modelId: string, tensor: string, index: number, d: Dim): string {
  return typeof d === 'string' ? `${modelId}:${d}` : `${modelId}:${tensor}#${index}`;
}

function dimLabel(d: Dim, index: number): string {
  return typeof d === 'string' ? d : `dimension ${index}`;
}

function TensorTable({
  title,
  testId,
  model,
  tensors,
  pins,
  onPin,
  pinnable,
}: {
  title: string;
  testId: string;
  model: ModelMeta;
  tensors: readonly TensorInfo[];
  pins: Pins;
  onPin: (key: string, value: string) => void;
  pinnable: boolean;
}) {
  return (
    <table data-testid={testId} className="model-tensors">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Shape</th>
        </tr>
      </thead>
      <tbody>
        {tensors.map((t) => (
          <tr key={t.name}>
            <th scope="row">{t.name}</th>
            <td>{t.elemType}</td>
            <td>
              {t.shape === null ? (
                'unknown rank'
              ) : (
                <span className="shape">
                  [
                  {t.shape.map((d, i) => {
                    const sep = i > 0 ? ', ' : '';
                    if (typeof d === 'number') return <span key={i}>{`${sep}${d}`}</span>;
                    const key = dimKey(model.id, t.name, i, d);
                    const name = typeof d === 'string' ? d : '?';
                    if (!pinnable) {
                      const pinned = pins[key];
                      return <span key={i}>{`${sep}${name}${pinned ? `=${pinned}` : ''}`}</span>;
                    }
                    return (
                      <span key={i}>
                        {sep}
                        {name}=
                        <input
                          type="number"
                          min={1}
                          step={1}
                          className="pin"
                          aria-label={`Pin ${dimLabel(d, i)} of ${t.name}`}
                          value={pins[key] ?? ''}
                          onChange={(e) => onPin(key, e.currentTarget.value)}
                        />
                      </span>
                    );
                  })}
                  ]
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What an imported model declares: inputs and outputs (symbolic dimensions pinnable), opset, operators, parameters, size. */
export function ModelInspector({
  model,
  pins,
  onPin,
}: {
  model: ModelMeta;
  pins: Pins;
  onPin: (key: string, value: string) => void;
}) {
  const m = model.inspection;
  return (
    <section aria-labelledby="inspector-title" className="panel" data-testid="model-inspector">
      <h2 id="inspector-title">{model.name}</h2>
      <dl className="model-facts">
        <dt>Opset</dt>
        <dd data-testid="model-opset">
          {m.opsets.map((o) => `${o.domain === '' ? 'ai.onnx' : o.domain} ${o.version}`).join(', ') || '—'}
        </dd>
        <dt>IR version</dt>
        <dd>{m.irVersion}</dd>
        <dt>Producer</dt>
        <dd>{[m.producer.name, m.producer.version].filter((s) => s !== '').join(' ') || '—'}</dd>
        <dt>Parameters</dt>
        <dd data-testid="model-params">{m.parameterCount.toLocaleString('en-US')}</dd>
        <dt>Size</dt>
        <dd data-testid="model-size">{formatBytes(m.sizeBytes)}</dd>
        <dt>Nodes</dt>
        <dd>{m.nodeCount.toLocaleString('en-US')}</dd>
      </dl>
      <p className="muted">
        Parameters count every initializer element and the numeric constants of Constant nodes, including
        those inside If / Loop bodies. Pinned dimensions are kept on this page only for now.
      </p>
      <TensorTable
        title="Inputs"
        testId="model-inputs"
        model={model}
        tensors={m.inputs}
        pins={pins}
        onPin={onPin}
        pinnable
      />
      <TensorTable
        title="Outputs"
        testId="model-outputs"
        model={model}
        tensors={m.outputs}
        pins={pins}
        onPin={onPin}
        pinnable={false}
      />
      <table data-testid="model-ops" className="model-ops">
        <caption>Operators</caption>
        <thead>
          <tr>
            <th scope="col">Operator</th>
            <th scope="col">Nodes</th>
          </tr>
        </thead>
        <tbody>
          {m.ops.map((o) => (
            <tr key={o.op}>
              <th scope="row">{o.op}</th>
              <td>{o.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
