/** The parameter plumbing every model class shares. */
import type { tf } from '../tf';
import type { ModelConfig } from '../../shared/model-config';
import type { OutputSpec } from '../losses';
import type { NamedWeight, ParamStore, WeightSpec } from './params';

export abstract class ModelBase {
  constructor(
    readonly config: ModelConfig,
    readonly inputDims: number,
    readonly latent: number,
    readonly output: OutputSpec,
    protected readonly params: ParamStore,
  ) {}

  get variables(): tf.Variable[] {
    return this.params.variables;
  }
  get paramCount(): number {
    return this.params.count;
  }
  weightSpecs(): WeightSpec[] {
    return this.params.specs();
  }
  getWeights(): NamedWeight[] {
    return this.params.getWeights();
  }
  readWeights(): Promise<NamedWeight[]> {
    return this.params.readWeights();
  }
  setWeights(w: readonly NamedWeight[]): void {
    this.params.setWeights(w);
  }
  snapshot(): tf.Tensor[] {
    return this.params.snapshot();
  }
  restore(s: readonly tf.Tensor[]): void {
    this.params.restore(s);
  }
  dispose(): void {
    this.params.dispose();
  }
}
