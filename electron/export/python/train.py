"""Train the exported model with DistributedDataParallel, then write codes.npy as the explorer does.

    torchrun --nproc_per_node 2 train.py --data data.npy --epochs 10 --out trained
    python3 train.py --data data.npy --epochs 10 --out trained        # one process, no torchrun

--data is a NumPy .npy of rows x d numbers in the data's own units (what the explorer read; any
float or int dtype, C or Fortran order; np.save(path, array)). Rows are normalised with the
run's normaliser (config.json), as in the explorer. Each process trains on its share of the
training rows (DistributedSampler); gradients are averaged across processes (gloo on CPU, nccl on
CUDA), so --batch-size is per process and a step sees batch-size x processes rows.

Writes into --out (rank 0): codes.npy (float32, rows x k, input row order; vae: the means; hashing:
0/1), reconstructions.npy (float32, rows x d, original units), weights.safetensors (the trained
weights, engine names) and history.json (the loss before training and after each epoch). One JSON
line per epoch goes to stdout. Bring the codes back with
`manifold-explorer import --codes OUT/codes.npy --run RUN`.

Training continues from the exported weights (--init random starts afresh). Greedy pretraining is
not repeated: the exported weights already hold it; this is the fine-tuning objective.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from loss import Objective  # noqa: E402
from model import build_model, engine_state, load_weights  # noqa: E402
from weights import read_safetensors, write_safetensors  # noqa: E402

EVAL_SEED = 0x0E7A1  # the engine's fixed seed for evaluation noise: losses compare across epochs


def learning_rate(lr, schedule, progress, epochs):
    """The engine's schedules (optim/schedule.ts), progress in epochs from 0."""
    kind = schedule["kind"]
    if kind == "step":
        return lr * schedule["gamma"] ** math.floor(progress / schedule["every"])
    if kind == "exponential":
        return lr * schedule["gamma"] ** progress
    if kind == "cosine":
        low = lr * schedule["minFactor"]
        return low + 0.5 * (lr - low) * (1 + math.cos(math.pi * min(progress, epochs) / epochs))
    return lr


def read_data(path, dims):
    try:
        a = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as e:
        sys.exit(f"error: {path}: not a readable .npy file ({e})")
    if a.ndim != 2 or a.shape[1] != dims:
        sys.exit(f"error: {path}: shape {a.shape}; expected (rows, {dims}), the model's input width")
    if not np.issubdtype(a.dtype, np.number):
        sys.exit(f"error: {path}: dtype {a.dtype}; expected numbers")
    x = np.array(a, dtype=np.float32, order="C")  # a writable copy in memory (a memmap is read-only)
    bad = np.argwhere(~np.isfinite(x))
    if len(bad):
        r, c = bad[0]
        sys.exit(f"error: {path}: row {r + 1}, column {c + 1} is {x[r, c]}; expected finite numbers")
    return torch.from_numpy(x)


def setup():
    """(rank, world, device): torchrun's environment, or one plain process."""
    if "RANK" not in os.environ:
        return 0, 1, torch.device("cuda" if torch.cuda.is_available() else "cpu")
    cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if cuda else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    if cuda:
        local = int(os.environ.get("LOCAL_RANK", 0))
        torch.cuda.set_device(local)
        return rank, world, torch.device("cuda", local)
    return rank, world, torch.device("cpu")


def evaluate(objective, x, rank, world, device, chunk=2048):
    """Each term's mean over every row of x (shared out across processes, summed with all_reduce),
    with the engine's fixed evaluation seed and the full objective (KL warm-up over)."""
    objective.eval()
    part = x[rank::world]
    names = objective.names
    sums = torch.zeros(len(names) + 1, dtype=torch.float64, device=device)
    g = torch.Generator().manual_seed(EVAL_SEED + rank)
    for start in range(0, len(part), chunk):
        xb = part[start : start + chunk].to(device)
        with torch.no_grad():  # every term, the contractive ones too, is explicit: no autograd needed
            terms = objective(xb, generator=g)
        for i, n in enumerate(names):
            sums[i] += float(terms[n].detach()) * len(xb)
    sums[-1] = len(part)
    if world > 1:
        dist.all_reduce(sums)
    count = max(1.0, float(sums[-1]))
    objective.train()
    return {n: float(sums[i]) / count for i, n in enumerate(names)}


