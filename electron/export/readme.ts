/** The generated package's README.md: what it holds and how to run it, for this run. */
import { FAMILY_SUMMARY } from '../shared/families';
import type { packageSpec } from './pytorch';

export function packageReadme(spec: ReturnType<typeof packageSpec>): string {
  const c = spec.config;
  const d = spec.inputDims;
  const k = spec.latent;
  const arch =
    c.family === 'psd'
      ? `f(x) = G·tanh(Wx + b): ${d} → ${k}; dictionary D: ${k} atoms of ${d}`
      : `${[d, ...c.hidden, k].join(' → ')} → ${[...c.hidden].reverse().concat(d).join(' → ')}`;
  return `# ${c.family} autoencoder, exported from Manifold Explorer

${FAMILY_SUMMARY[c.family]}. Architecture ${arch} (activation ${c.activation}, code
${c.codeActivation}, output ${c.output}${c.tied ? ', tied weights' : ''}). Trained on
\`${spec.dataset.source ?? 'its dataset'}\` (${spec.dataset.rows} × ${spec.dataset.dims}, sha256
\`${spec.dataset.sha256 ?? 'unknown'}\`).

| file | what |
| --- | --- |
| \`model.py\` | the architecture as \`torch.nn.Module\`s, the normaliser, \`load()\` |
| \`ista.py\` | PSD's sparse inference h* by ISTA/FISTA |
| \`weights.py\` | reads and writes \`.safetensors\` with torch alone |
| \`loss.py\` | the explorer's loss terms and weights (\`Objective\`), noise draws injectable |
| \`train.py\` | training with DistributedDataParallel under \`torchrun\` (gloo on CPU, nccl on CUDA) |
| \`weights.safetensors\` | the trained parameters, the explorer's names, matrices [in, out] (\`y = x @ w + b\`) |
| \`config.json\` | the run's resolved config and train options, normaliser, output segments, dataset sha256 |

Needs Python 3 and PyTorch ≥ 1.13 (Debian: \`apt-get install python3-torch\`), numpy for train.py.

## Use the trained model

\`\`\`python
import sys; sys.path.insert(0, "path/to/this/folder")
import torch, model
m = model.load("path/to/this/folder")           # weights.safetensors loaded
x = torch.tensor(data, dtype=torch.float32)      # rows × ${d}, the data's own units
codes = m.encode_raw(x)                          # rows × ${k}: what the explorer's codes.npy holds
recon = m.reconstruct_raw(x)                     # rows × ${d}, original units
\`\`\`

\`encode\`, \`decode\`, \`reconstruct\` work in normalised units (\`m.normalize\`, \`m.denormalize\`), as
the explorer's engine does.

## Train at scale

Save the data as a rows × ${d} array in its own units (\`np.save("data.npy", array)\`; any numeric
dtype), then:

\`\`\`sh
torchrun --standalone --nproc_per_node 2 train.py --data data.npy --epochs ${spec.train.epochs} --out trained
# Debian bookworm (torch 1.13, Python 3.11): add --redirects 2 --tee 2 (torchrun cannot parse its default "0")
# several machines: torchrun --nnodes N --node_rank R --master_addr HOST --master_port 29500 --nproc_per_node G train.py …
# one process, no torchrun: python3 train.py --data data.npy --out trained
\`\`\`

Defaults come from the run (epochs, batch size ${spec.train.batchSize} per process, learning
rate ${spec.train.lr}, ${spec.train.optimizer}, the ${spec.train.schedule.kind} schedule); training
continues from the exported weights (\`--init random\` starts afresh). Each epoch prints one JSON line
with each loss term over the training rows. \`trained/\` then holds \`codes.npy\` (float32, rows × ${k},
input row order), \`reconstructions.npy\`, \`weights.safetensors\` and \`history.json\`. Bring the codes
back into the explorer:

\`\`\`sh
manifold-explorer import --codes trained/codes.npy --run RUN_FOLDER
\`\`\`
`;
}
