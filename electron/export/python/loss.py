"""The explorer's training objective for every family, term by term (engine/losses.ts,
engine/families/*.ts, engine/regularizers/*.ts, engine/corruption.ts), so a batch's terms agree
with the explorer's. Each term is a batch mean, already weighted; the loss is their sum.

  linear, undercomplete, deep:  reconstruction  -log p(x | g(f(x)))
  sparse:                       + penalty        lambda * sum_i |h_i|
  denoising:                    reconstruction   -log p(x | g(f(x~))), x~ ~ C(x~ | x)
  contractive:                  + penalty        lambda * ||J_f(x)||_F^2 (closed form, exact, stochastic)
  hashing:                      reconstruction   through h = sigmoid(a + eps) or straight-through
  vae:                          reconstruction   -log p(x | mu + sigma * eps), + kl  beta * KL(q || N(0, I))
  psd:                          reconstruction   ||x - D h*||^2, penalty lambda ||h*||_1,
                                prediction       gamma ||h* - f(x)||^2, h* from ISTA/FISTA

-log p(x | h) leaves out its constant (d_gaussian / 2) log 2 pi, as the engine's training loss
does (nll_constant gives it; the engine's reported ELBO adds it back).

Randomness: every noise draw can be passed in `draws` (the test passes the engine's own draws,
so the terms agree exactly); absent, it is drawn with torch from `generator`:
  "noise"       denoising gaussian: eps [n, d], already scaled by sigma; hashing: eps [n, k] (scaled by s)
  "uniform"     denoising mask / salt-and-pepper: u [n, d] ~ U(0, 1), hit where u < nu
  "salt"        salt-and-pepper: u' [n, d] ~ U(0, 1), the max where u' < 1/2, else the min
  "eps"         vae: eps [n, k] ~ N(0, I)
  "contractive" stochastic penalty: [S, n, d], each already scaled by sigma
"""
import math

import torch
from torch import nn

from ista import infer_sparse_codes
from model import StraightThrough, activate, activation_derivative


def row_nll(x, z, segments, logvar=None, gaussian_activation="linear"):
    """-log p(x | h) per row without constants [n], from the decoder's last pre-activation z:
    gaussian 1/2 sum (x - mu)^2 (learned log sigma^2: 1/2 sum (x - mu)^2 / sigma^2 + log sigma^2),
    bernoulli sum softplus(z) - x z, categorical -sum_G x log softmax(z_G)."""
    whole = len(segments) == 1
    total = 0
    for s in segments:
        a, b = s["start"], s["start"] + s["size"]
        xs = x if whole else x[:, a:b]
        zs = z if whole else z[:, a:b]
        if s["kind"] == "bernoulli":
            term = (torch.nn.functional.softplus(zs) - xs * zs).sum(1)
        elif s["kind"] == "categorical":
            term = -(xs * torch.log_softmax(zs, 1)).sum(1)
        else:
            sq = (xs - activate(zs, gaussian_activation)) ** 2
            if logvar is None:
                term = 0.5 * sq.sum(1)
            else:
                lv = logvar if whole else logvar[a:b]
                term = 0.5 * (sq * torch.exp(-lv) + lv).sum(1)
        total = total + term
    return total


def reconstruction_loss(x, z, segments, logvar=None):
    return row_nll(x, z, segments, logvar).mean()


def nll_constant(segments):
    """The constant row_nll leaves out: (d_gaussian / 2) log 2 pi."""
    d = sum(s["size"] for s in segments if s["kind"] == "gaussian")
    return 0.5 * d * math.log(2 * math.pi)


def _draw(draws, name, make):
    return draws[name] if draws is not None and name in draws else make()


def _randn(shape, generator, like):
    """N(0, 1) draws from a CPU generator, moved to where `like` lives."""
    return torch.randn(shape, generator=generator).to(like.device)


def _rand(shape, generator, like):
    return torch.rand(shape, generator=generator).to(like.device)


def corrupt(x, noise, draws=None, generator=None, column_range=None):
    """C(x~ | x): gaussian x + eps; mask: each input 0 with probability nu; salt-and-pepper: each
    input its column's min or max (half the time each) with probability nu."""
    kind, level = noise["kind"], noise["level"]
    if level == 0:
        return x
    if kind == "gaussian":
        eps = _draw(draws, "noise", lambda: _randn(x.shape, generator, x) * level)
        return x + eps
    u = _draw(draws, "uniform", lambda: _rand(x.shape, generator, x))
    hit = (u < level).to(x.dtype)
    keep = 1 - hit
    if kind == "mask":
        return x * keep
    if column_range is None:
        raise ValueError("salt-and-pepper corruption needs the training columns' min and max")
    lo, hi = column_range
    salt = (_draw(draws, "salt", lambda: _rand(x.shape, generator, x)) < 0.5).to(x.dtype)
    extreme = salt * hi + (1 - salt) * lo
    return keep * x + hit * extreme


# ─── ||J_f(x)||_F^2 per point (regularizers/contractive.ts) ─────────────────────────────────────


def contractive_closed_form(x, w, b):
    """One sigmoid layer h = sigmoid(x W + b), W [d, k]: sum_j (h_j (1 - h_j))^2 sum_i W_ij^2."""
    h = torch.sigmoid(x @ w + b)
    return ((h * (1 - h)) ** 2 * (w**2).sum(0)).sum(1)


