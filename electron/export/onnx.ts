/**
 * `export --format onnx`: the trained encoder and decoder as two ONNX models for inference,
 * written directly (onnx-graph.ts; no converter, nothing to download, no Python at export time).
 *   encoder.onnx  x [N, d] in the data's own units → codes [N, k] (what codes.npy holds: the VAE's
 *                 μ, with log_variance [N, k] as a second output; hashing's 0/1 bits)
 *   decoder.onnx  codes [N, k] → reconstruction [N, d], the mean of p(x | h) in the data's units
 * The training normaliser is part of each graph: (x − offset) / scale in, · scale + offset out.
 * Ops: MatMul, Add, Sub, Div, Mul, Relu, Tanh, Sigmoid, Elu, Softmax, Slice, Concat, Greater, Cast.
 */
import type { Activation } from '../shared/model-config';
import { outputSpec } from '../engine/losses';
import { OnnxGraph, ONNX_OPSET } from './onnx-graph';
import type { RunDir } from './run-dir';

const OPS: Record<Activation, string | null> = {
  relu: 'Relu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  elu: 'Elu', // alpha 1, as tf.elu
  linear: null,
};

interface Layer {
  w: { data: Float32Array; shape: [number, number] };
  b: Float32Array;
  activation: Activation;
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

function activate(g: OnnxGraph, x: string, a: Activation, output?: string): string {
  const op = OPS[a];
  if (op) return g.node(op, [x], [], output);
  return output ? g.node('Identity', [x], [], output) : x;
}

/** x·W + b, then the activation (none on the last layer when `pre`). */
function dense(g: OnnxGraph, x: string, layers: Layer[], prefix: string, lastPre = false): string {
  let h = x;
  layers.forEach((l, i) => {
    const w = g.constant(`${prefix}.${i}.w`, l.w.data, l.w.shape);
    const b = g.constant(`${prefix}.${i}.b`, l.b, [l.b.length]);
    const z = g.node('Add', [g.node('MatMul', [h, w]), b]);
    h = lastPre && i === layers.length - 1 ? z : activate(g, z, l.activation);
  });
  return h;
}

export function onnxFiles(r: RunDir, version: string): Map<string, Uint8Array | string> {
  const m = r.manifest;
  const c = m.config;
  const d = m.inputDims;
  const k = m.latent;
  const byName = new Map(r.weights.map((w) => [w.name, w]));
  const get = (name: string) => {
    const w = byName.get(name);
    if (!w) throw new Error(`onnx export: the model has no weight ${name}`);
    return w;
  };
  const layer = (wName: string, bName: string, activation: Activation, tied = false): Layer => {
    const w = get(wName);
    const [rows, cols] = w.shape as [number, number];
    return {
      w: tied
        ? { data: transpose(w.data, rows, cols), shape: [cols, rows] }
        : { data: w.data, shape: [rows, cols] },
      b: get(bName).data,
      activation,
    };
  };
  const offset = Float32Array.from(m.normalizer.offset);
  const scale = Float32Array.from(m.normalizer.scale);
  const doc = `${c.family} autoencoder exported by manifold-explorer ${version} (opset ${ONNX_OPSET})`;
  const meta = { producerVersion: version, doc };

  // ── encoder: x (own units) → normalised → codes ──
  const enc = new OnnxGraph(`${c.family}-encoder`);
  const xn = enc.node('Div', [
    enc.node('Sub', ['x', enc.constant('norm.offset', offset, [d])]),
    enc.constant('norm.scale', scale, [d]),
  ]);
  const encOutputs = [{ name: 'codes', dims: ['N', k] }];
  if (c.family === 'psd') {
    const pre = dense(enc, xn, [layer('enc.w', 'enc.b', 'tanh')], 'enc');
    enc.node('Mul', [pre, enc.constant('gain', get('gain').data, [k])], [], 'codes');
  } else if (c.family === 'vae') {
    const hidden = c.hidden.map((_, i) => layer(`enc.${i}.w`, `enc.${i}.b`, c.activation));
    const top = hidden.length ? dense(enc, xn, hidden, 'enc') : xn;
    enc.node('Identity', [dense(enc, top, [layer('mu.w', 'mu.b', 'linear')], 'mu')], [], 'codes');
    enc.node(
      'Identity',
      [dense(enc, top, [layer('logvar.w', 'logvar.b', 'linear')], 'logvar')],
      [],
      'log_variance',
    );
    encOutputs.push({ name: 'log_variance', dims: ['N', k] });
  } else {
    const L = c.hidden.length + 1;
    const layers = Array.from({ length: L }, (_, i) =>
      layer(`enc.${i}.w`, `enc.${i}.b`, i === L - 1 ? c.codeActivation : c.activation),
    );
    const h = dense(enc, xn, layers, 'enc');
    if (c.family === 'hashing')
      enc.node(
        'Cast',
        [enc.node('Greater', [h, enc.constant('half', Float32Array.of(0.5), [])])],
        [{ name: 'to', int: 1 }],
        'codes',
      );
    else enc.node('Identity', [h], [], 'codes');
  }

  // ── decoder: codes → the mean of p(x | h) → own units ──
  const dec = new OnnxGraph(`${c.family}-decoder`);
  let z: string;
  if (c.family === 'psd') z = dec.node('MatMul', ['codes', dec.constant('dict', get('dict').data, [k, d])]);
  else {
    const L = c.hidden.length + 1;
    const tied = c.family !== 'vae' && c.tied;
    const layers = Array.from({ length: L }, (_, i) =>
      tied
        ? layer(`enc.${L - 1 - i}.w`, `dec.${i}.b`, i === L - 1 ? 'linear' : c.activation, true)
        : layer(`dec.${i}.w`, `dec.${i}.b`, i === L - 1 ? 'linear' : c.activation),
    );
    z = dense(dec, 'codes', layers, 'dec', true);
  }
  const segments = outputSpec(c.output, d, m.categorical ?? []).segments;
  const mean = (zs: string, kind: string) =>
    kind === 'bernoulli'
      ? dec.node('Sigmoid', [zs])
      : kind === 'categorical'
        ? dec.node('Softmax', [zs], [{ name: 'axis', int: -1 }])
        : zs;
  let mu: string;
  if (segments.length === 1) mu = mean(z, segments[0]!.kind);
  else
    mu = dec.node(
      'Concat',
      segments.map((s, i) =>
        mean(
          dec.node('Slice', [
            z,
            dec.ints(`seg${i}.start`, [s.start]),
            dec.ints(`seg${i}.end`, [s.start + s.size]),
            dec.ints(`seg${i}.axis`, [1]),
          ]),
          s.kind,
        ),
      ),
      [{ name: 'axis', int: 1 }],
    );
  dec.node(
    'Add',
    [dec.node('Mul', [mu, dec.constant('norm.scale', scale, [d])]), dec.constant('norm.offset', offset, [d])],
    [],
    'reconstruction',
  );

  const files = new Map<string, Uint8Array | string>();
  files.set('encoder.onnx', enc.model([{ name: 'x', dims: ['N', d] }], encOutputs, meta));
  files.set(
    'decoder.onnx',
    dec.model([{ name: 'codes', dims: ['N', k] }], [{ name: 'reconstruction', dims: ['N', d] }], meta),
  );
  files.set(
    'README.md',
    `# ${c.family} autoencoder as ONNX (opset ${ONNX_OPSET})\n\n` +
      `- \`encoder.onnx\`: input \`x\` [N, ${d}] float32 in the data's own units → \`codes\` [N, ${k}]` +
      (c.family === 'vae'
        ? ' (μ) and `log_variance` [N, ' + k + ']'
        : c.family === 'hashing'
          ? ' (0/1 bits)'
          : '') +
      `\n- \`decoder.onnx\`: input \`codes\` [N, ${k}] → \`reconstruction\` [N, ${d}], original units\n\n` +
      'The normaliser is inside both graphs. With ONNX Runtime:\n\n```python\nimport onnxruntime as ort\n' +
      'codes = ort.InferenceSession("encoder.onnx").run(None, {"x": x})[0]\n```\n',
  );
  return files;
}
