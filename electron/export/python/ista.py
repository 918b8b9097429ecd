"""PSD's sparse inference (electron/engine/psd/ista.ts): minimise, per row,
E(h) = ||x - h @ dict||^2 + lam ||h||_1 + gamma ||h - f(x)||^2 by ISTA or FISTA, started at f(x)."""
import math

import torch


def soft_threshold(v, t):
    """S_t(v) = sign(v) max(|v| - t, 0) = relu(v - t) - relu(-v - t)."""
    return torch.relu(v - t) - torch.relu(-v - t)


def largest_eigenvalue(a, iterations=50):
    """An upper estimate of lambda_max of a symmetric PSD matrix a [k, k]: power iteration with a
    5% margin, never above Gershgorin's bound max_i sum_j |a_ij|."""
    k = a.shape[0]
    v = torch.full((k, 1), 1 / math.sqrt(k), dtype=a.dtype, device=a.device)
    for _ in range(iterations):
        av = a @ v
        v = av / (torch.linalg.norm(av) + 1e-30)
    rayleigh = (v * (a @ v)).sum()
    return torch.minimum(rayleigh * 1.05, a.abs().sum(1).max())


@torch.no_grad()
def infer_sparse_codes(x, dictionary, f, h0, lam, gamma, steps, fista):
    """h* ~ argmin_h ||x - h @ dict||^2 + lam ||h||_1 + gamma ||h - f||^2 per row, by ISTA or FISTA
    (Beck & Teboulle) from h0. With A = dict dict^T and c = x dict^T the smooth part's gradient is
    2(h A - c) + 2 gamma (h - f), its Lipschitz constant L = 2(lambda_max(A) + gamma), and a step is
    h <- S_{lam/L}(h - grad/L)."""
    gram = dictionary @ dictionary.t()
    c = x @ dictionary.t()
    lipschitz = 2 * (largest_eigenvalue(gram) + gamma)
    h = y = h0
    t = 1.0
    for _ in range(steps):
        frm = y if fista else h
        g = 2 * (frm @ gram - c)
        if gamma > 0:
            g = g + 2 * gamma * (frm - f)
        nxt = soft_threshold(frm - g / lipschitz, lam / lipschitz)
        if fista:
            t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
            y = nxt + ((t - 1) / t_next) * (nxt - h)
            t = t_next
        h = nxt
    return h