def contractive_exact(layers, x):
    """The chain rule for f = a_L(... a_1(x W_1 + b_1) ...): per point J = D_L W_L^T ... D_1 W_1^T,
    D_i = diag(a_i'(z_i)). With M = D_L W_L^T ... W_2^T D_1 [n, k, h1] and G = W_1^T W_1,
    ||J||_F^2 = sum_j (M G M^T)_jj."""
    ws = [w for w, _, _ in layers]
    ds = []
    h = x
    for w, b, a in layers:
        z = h @ w + b
        ds.append(activation_derivative(z, a))
        h = activate(z, a)
    L = len(layers)
    m = ds[-1][:, :, None] * ws[-1].t()[None]  # D_L W_L^T: [n, k, in_L]
    for i in range(L - 2, -1, -1):
        m = m * ds[i][:, None, :]  # . D_i: [n, k, out_i]
        if i > 0:
            m = m @ ws[i].t()  # . W_i^T: [n, k, in_i]
    if L == 1:
        return (m**2).sum((1, 2))  # M is J itself
    g = ws[0].t() @ ws[0]  # [h1, h1]
    return ((m @ g) * m).sum((1, 2))


def contractive_stochastic(f, x, sigma, samples, draws=None, generator=None):
    """(1/S) sum_s ||f(x + eps_s) - f(x)||^2 / sigma^2, eps_s ~ N(0, sigma^2 I) (CAE+H)."""
    eps = _draw(draws, "contractive", lambda: _randn((samples, *x.shape), generator, x) * sigma)
    fx = f(x)
    total = 0
    for s in range(samples):
        total = total + ((f(x + eps[s]) - fx) ** 2).sum(1)
    return total / (samples * sigma * sigma)


def contractive_penalty(model, x, draws=None, generator=None):
    cfg = model.config["contractive"]
    layers = model.encoder_layers()
    if cfg["method"] == "stochastic":
        return contractive_stochastic(model.encode, x, cfg["sigma"], cfg["samples"], draws, generator)
    if cfg["method"] == "closed-form" and len(layers) == 1 and layers[0][2] == "sigmoid":
        return contractive_closed_form(x, layers[0][0], layers[0][1])
    return contractive_exact(layers, x)


def gaussian_kl(mu, logvar):
    """KL(N(mu, diag sigma^2) || N(0, I)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)."""
    return 0.5 * ((mu**2 + torch.exp(logvar)) - (logvar + 1)).sum(1)


def kl_factor(config, progress):
    """The KL warm-up: beta rises linearly from 0 over config.klWarmup of the epochs. `progress` is
    (epoch, epochs), fractional epochs from 0; None means the full objective (validation)."""
    warmup = config["klWarmup"]
    if progress is None or warmup <= 0:
        return 1.0
    epoch, epochs = progress
    return min(1.0, epoch / (warmup * epochs))


PART_NAMES = {
    "sparse": ["reconstruction", "penalty"],
    "contractive": ["reconstruction", "penalty"],
    "vae": ["reconstruction", "kl"],
    "psd": ["reconstruction", "penalty", "prediction"],
}


def part_names(family):
    return PART_NAMES.get(family, ["reconstruction"])


class Objective(nn.Module):
    """The family's loss terms as a module (so DistributedDataParallel can wrap it):
    forward(x, draws, progress, generator) -> {term: scalar}. `column_range` (min, max per column
    of the normalised training rows) is needed by salt-and-pepper corruption only."""

    def __init__(self, model, column_range=None):
        super().__init__()
        self.model = model
        self.family = model.family
        self.names = part_names(self.family)
        self.column_range = column_range

    def forward(self, x, draws=None, progress=None, generator=None):
        m, c, f = self.model, self.model.config, self.family
        if f == "vae":
            mu, logvar = m.posterior(x)
            eps = _draw(draws, "eps", lambda: _randn(mu.shape, generator, mu))
            h = mu + torch.exp(0.5 * logvar) * eps
            rec = reconstruction_loss(x, m.decode_logits(h), m.segments, m.output_logvar)
            beta = c["lambda"] * kl_factor(c, progress)
            return {"reconstruction": rec, "kl": beta * gaussian_kl(mu, logvar).mean()}
        if f == "psd":
            fx = m.encode(x)
            h = infer_sparse_codes(x, m.dict.detach(), fx.detach(), fx.detach(), **m.coding_options())
            rec = ((x - h @ m.dict) ** 2).sum(1).mean()
            pen = c["lambda"] * h.abs().sum(1).mean()
            pred = c["psd"]["gamma"] * ((h - fx) ** 2).sum(1).mean()
            return {"reconstruction": rec, "penalty": pen, "prediction": pred}
        if f == "hashing":
            a = m.encode_pre(x)
            hc = c["hashing"]
            if hc["method"] == "straight-through":
                h = StraightThrough.apply(torch.sigmoid(a))
            elif hc["noiseStd"] == 0:
                h = torch.sigmoid(a)
            else:
                eps = _draw(draws, "noise", lambda: _randn(a.shape, generator, a) * hc["noiseStd"])
                h = torch.sigmoid(a + eps)
            return {"reconstruction": reconstruction_loss(x, m.decode_logits(h), m.segments)}
        inp = corrupt(x, c["noise"], draws, generator, self.column_range) if f == "denoising" else x
        h = m.encode(inp)
        rec = reconstruction_loss(x, m.decode_logits(h), m.segments)
        if f == "sparse":
            return {"reconstruction": rec, "penalty": (c["lambda"] * h.abs().sum(1)).mean()}
        if f == "contractive":
            return {"reconstruction": rec, "penalty": c["lambda"] * contractive_penalty(m, x, draws, generator).mean()}
        return {"reconstruction": rec}

    def after_update(self):
        """PSD renormalises its dictionary's atoms after every step."""
        if self.family == "psd":
            self.model.normalize_dictionary()