def main():
    p = argparse.ArgumentParser(description="train the exported autoencoder (DDP under torchrun)")
    p.add_argument("--data", required=True, help="rows x d .npy in the data's own units")
    p.add_argument("--out", default="trained", help="folder for codes.npy, weights.safetensors, history.json")
    p.add_argument("--epochs", type=int, default=None, help="default: the run's epochs")
    p.add_argument("--batch-size", type=int, default=None, help="rows per step per process (0: the whole share)")
    p.add_argument("--lr", type=float, default=None, help="default: the run's learning rate")
    p.add_argument("--val-split", type=float, default=None, help="held-out fraction (default: the run's)")
    p.add_argument("--seed", type=int, default=None, help="default: the run's seed")
    p.add_argument("--init", choices=["exported", "random"], default="exported")
    p.add_argument("--package", default=HERE, help="the exported package (config.json, weights.safetensors)")
    a = p.parse_args()

    with open(os.path.join(a.package, "config.json"), encoding="utf-8") as fh:
        spec = json.load(fh)
    t = spec["train"]
    epochs = a.epochs if a.epochs is not None else t["epochs"]
    batch = a.batch_size if a.batch_size is not None else t["batchSize"]
    lr = a.lr if a.lr is not None else t["lr"]
    val_split = a.val_split if a.val_split is not None else t["valSplit"]
    seed = a.seed if a.seed is not None else t["seed"]

    rank, world, device = setup()
    torch.manual_seed(seed)
    model = build_model(spec)
    if a.init == "exported":
        load_weights(model, read_safetensors(os.path.join(a.package, "weights.safetensors")))
    else:
        model.reset_parameters()
    model.to(device)

    raw = read_data(a.data, spec["inputDims"])
    x = model.normalize(raw.to(device)).cpu()
    rows = len(x)
    order = torch.randperm(rows, generator=torch.Generator().manual_seed(seed))
    n_val = min(rows - 1, max(1, round(rows * val_split))) if val_split > 0 and rows > 1 else 0
    train_idx = order[n_val:].sort().values
    train_x = x[train_idx]
    column_range = (train_x.min(0).values.to(device), train_x.max(0).values.to(device))

    objective = Objective(model, column_range).to(device)
    # A learned output variance with no gaussian column is a parameter no term uses.
    unused = getattr(model, "output_logvar", None) is not None and not any(
        s["kind"] == "gaussian" for s in model.segments
    )
    wrapped = DistributedDataParallel(objective, find_unused_parameters=unused) if world > 1 else objective
    params = [q for q in objective.parameters() if q.requires_grad]
    if t["optimizer"] == "sgd":
        opt = torch.optim.SGD(params, lr=lr, momentum=t["momentum"])
    else:
        opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)

    # DistributedSampler's scheme: one permutation of the training rows per epoch (the same on every
    # process), padded by repeating its start to a multiple of the processes, dealt out in turn.
    # Every process gets as many rows, so as many steps: DDP's all-reduces must pair up.
    per_process = math.ceil(len(train_x) / world)
    bs = per_process if batch == 0 or batch >= per_process else batch
    steps_per_epoch = math.ceil(per_process / bs)
    gen = torch.Generator().manual_seed(seed * 1000 + rank)  # noise draws: each process its own
    parts = evaluate(objective, train_x, rank, world, device)
    history = [{"epoch": 0, **parts, "loss": sum(parts.values()), "seconds": 0.0}]
    if rank == 0:
        print(json.dumps(history[0]), flush=True)
    started = time.perf_counter()
    for epoch in range(epochs):
        perm = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(seed + 7919 * epoch))
        perm = torch.cat([perm, perm[: per_process * world - len(perm)]])
        share = train_x[perm[rank::world]]
        for b in range(steps_per_epoch):
            progress = epoch + b / steps_per_epoch
            for group in opt.param_groups:
                group["lr"] = learning_rate(lr, t["schedule"], progress, epochs)
            xb = share[b * bs : (b + 1) * bs].to(device)
            terms = wrapped(xb, progress=(progress, epochs), generator=gen)
            opt.zero_grad(set_to_none=True)
            sum(terms.values()).backward()
            if t["clipNorm"] > 0:
                torch.nn.utils.clip_grad_norm_(params, t["clipNorm"])
            opt.step()
            objective.after_update()
        parts = evaluate(objective, train_x, rank, world, device)
        record = {"epoch": epoch + 1, **parts, "loss": sum(parts.values()), "seconds": time.perf_counter() - started}
        history.append(record)
        if rank == 0:
            print(json.dumps(record), flush=True)

    if rank == 0:
        os.makedirs(a.out, exist_ok=True)
        model.eval()
        codes, recs = [], []
        with torch.no_grad():
            for start in range(0, rows, 4096):
                xb = x[start : start + 4096].to(device)
                h = model.codes(xb)
                codes.append(h.cpu())
                recs.append(model.denormalize(model.decode(h)).cpu())
        np.save(os.path.join(a.out, "codes.npy"), torch.cat(codes).numpy().astype(np.float32))
        np.save(os.path.join(a.out, "reconstructions.npy"), torch.cat(recs).numpy().astype(np.float32))
        write_safetensors(os.path.join(a.out, "weights.safetensors"), engine_state(model.cpu()))
        with open(os.path.join(a.out, "history.json"), "w", encoding="utf-8") as fh:
            json.dump({"processes": world, "device": str(device), "history": history}, fh, indent=1)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
