/**
 * A drop-in for `tf.train.adam(lr, β₁, β₂, ε)`: the same update, the same saved weights
 * (`<var>/m`, `<var>/v` after the iteration count), one kernel call per variable on the WASM and
 * CPU backends (adam-kernel.ts) instead of ≈ 13; other backends (WebGPU, WebGL, tfjs-node) get
 * the same update with tfjs ops.
 */
import { tf } from '../tf';
import { adamUpdate, registerAdamKernel } from './adam-kernel';

/** tfjs-core's NamedTensor (not re-exported from its index). */
type NamedTensor = { name: string; tensor: tf.Tensor };

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  private readonly state = { m: [] as Slot[], v: [] as Slot[] };
  private readonly hyper: { lr: number; beta1: number; beta2: number; epsilon: number };
  /** β₁ᵗ, β₂ᵗ for the coming step t (float32 values). */
  private acc: { beta1: number; beta2: number };

  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    // The parent resolved a missing ε to the backend's (1e-7 in float32).
    const eps = (this.getConfig()['epsilon'] as number | undefined) ?? tf.backend().epsilon();
    this.hyper = { lr: learningRate, beta1, beta2, epsilon: eps };
    this.acc = { beta1: Math.fround(beta1), beta2: Math.fround(beta2) };
    registerAdamKernel();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients.map((v) => ({ name: v.name, grad: v.tensor }))
      : Object.keys(variableGradients).map((name) => ({ name, grad: variableGradients[name] }));
    const { lr, beta1, beta2, epsilon } = this.hyper;
    // β₁ᵗ and β₂ᵗ as tfjs keeps them: float32 products, one factor per step; then tfjs's
    // (m'/c₁)/(√(v'/c₂) + ε) as s·m'/(√v' + e) (adam-kernel.ts).
    const f = Math.fround;
    const acc = this.acc;
    const [c1, c2] = [f(1 - acc.beta1), f(1 - acc.beta2)];
    const attrs = { beta1, beta2, stepSize: (lr * Math.sqrt(c2)) / c1, epsilon: epsilon * Math.sqrt(c2) };
    list.forEach(({ name, grad }, i) => {
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new Error(`FusedAdam: no variable named ${name}`);
      this.state.m[i] ??= {
        originalName: `${name}/m`,
        variable: tf.tidy(() => tf.variable(tf.zerosLike(value), false)),
      };
      this.state.v[i] ??= {
        originalName: `${name}/v`,
        variable: tf.tidy(() => tf.variable(tf.zerosLike(value), false)),
      };
      if (!grad) return;
      const m = this.state.m[i]!.variable;
      const v = this.state.v[i]!.variable;
      tf.tidy(() => {
        const [w2, m2, v2] = adamUpdate(value, grad, m, v, attrs);
        m.assign(m2!);
        v.assign(v2!);
        value.assign(w2!);
      });
    });
    this.acc = { beta1: f(acc.beta1 * f(beta1)), beta2: f(acc.beta2 * f(beta2)) };
    this.incrementIterations();
  }

  override dispose(): void {
    super.dispose();
    tf.dispose([...this.state.m, ...this.state.v].map((s) => s.variable));
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.state.m, ...this.state.v];
    return [await this.saveIterations(), ...slots.map((s) => ({ name: s.originalName, tensor: s.variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const f = Math.fround;
    const t = this.iterations + 1;
    this.acc = { beta1: f(f(this.hyper.beta1) ** t), beta2: f(f(this.hyper.beta2) ** t) };
    const n = rest.length / 2;
    tf.dispose([...this.state.m, ...this.state.v].map((s) => s.variable));
    const slot = (w: NamedTensor): Slot => ({
      originalName: w.name,
      variable: tf.variable(w.tensor, false),
    });
    this.state.m = rest.slice(0, n).map(slot);
    this.state.v = rest.slice(n, 2 * n).map(slot);
  }
}

/** `tf.train.adam` with the fused update. */
export function fusedAdam(
  learningRate = 0.001,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon?: number,
): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
