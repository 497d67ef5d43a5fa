import { WorkbenchError } from '../../lib/errors';
import { withErrorScopes } from './scopes';
import { compileShader } from './shader';

/** One compute kernel: a name, its WGSL, an entry point. */
export interface KernelSource {
  readonly name: string;
  readonly code: string;
  readonly entryPoint: string;
}

type Overrides = Readonly<Record<string, number>>;

/** Cache key = kernel name + sorted override constants. */
export function pipelineKey(name: string, entryPoint: string, overrides: Overrides): string {
  const parts = Object.keys(overrides)
    .sort()
    .map((k) => `${k}=${String(overrides[k])}`);
  return `${name}#${entryPoint}(${parts.join(',')})`;
}

/** Compiles each (kernel, overrides) once per device; errors carry line:column or the GPU's message. */
export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private readonly modules = new Map<string, Promise<GPUShaderModule>>();
  /** Number of pipelines actually compiled (cache misses), for tests and benchmarks. */
  compiled = 0;

  constructor(private readonly device: GPUDevice) {}

  get(kernel: KernelSource, overrides: Overrides = {}): Promise<GPUComputePipeline> {
    const key = pipelineKey(kernel.name, kernel.entryPoint, overrides);
    let p = this.pipelines.get(key);
    if (p === undefined) {
      p = this.create(kernel, overrides);
      this.pipelines.set(key, p);
      // A failed compile is not cached, so a fixed shader (or a new device) can try again.
      p.catch(() => this.pipelines.delete(key));
    }
    return p;
  }

  private module(kernel: KernelSource): Promise<GPUShaderModule> {
    let m = this.modules.get(kernel.name);
    if (m === undefined) {
      m = compileShader(this.device, kernel.name, kernel.code);
      this.modules.set(kernel.name, m);
      m.catch(() => this.modules.delete(kernel.name));
    }
    return m;
  }

  private async create(kernel: KernelSource, overrides: Overrides): Promise<GPUComputePipeline> {
    const module = await this.module(kernel);
    this.compiled++;
    const label = `${kernel.name}.pipeline`;
    return withErrorScopes(this.device, label, async () => {
      try {
        return await this.device.createComputePipelineAsync({
          label,
          layout: 'auto',
          compute: { module, entryPoint: kernel.entryPoint, constants: overrides },
        });
      } catch (e) {
        throw new WorkbenchError('SHADER_COMPILE', `${label}: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }
}
