"""weights.safetensors read with torch alone, and written (train.py) with numpy's help.

The format (Hugging Face's safetensors): an 8-byte little-endian header length N, N bytes of
JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}} padded with spaces,
then the raw little-endian tensor data. The `safetensors` package reads these files too.
"""
import json
import os
import struct

import torch


def read_safetensors(path):
    """{name: float32 tensor} from a .safetensors file: an 8-byte little-endian header length N,
    N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}}, then the raw data."""
    with open(path, "rb") as fh:
        blob = fh.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    body = bytearray(blob[8 + n :])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}; expected F32")
        begin, end = entry["data_offsets"]
        t = torch.frombuffer(body[begin:end], dtype=torch.float32) if end > begin else torch.zeros(0)
        out[name] = t.reshape(entry["shape"]).clone()
    return out


def write_safetensors(path, tensors, metadata=None):
    """The inverse of read_safetensors (float32, little-endian, header padded to 8 bytes)."""
    header, chunks, at = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().cpu().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [at, at + len(data)]}
        chunks.append(data)
        at += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(struct.pack("<Q", len(raw)))
        fh.write(raw)
        for c in chunks:
            fh.write(c)
    os.replace(tmp, path)
