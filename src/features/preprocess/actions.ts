import { computeClient } from '../../bridge/clients';
import type { BackendChoice, RecipeOptions } from '../../bridge/contracts';
import type { RecipeRun } from '../../engine/preprocess/fitted';
import { toWorkbenchError } from '../../lib/errors';
import { applyWorkerEvent } from '../../state/gpuStore';
import { recipeStore } from '../../state/recipeStore';
import { refreshDatasets, selectDataset } from '../data/actions';

declare global {
  interface Window {
    /** The last recipe run, for the e2e tests. */
    __WORKBENCH_LAST_RECIPE_RUN__?: RecipeRun;
  }
}

/**
 * Fits the draft recipe on `datasetId`'s training split and applies it, in the compute worker. With `save`,
 * the output becomes a new dataset (the dataset list is refreshed); without, it is a preview only.
 */
export async function runRecipe(
  datasetId: string,
  backend: BackendChoice,
  save: boolean,
  name: string,
): Promise<void> {
  const { recipe, busy } = recipeStore.getState();
  if (busy) return;
  // Running pins the source: opening the output on the Data page must not swap the recipe's dataset.
  recipeStore.setState({ busy: true, error: null, sourceId: datasetId });
  const options: RecipeOptions =
    name.trim() === '' ? { backend, save } : { backend, save, name: name.trim() };
  try {
    const run = await computeClient(applyWorkerEvent).runRecipe(datasetId, recipe, options);
    window.__WORKBENCH_LAST_RECIPE_RUN__ = run;
    recipeStore.setState({ run, busy: false });
    if (run.output !== null) await refreshDatasets();
  } catch (e) {
    recipeStore.setState({ busy: false, error: toWorkbenchError(e).toJSON() });
  }
}

/** Shows a dataset on the Data page. */
export function openOnDataPage(datasetId: string): void {
  window.location.hash = '#/data';
  void selectDataset(datasetId);
}
