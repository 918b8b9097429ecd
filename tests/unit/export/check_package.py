"""Test helper: load exported packages with /usr/bin/python3 and report what the explorer's
tests compare. One process for every case (torch is imported once).

    python3 check_package.py cases.json

cases.json: [{"package": DIR, "data": raw.npy, "batch": normalised.npy, "train": normalised.npy,
"draws": {name: .npy}, "progress": [epoch, epochs] | null, "out": DIR}]. For each case it writes
codes.npy and reconstructions.npy (from the raw data, through the normaliser) into "out" and
prints one JSON line: {"parts": {term: value}}.
"""
import json
import sys

import numpy as np
import torch


def main():
    cases = json.load(open(sys.argv[1], encoding="utf-8"))
    for case in cases:
        for name in ("model", "loss", "ista", "weights"):
            sys.modules.pop(name, None)
        sys.path.insert(0, case["package"])
        import loss
        import model

        sys.path.pop(0)
        m = model.load(case["package"])
        raw = torch.from_numpy(np.load(case["data"]).astype(np.float32))
        with torch.no_grad():
            np.save(f"{case['out']}/codes.npy", m.encode_raw(raw).numpy().astype(np.float32))
            np.save(f"{case['out']}/reconstructions.npy", m.reconstruct_raw(raw).numpy().astype(np.float32))
        train = torch.from_numpy(np.load(case["train"]))
        objective = loss.Objective(m, (train.min(0).values, train.max(0).values))
        draws = {k: torch.from_numpy(np.load(v)) for k, v in case["draws"].items()}
        xb = torch.from_numpy(np.load(case["batch"]))
        progress = tuple(case["progress"]) if case["progress"] else None
        terms = objective(xb, draws=draws, progress=progress)
        print(json.dumps({"parts": {k: float(v) for k, v in terms.items()}}), flush=True)


if __name__ == "__main__":
    main()
