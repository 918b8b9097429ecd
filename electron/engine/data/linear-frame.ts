/**
 * The linear family trains in its own frame: the training rows centred and divided by one global
 * scale σ (the RMS of the centred values), then the result is folded back into the model so that
 * it works, and reports, in the user's units (the chosen normalisation, or the raw data).
 *
 * Why: a linear autoencoder's optimum is the PCA subspace of the *centred* data (Baldi & Hornik),
 * but on uncentred, large-valued data (raw 0–16 pixel counts, say) the biases must first absorb a
 * mean far from 0 and the gradient's conditioning is ruled by it: Adam ended 38° from the PCA
 * subspace on 8×8 digits after 500 full-batch epochs (1.017× PCA's error). Centred and scaled, the
 * same run reaches 3e-6°. A shift and one global scale leave the PCA subspace unchanged, so the
 * angles are the same in both frames.
 *
 * Folding (the codes become h' = σ·h): the encoder h = W(x − μ)/σ + b becomes h' = Wx + (σb − Wμ)
 * and the decoder x̂ = σ(W_d h + b_d) + μ becomes x̂ = W_d h' + (σ b_d + μ) — the same matrices (so
 * tied weights stay tied), new biases. Losses in the frame are the user-unit losses divided by σ².
 */
import type { NamedWeight } from '../models/params';

export interface LinearFrame {
  mean: Float32Array;
  scale: number;
}

export function fitLinearFrame(x: Float32Array, rows: number, dims: number): LinearFrame {
  const mean = new Float64Array(dims);
  for (let r = 0; r < rows; r++) for (let c = 0; c < dims; c++) mean[c]! += x[r * dims + c]!;
  for (let c = 0; c < dims; c++) mean[c]! /= Math.max(1, rows);
  let sq = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < dims; c++) {
      const d = x[r * dims + c]! - mean[c]!;
      sq += d * d;
    }
  const rms = Math.sqrt(sq / Math.max(1, rows * dims));
  return { mean: Float32Array.from(mean), scale: rms > 1e-12 ? rms : 1 };
}

/** x → (x − μ)/σ, into a new array. */
export function intoFrame(f: LinearFrame, x: Float32Array): Float32Array {
  const dims = f.mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - f.mean[i % dims]!) / f.scale;
  return out;
}

/**
 * The dense linear model's weights (enc.0.w [d, k], enc.0.b [k], dec.0.w [k, d] unless tied,
 * dec.0.b [d]), trained in the frame, as weights that work in the user's units.
 */
export function foldLinearFrame(f: LinearFrame, weights: readonly NamedWeight[]): NamedWeight[] {
  const get = (name: string) => {
    const w = weights.find((x) => x.name === name);
    if (!w) throw new Error(`linear frame: no weight ${name}`);
    return w;
  };
  const encW = get('enc.0.w');
  const [d, k] = encW.shape as [number, number];
  const s = f.scale;
  return weights.map((w) => {
    if (w.name === 'enc.0.b') {
      // σb − Wᵀμ  (h = x·W + b with W [d, k])
      const b = Float32Array.from(w.data, (v) => v * s);
      for (let j = 0; j < k; j++) {
        let acc = 0;
        for (let i = 0; i < d; i++) acc += f.mean[i]! * encW.data[i * k + j]!;
        b[j]! -= acc;
      }
      return { ...w, data: b };
    }
    if (w.name === 'dec.0.b') return { ...w, data: Float32Array.from(w.data, (v, i) => v * s + f.mean[i]!) };
    return w;
  });
}
