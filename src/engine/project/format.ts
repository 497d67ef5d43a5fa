/**
 * The project format, version 1: one JSON document that drives autosave, share links, project files and
 * headless runs (docs/project-format.md, schema in src/engine/project/project.schema.json). It is written to be
 * easy to write by hand: cells name each other by id, recipe steps name columns, and everything optional has a
 * default. Plain data only; `normalize.ts` fills the defaults and checks cross-references.
 */
import type { RecipeStep } from '../preprocess/recipe';
import type { Activation, OptimizerSpec, TaskKind, TrainBackend } from '../train/spec';

export const PROJECT_FORMAT = 'webgpu-workbench/project';
export const PROJECT_VERSION = 1;

/** Where a dataset cell's data comes from. */
export type DatasetSource =
  /** A file next to the project file (headless runs, project files); forward slashes, no '..'. */
  | { readonly path: string; readonly sha256?: string }
  /** Several files as ONE dataset: images or WAV clips (labelled by their folder), or an IDX pair. */
  | { readonly paths: readonly string[] }
  /** A built-in sample of the app: 'penguins', 'iris', 'breast_cancer', 'mnist'. */
  | { readonly sample: string }
  /** An https URL (or this site's own), fetched by the browser; the server must allow CORS. */
  | { readonly url: string; readonly sha256?: string }
  /** Small data carried inside the project (share links): CSV text. */
  | { readonly inline: { readonly format: 'csv'; readonly text: string } }
  /**
   * A dataset the recipient must supply (share links of larger local data): they are asked for the file,
   * which is checked against the hash and the column names.
   */
  | {
      readonly missing: {
        readonly name: string;
        readonly sha256: string;
        readonly columns: readonly string[];
        readonly rows: number;
      };
    };

interface CellBase {
  /** Unique within the project; other cells refer to it. Letters, digits, '-' and '_'. */
  readonly id: string;
  /** Optional heading shown above the cell. */
  readonly title?: string;
}

export interface MarkdownCell extends CellBase {
  readonly kind: 'markdown';
  readonly text: string;
}

export interface DatasetCell extends CellBase {
  readonly kind: 'dataset';
  readonly source: DatasetSource;
  /** The target column (also settable in the train cell). */
  readonly target?: string;
}

/** Recipe steps as in the editor; a hand-written step may leave out its `id` (normalize assigns one). */
export type ProjectStep = RecipeStep extends infer S
  ? S extends RecipeStep
    ? Omit<S, 'id'> & { readonly id?: string }
    : never
  : never;

export interface PreprocessCell extends CellBase {
  readonly kind: 'preprocess';
  /** A dataset or preprocess cell. */
  readonly input: string;
  readonly steps: readonly ProjectStep[];
}

/** A model as written in a project: dense activations default to relu, conv pooling to 2, a cnn's dense part to none. */
export type ProjectDense = {
  readonly units: number;
  readonly activation?: Activation;
  readonly dropout?: number;
};
export type ProjectModel =
  | { readonly kind: 'linear' }
  | { readonly kind: 'logistic' }
  | { readonly kind: 'mlp'; readonly hidden: readonly ProjectDense[] }
  | {
      readonly kind: 'cnn';
      readonly conv: readonly { readonly filters: number; readonly kernel: number; readonly pool?: number }[];
      readonly dense?: readonly ProjectDense[];
    };

/** A training cell: the fields of a TrainConfig, all but `target` optional (defaults in normalize.ts). */
export interface TrainCell extends CellBase {
  readonly kind: 'train';
  /** A dataset or preprocess cell. */
  readonly input: string;
  readonly target: string;
  readonly task?: 'auto' | TaskKind;
  readonly model?: ProjectModel;
  readonly loss?: 'auto' | 'crossentropy' | 'mse' | 'mae';
  readonly optimizer?: OptimizerSpec;
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly earlyStopping?: { readonly patience: number; readonly minDelta?: number } | null;
  readonly classWeights?: 'none' | 'balanced';
  readonly seed?: number;
  readonly backend?: 'auto' | TrainBackend;
  readonly exclude?: readonly string[];
}

/** Metrics of a train cell's model on its test split (rows that never trained nor chose the best epoch). */
export interface EvaluateCell extends CellBase {
  readonly kind: 'evaluate';
  readonly model: string;
}

/** Exports a train cell's model as ONNX and/or writes its predictions for a dataset cell's rows. */
export interface ExportCell extends CellBase {
  readonly kind: 'export';
  readonly model: string;
  /** File name of the .onnx artifact (absent: no ONNX export). */
  readonly onnx?: string;
  /** Predictions for every row of a dataset cell (its raw rows: the fitted recipe is applied first). */
  readonly predictions?: {
    readonly dataset: string;
    readonly file: string;
    readonly format?: 'csv' | 'json';
  };
}

/** Runs an ONNX model (a file next to the project, a URL) in the inference worker. */
export interface InferCell extends CellBase {
  readonly kind: 'infer';
  readonly model: { readonly path: string } | { readonly url: string };
  readonly ep?: 'auto' | 'webgpu' | 'wasm';
  /** Batch inference over a dataset cell (results: a new dataset, and a file when named). */
  readonly batch?: { readonly dataset: string; readonly file?: string };
  /** Stateful streaming over one audio row of a dataset cell (voice-activity detectors...). */
  readonly stream?: { readonly dataset: string; readonly row?: number; readonly frame?: number };
}

/** A chart of a train cell's history (metric names as in results.json), saved as PNG by the runner. */
export interface ChartCell extends CellBase {
  readonly kind: 'chart';
  readonly model: string;
  readonly series?: readonly ('loss' | 'val_loss' | 'metric' | 'val_metric')[];
  readonly file?: string;
}

export type Cell =
  MarkdownCell | DatasetCell | PreprocessCell | TrainCell | EvaluateCell | ExportCell | InferCell | ChartCell;

export type CellKind = Cell['kind'];

export interface Project {
  readonly format: typeof PROJECT_FORMAT;
  readonly version: typeof PROJECT_VERSION;
  readonly name: string;
  readonly description?: string;
  readonly cells: readonly Cell[];
}
