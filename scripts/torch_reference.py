#!/usr/bin/env python3
"""Reference throughput for the benchmark: the same MLP autoencoder trained with PyTorch on the CPU.

Needs Debian's python3-torch (apt-get install -y python3-torch); run with /usr/bin/python3.
Prints one JSON line: {"samples_per_second": ..., ...}. Compare a backend's figure with it in the same
run on the same machine: the ratio, not the absolute number, is what holds from machine to machine.

  /usr/bin/python3 scripts/torch_reference.py --dims 784 --hidden 256 --latent 32 --rows 8192 --epochs 3
"""
import argparse, json, time

import torch

p = argparse.ArgumentParser()
p.add_argument("--dims", type=int, default=784)
p.add_argument("--hidden", type=str, default="256", help="comma-separated encoder widths; decoder mirrors them")
p.add_argument("--latent", type=int, default=32)
p.add_argument("--rows", type=int, default=8192)
p.add_argument("--batch", type=int, default=128)
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--lr", type=float, default=1e-3)
a = p.parse_args()

torch.manual_seed(0)
torch.set_num_threads(a.threads)
widths = [int(w) for w in a.hidden.split(",") if w]
enc, prev = [], a.dims
for w in widths + [a.latent]:
    enc += [torch.nn.Linear(prev, w), torch.nn.ReLU()]
    prev = w
dec = []
for w in list(reversed(widths)) + [a.dims]:
    dec += [torch.nn.Linear(prev, w), torch.nn.ReLU() if w != a.dims else torch.nn.Sigmoid()]
    prev = w
model = torch.nn.Sequential(*enc, *dec)
opt = torch.optim.Adam(model.parameters(), a.lr)
x = torch.rand(a.rows, a.dims)


def epoch():
    perm = torch.randperm(a.rows)
    for i in range(0, a.rows, a.batch):
        b = x[perm[i:i + a.batch]]
        opt.zero_grad()
        loss = ((model(b) - b) ** 2).mean()
        loss.backward()
        opt.step()
    return float(loss)


epoch()  # warm-up
t = time.perf_counter()
for _ in range(a.epochs):
    last = epoch()
dt = time.perf_counter() - t
print(json.dumps({"framework": "pytorch-" + torch.__version__, "threads": a.threads, "dims": a.dims,
                  "hidden": widths, "latent": a.latent, "rows": a.rows, "batch": a.batch,
                  "epochs": a.epochs, "seconds": round(dt, 3),
                  "samples_per_second": round(a.rows * a.epochs / dt, 1), "last_loss": last}))
