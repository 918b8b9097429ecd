/**
 * The benchmark's models. `mlp` mirrors scripts/torch_reference.py exactly (same layers,
 * initialisation family, MSE, Adam, batch) with raw tfjs ops, so its ratio to PyTorch compares
 * like with like; the others train through the engine (createAutoencoder + train), as the app does.
 */
import type { ModelConfigInput } from '../shared/model-config';

export interface TorchShape {
  dims: number;
  /** Encoder widths; the decoder mirrors them. */
  hidden: number[];
  latent: number;
}

export interface BenchModel {
  name: string;
  description: string;
  /** Input width d. */
  dims: number;
  /** The engine's model; absent for the raw mirror of the PyTorch reference. */
  engine?: ModelConfigInput;
  /** The architecture torch_reference.py trains for the same work, when it can. */
  torch?: TorchShape;
  /** Fraction of --rows this model trains on (the expensive ones take fewer). Default 1. */
  rowsScale?: number;
}

const MLP: TorchShape = { dims: 784, hidden: [256], latent: 32 };

export const BENCH_MODELS: readonly BenchModel[] = [
  {
    name: 'mlp',
    description: '784-256-32-256-784 ReLU, sigmoid output, MSE, Adam (raw tfjs, as torch_reference.py)',
    dims: 784,
    torch: MLP,
  },
  {
    name: 'engine-mlp',
    description: 'the same network through the engine (undercomplete, bernoulli output, its Adam)',
    dims: 784,
    engine: {
      family: 'undercomplete',
      hidden: [256],
      latent: 32,
      codeActivation: 'relu',
      output: 'bernoulli',
    },
    torch: MLP,
  },
  {
    name: 'manifold3d',
    description: 'a 3-D manifold model: 3-64-2-64-3 (undercomplete, the engine)',
    dims: 3,
    engine: { family: 'undercomplete', hidden: [64], latent: 2 },
    torch: { dims: 3, hidden: [64], latent: 2 },
  },
  {
    name: 'contractive',
    description: '784-256-32 contractive, exact ‖∂f/∂x‖²_F penalty (k vector-Jacobian products)',
    dims: 784,
    engine: { family: 'contractive', hidden: [256], latent: 32, output: 'bernoulli' },
    // k = 32 vector-Jacobian products per step, each with its own forward pass: ≈ 60× the MLP.
    rowsScale: 1 / 16,
  },
  {
    name: 'vae',
    description: '784-256-(μ, log σ²: 32) VAE, bernoulli output',
    dims: 784,
    engine: { family: 'vae', hidden: [256], latent: 32, output: 'bernoulli' },
  },
];

export function findModel(name: string): BenchModel | undefined {
  return BENCH_MODELS.find((m) => m.name === name);
}
