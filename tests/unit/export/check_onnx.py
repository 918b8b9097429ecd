"""Test helper: check exported ONNX models with the onnx package (Debian's python3-onnx) and run
them with a small numpy evaluator of the ops the exporter writes, following the ONNX operator
specifications (opset 13). No ONNX runtime is packaged for Debian, so this is the reference here.

    python3 check_onnx.py encoder.onnx decoder.onnx raw.npy codes.npy OUT_DIR

Writes OUT_DIR/onnx-codes.npy (encoder on raw) and OUT_DIR/onnx-reconstructions.npy (decoder on
the given codes), and prints the checker's verdict and the ops used as one JSON line.
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def run(model, feeds):
    env = dict(feeds)
    for t in model.graph.initializer:
        env[t.name] = numpy_helper.to_array(t)
    ops = set()
    for n in model.graph.node:
        a = [env[i] for i in n.input]
        attrs = {x.name: onnx.helper.get_attribute_value(x) for x in n.attribute}
        op = n.op_type
        ops.add(op)
        if op == "MatMul":
            y = np.matmul(a[0], a[1])
        elif op == "Add":
            y = a[0] + a[1]
        elif op == "Sub":
            y = a[0] - a[1]
        elif op == "Mul":
            y = a[0] * a[1]
        elif op == "Div":
            y = a[0] / a[1]
        elif op == "Relu":
            y = np.maximum(a[0], 0)
        elif op == "Tanh":
            y = np.tanh(a[0])
        elif op == "Sigmoid":
            y = 1 / (1 + np.exp(-a[0]))
        elif op == "Elu":
            y = elu(a[0])
        elif op == "Softmax":
            y = softmax(a[0], attrs.get("axis", -1))
        elif op == "Slice":
            sl = [slice(None)] * a[0].ndim
            for s, e, ax in zip(a[1], a[2], a[3]):
                sl[ax] = slice(int(s), int(e))
            y = a[0][tuple(sl)]
        elif op == "Concat":
            y = np.concatenate(a, axis=attrs["axis"])
        elif op == "Greater":
            y = a[0] > a[1]
        elif op == "Cast":
            assert attrs["to"] == onnx.TensorProto.FLOAT
            y = a[0].astype(np.float32)
        elif op == "Identity":
            y = a[0]
        else:
            raise ValueError(f"op {op} not in the evaluator")
        env[n.output[0]] = y.astype(np.float32) if y.dtype != np.bool_ else y
    return [env[o.name] for o in model.graph.output], sorted(ops)


def main():
    enc_path, dec_path, raw, codes, out = sys.argv[1:6]
    verdict = {}
    for name, path in (("encoder", enc_path), ("decoder", dec_path)):
        m = onnx.load(path)
        onnx.checker.check_model(m, full_check=True)
        verdict[name] = {"ir": m.ir_version, "opset": m.opset_import[0].version}
    enc, dec = onnx.load(enc_path), onnx.load(dec_path)
    (h, *_), ops_e = run(enc, {"x": np.load(raw).astype(np.float32)})
    (r,), ops_d = run(dec, {"codes": np.load(codes).astype(np.float32)})
    np.save(f"{out}/onnx-codes.npy", h.astype(np.float32))
    np.save(f"{out}/onnx-reconstructions.npy", r.astype(np.float32))
    print(json.dumps({"checked": verdict, "ops": sorted(set(ops_e) | set(ops_d))}))


if __name__ == "__main__":
    main()
