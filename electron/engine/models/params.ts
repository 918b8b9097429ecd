/**
 * A model's parameters: named tf.Variables created from the seeded generator (so a seed gives the
 * same initial weights on every backend), with the byte-level get/set that saving and early
 * stopping use. tfjs variable names are global, so ours live in this map, not in tfjs's registry.
 */
import { tf } from '../tf';
import type { Rng } from '../random';

export interface WeightSpec {
  name: string;
  shape: number[];
}

export interface NamedWeight extends WeightSpec {
  data: Float32Array;
}

export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();

  constructor(private readonly rng: Rng) {}

  private add(name: string, shape: number[], values: Float32Array): tf.Variable {
    if (this.vars.has(name)) throw new Error(`parameter ${name} defined twice`);
    const v = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true));
    this.vars.set(name, v);
    return v;
  }

  /** Glorot (Xavier) uniform, U(−a, a) with a = √(6 / (fanIn + fanOut)), for a [fanIn, fanOut] matrix. */
  glorot(name: string, fanIn: number, fanOut: number): tf.Variable<tf.Rank.R2> {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    const v = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < v.length; i++) v[i] = (2 * this.rng.next() - 1) * a;
    return this.add(name, [fanIn, fanOut], v) as tf.Variable<tf.Rank.R2>;
  }

  /** Uniform entries U(−a, a). */
  uniform(name: string, shape: number[], a: number): tf.Variable {
    const v = new Float32Array(shape.reduce((x, y) => x * y, 1));
    for (let i = 0; i < v.length; i++) v[i] = (2 * this.rng.next() - 1) * a;
    return this.add(name, shape, v);
  }

  /** Standard normal entries times `scale`. */
  normal(name: string, shape: number[], scale: number): tf.Variable {
    const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < v.length; i++) v[i] = this.rng.normal() * scale;
    return this.add(name, shape, v);
  }

  filled(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, shape, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value));
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  get variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  get count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  specs(): WeightSpec[] {
    return [...this.vars].map(([name, v]) => ({ name, shape: [...v.shape] }));
  }

  /** Synchronous read-back: fine on cpu, wasm, webgl and in a browser, impossible on WebGPU in
   *  Node (no OffscreenCanvas); use readWeights there. */
  getWeights(): NamedWeight[] {
    return [...this.vars].map(([name, v]) => ({
      name,
      shape: [...v.shape],
      data: v.dataSync() as Float32Array,
    }));
  }

  /** Every parameter's values, read back asynchronously (works on every backend). */
  async readWeights(): Promise<NamedWeight[]> {
    const out: NamedWeight[] = [];
    for (const [name, v] of this.vars)
      out.push({ name, shape: [...v.shape], data: (await v.data()) as Float32Array });
    return out;
  }

  /** Replace every parameter's values; names and shapes must match exactly. */
  setWeights(weights: readonly NamedWeight[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const [name, v] of this.vars) {
      const w = byName.get(name);
      if (!w) throw new Error(`weights lack parameter ${name}`);
      if (w.shape.length !== v.shape.length || w.shape.some((s, i) => s !== v.shape[i]))
        throw new Error(`parameter ${name}: shape [${w.shape}] does not match [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape, 'float32')));
    }
    if (byName.size !== this.vars.size)
      throw new Error(
        `weights carry unknown parameters: ${[...byName.keys()].filter((n) => !this.vars.has(n))}`,
      );
  }

  /** Snapshots that stay on the device (early stopping's best weights). */
  snapshot(): tf.Tensor[] {
    return this.variables.map((v) => tf.keep(tf.clone(v)));
  }

  restore(snap: readonly tf.Tensor[]): void {
    this.variables.forEach((v, i) => v.assign(snap[i]!));
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
