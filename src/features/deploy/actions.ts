import { dataClient } from '../../bridge/clients';
import type { ModelMeta } from '../../engine/deploy/inspect';
import { dataStore } from '../../state/dataStore';

/** The data worker, which owns storage (models included). */
export const data = () => dataClient(() => dataStore.setState({ staleTab: true }));

export function listModels(): Promise<ModelMeta[]> {
  return data().listModels();
}

export function importModelFile(file: File): Promise<ModelMeta> {
  return data().importModel(file);
}

export function importModelUrl(url: string): Promise<ModelMeta> {
  return data().importModelUrl(url);
}

export function deleteModel(id: string): Promise<void> {
  return data().deleteModel(id);
}
