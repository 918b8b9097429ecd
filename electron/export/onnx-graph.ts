/**
 * An ONNX graph written directly (onnx/onnx.proto, IR version 7, opset 13: ONNX Runtime ≥ 1.6 and
 * every current runtime read it). The builder adds float32 initializers and nodes in order (so the
 * node list is already topologically sorted) and serialises a ModelProto. Field numbers are those
 * of onnx.proto. Isomorphic.
 */
import { ProtoWriter } from './protobuf';

export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;
const FLOAT = 1;
const INT64 = 7;

type Attr = { name: string; int?: number; float?: number };

export interface GraphIo {
  name: string;
  /** A dimension is a size, or a name for one decided at run time (the batch). */
  dims: (number | string)[];
}

export class OnnxGraph {
  private readonly nodes: ProtoWriter[] = [];
  private readonly initializers: ProtoWriter[] = [];
  private n = 0;

  constructor(readonly name: string) {}

  /** A float32 constant [dims] (raw little-endian data). */
  constant(name: string, data: Float32Array, dims: number[]): string {
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    data.forEach((v, i) => view.setFloat32(4 * i, v, true));
    this.initializers.push(new ProtoWriter().packedInts(1, dims).int(2, FLOAT).string(8, name).bytes(9, raw));
    return name;
  }

  /** An int64 vector constant (Slice's starts, ends, axes). */
  ints(name: string, values: number[]): string {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
    this.initializers.push(
      new ProtoWriter().packedInts(1, [values.length]).int(2, INT64).string(8, name).bytes(9, raw),
    );
    return name;
  }

  /** One node; returns its output's name (`output` names a graph output). */
  node(op: string, inputs: string[], attrs: Attr[] = [], output?: string): string {
    const out = output ?? `${op.toLowerCase()}_${++this.n}`;
    const w = new ProtoWriter();
    for (const i of inputs) w.string(1, i);
    w.string(2, out).string(3, `${op}_${this.n}`).string(4, op);
    for (const a of attrs) {
      const aw = new ProtoWriter().string(1, a.name);
      if (a.float !== undefined) aw.float(2, a.float).int(20, 1);
      else aw.int(3, a.int!).int(20, 2);
      w.message(5, aw);
    }
    this.nodes.push(w);
    return out;
  }

  private valueInfo(io: GraphIo): ProtoWriter {
    const shape = new ProtoWriter();
    for (const d of io.dims)
      shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
    const tensor = new ProtoWriter().int(1, FLOAT).message(2, shape);
    return new ProtoWriter().string(1, io.name).message(2, new ProtoWriter().message(1, tensor));
  }

  /** The ModelProto's bytes. */
  model(inputs: GraphIo[], outputs: GraphIo[], meta: { producerVersion: string; doc: string }): Uint8Array {
    const g = new ProtoWriter();
    for (const n of this.nodes) g.message(1, n);
    g.string(2, this.name);
    for (const t of this.initializers) g.message(5, t);
    g.string(10, meta.doc);
    for (const i of inputs) g.message(11, this.valueInfo(i));
    for (const o of outputs) g.message(12, this.valueInfo(o));
    return new ProtoWriter()
      .int(1, ONNX_IR_VERSION)
      .string(2, 'manifold-explorer')
      .string(3, meta.producerVersion)
      .message(7, g)
      .message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET))
      .finish();
  }
}
