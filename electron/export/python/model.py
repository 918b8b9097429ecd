"""The explorer's autoencoder as a torch.nn.Module, for every family it trains.

Written by `manifold-explorer export --format pytorch`. It mirrors the explorer's engine
(electron/engine/models/*.ts, layers/*.ts, losses.ts, psd/ista.ts) layer for layer, so the
weights in weights.safetensors load without any conversion and encode/decode give the same
numbers (float32). Everything works in *normalised* units, as the engine does:
x_norm = (x - offset) / scale with the training normaliser from config.json; `normalize` and
`denormalize` map in and out, and `encode_raw` / `reconstruct_raw` take the data's own units.

Weights keep the explorer's layout: a dense layer's matrix is [in, out] and y = act(x @ w + b)
(nn.Linear stores the transpose). Tied decoder layers read their encoder mirror's matrix
transposed, W_dec = W_enc^T, and keep their own bias.

Only torch is needed (numpy only in train.py, to read and write .npy files).
"""
import json
import math
import os

import torch
import torch.nn.functional as F
from torch import nn

from weights import read_safetensors, write_safetensors  # noqa: F401 (re-exported)

# ─── Activations and their derivatives ─────────────────────────────────────────────────────────

ACTIVATIONS = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "elu": F.elu,
    "linear": lambda z: z,
}


def activate(z, name):
    return ACTIVATIONS[name](z)


def activation_derivative(z, name):
    """a'(z), as the engine's contractive penalty writes it (regularizers/contractive.ts)."""
    if name == "relu":
        return (z > 0).to(z.dtype)  # relu'' = 0: no gradient flows through the mask
    if name == "tanh":
        return 1 - torch.tanh(z) ** 2
    if name == "sigmoid":
        s = torch.sigmoid(z)
        return s * (1 - s)
    if name == "elu":
        m = (z > 0).to(z.dtype)
        return m + (1 - m) * torch.exp(torch.clamp(z, max=0))
    return torch.ones_like(z)


class StraightThrough(torch.autograd.Function):
    """1[p > 1/2] forward, the identity backward (hashing's straight-through binariser)."""

    @staticmethod
    def forward(ctx, p):
        return (p > 0.5).to(p.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad


# ─── Layers ────────────────────────────────────────────────────────────────────────────────────


class Dense(nn.Module):
    """y = act(x @ w + b); w [n_in, n_out]. A tied layer has no w of its own (w is None)."""

    def __init__(self, n_in, n_out, activation, own_weight=True):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(n_in, n_out)) if own_weight else None
        self.b = nn.Parameter(torch.zeros(n_out))
        self.activation = activation
        self.n_in, self.n_out = n_in, n_out


def glorot_(w):
    """U(-a, a), a = sqrt(6 / (fan_in + fan_out)), on an [in, out] matrix (ParamStore.glorot)."""
    a = math.sqrt(6.0 / (w.shape[0] + w.shape[1]))
    with torch.no_grad():
        w.uniform_(-a, a)


# ─── Output distributions p(x | h) ─────────────────────────────────────────────────────────────


def output_mean(z, segments, gaussian_activation="linear"):
    """The mean of p(x | h) from the decoder's last pre-activation z [n, d] (losses.ts outputMean):
    sigmoid on bernoulli columns, softmax per one-hot group, the gaussian mean elsewhere."""
    if len(segments) == 1:
        return _segment_mean(z, segments[0]["kind"], gaussian_activation)
    parts = [
        _segment_mean(z[:, s["start"] : s["start"] + s["size"]], s["kind"], gaussian_activation)
        for s in segments
    ]
    return torch.cat(parts, 1)


def _segment_mean(z, kind, gaussian_activation):
    if kind == "bernoulli":
        return torch.sigmoid(z)
    if kind == "categorical":
        return torch.softmax(z, 1)
    return activate(z, gaussian_activation)


# ─── The models ────────────────────────────────────────────────────────────────────────────────


class Autoencoder(nn.Module):
    """What every family offers (engine/models/autoencoder.ts). All in normalised units."""

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        self.config = spec["config"]
        self.family = self.config["family"]
        self.input_dims = spec["inputDims"]
        self.latent = spec["latent"]
        self.segments = spec["output"]["segments"]
        n = spec["normalizer"]
        # Not parameters and not saved with the weights: config.json holds them.
        self.register_buffer("offset", torch.tensor(n["offset"], dtype=torch.float32), persistent=False)
        self.register_buffer("scale", torch.tensor(n["scale"], dtype=torch.float32), persistent=False)

    def normalize(self, x):
        return (x - self.offset) / self.scale

    def denormalize(self, x):
        return x * self.scale + self.offset

    def decode(self, h):
        """The mean of p(x | h): [n, k] -> [n, d]."""
        return output_mean(self.decode_logits(h), self.segments)

    def codes(self, x):
        """What codes.npy holds: encode(x), except hashing's thresholded 0/1 bits."""
        return self.encode(x)

    def reconstruct(self, x):
        return self.decode(self.codes(x))

    def encode_raw(self, x):
        return self.codes(self.normalize(x))

    def reconstruct_raw(self, x):
        return self.denormalize(self.reconstruct(self.normalize(x)))

    def decode_raw(self, h):
        return self.denormalize(self.decode(h))


def _stack_pre(layers, weights, x):
    """Every layer with its activation except the last, which returns its pre-activation."""
    h = x
    for i, (layer, w) in enumerate(zip(layers, weights)):
        z = h @ w + layer.b
        h = z if i == len(layers) - 1 else activate(z, layer.activation)
    return h


class DenseAutoencoder(Autoencoder):
    """linear, undercomplete, sparse, denoising, contractive, deep and hashing (models/dense.ts):
    encoder d -> hidden... -> k, decoder k -> ...hidden reversed -> d, optionally tied."""

    def __init__(self, spec):
        super().__init__(spec)
        c = self.config
        widths = [self.input_dims, *c["hidden"], self.latent]
        L = len(widths) - 1
        self.tied = bool(c["tied"])
        self.enc = nn.ModuleList(
            Dense(widths[i], widths[i + 1], c["codeActivation"] if i == L - 1 else c["activation"])
            for i in range(L)
        )
        self.dec = nn.ModuleList(
            Dense(widths[L - i], widths[L - i - 1], "linear" if i == L - 1 else c["activation"], not self.tied)
            for i in range(L)
        )

    def encoder_weights(self):
        return [l.w for l in self.enc]

    def decoder_weights(self):
        L = len(self.enc)
        return [self.enc[L - 1 - i].w.t() if self.tied else l.w for i, l in enumerate(self.dec)]

    def encoder_layers(self):
        """(w [in, out], b, activation) per encoder layer: what the contractive penalty reads."""
        return [(l.w, l.b, l.activation) for l in self.enc]

    def encode_pre(self, x):
        """The code layer's pre-activation a(x) (hashing's logits)."""
        return _stack_pre(self.enc, self.encoder_weights(), x)

    def encode(self, x):
        return activate(self.encode_pre(x), self.enc[-1].activation)

    def decode_logits(self, h):
        return _stack_pre(self.dec, self.decoder_weights(), h)

    def codes(self, x):
        h = self.encode(x)
        return (h > 0.5).to(h.dtype) if self.family == "hashing" else h

    def reset_parameters(self):
        """The engine's initialisation (not its random stream): Glorot matrices, zero biases,
        except the decoder's first hidden layer when it is non-linear, U(-a, a) with a = sqrt(3/k)
        (so its units' boundaries do not all pass through h = 0: models/dense.ts initialBias)."""
        L = len(self.enc)
        for l in self.enc:
            glorot_(l.w)
            nn.init.zeros_(l.b)
        for i, l in enumerate(self.dec):
            if l.w is not None:
                glorot_(l.w)
            if i == 0 and L > 1 and self.config["activation"] != "linear":
                a = math.sqrt(3.0 / l.n_in)
                with torch.no_grad():
                    l.b.uniform_(-a, a)
            else:
                nn.init.zeros_(l.b)


class VaeAutoencoder(Autoencoder):
    """The variational autoencoder (models/vae.ts): hidden layers, heads mu(x) and log sigma^2(x),
    a decoder with the chosen p(x | h), and (gaussian, learned) a per-feature log-variance."""

    def __init__(self, spec):
        super().__init__(spec)
        c = self.config
        widths = [self.input_dims, *c["hidden"]]
        k = self.latent
        self.enc = nn.ModuleList(Dense(widths[i], w, c["activation"]) for i, w in enumerate(c["hidden"]))
        top = widths[-1]
        self.mu = Dense(top, k, "linear")
        self.logvar = Dense(top, k, "linear")
        dw = [k, *reversed(c["hidden"]), self.input_dims]
        self.dec = nn.ModuleList(
            Dense(dw[i], dw[i + 1], "linear" if i == len(dw) - 2 else c["activation"]) for i in range(len(dw) - 1)
        )
        learned = c["outputVariance"] == "learned" and c["output"] != "bernoulli"
        # Saved as "dec.logvar" (the engine's name); see ENGINE_NAMES.
        self.output_logvar = nn.Parameter(torch.zeros(self.input_dims)) if learned else None

    def _top(self, x):
        h = x
        for l in self.enc:
            h = activate(h @ l.w + l.b, l.activation)
        return h

    def posterior(self, x):
        """mu(x) and log sigma^2(x): [n, k] each."""
        top = self._top(x)
        return top @ self.mu.w + self.mu.b, top @ self.logvar.w + self.logvar.b

    def encode(self, x):
        top = self._top(x)
        return top @ self.mu.w + self.mu.b

    def decode_logits(self, h):
        return _stack_pre(self.dec, [l.w for l in self.dec], h)

    def reset_parameters(self):
        for l in [*self.enc, self.mu, *self.dec]:
            glorot_(l.w)
            nn.init.zeros_(l.b)
        with torch.no_grad():
            self.logvar.w.normal_(0, 1e-3)  # small log-variances: early samples stay near mu
        nn.init.zeros_(self.logvar.b)
        if self.output_logvar is not None:
            nn.init.zeros_(self.output_logvar)


class PsdAutoencoder(Autoencoder):
    """Predictive sparse decomposition (models/psd.ts): a dictionary D with unit-norm atoms, stored
    as dict [k, d] (row j is atom D_{:,j}, so x_hat = h @ dict), and the fast predictor
    f(x) = G * tanh(x @ W + b) with a learned diagonal gain G."""

    def __init__(self, spec):
        super().__init__(spec)
        k, d = self.latent, self.input_dims
        self.enc = Dense(d, k, "tanh")
        self.gain = nn.Parameter(torch.ones(k))
        self.dict = nn.Parameter(torch.zeros(k, d))

    def normalize_dictionary(self):
        """dict_j <- dict_j / ||dict_j|| (after every update)."""
        with torch.no_grad():
            self.dict.div_(torch.sqrt((self.dict**2).sum(1, keepdim=True) + 1e-12))

    def encode(self, x):
        return torch.tanh(x @ self.enc.w + self.enc.b) * self.gain

    def decode_logits(self, h):
        return h @ self.dict

    def decode(self, h):
        return self.decode_logits(h)

    def coding_options(self, steps=None):
        c = self.config
        p = c["psd"]
        return dict(lam=c["lambda"], gamma=p["gamma"], steps=p["steps"] if steps is None else steps, fista=p["fista"])

    def reset_parameters(self):
        glorot_(self.enc.w)
        nn.init.zeros_(self.enc.b)
        nn.init.ones_(self.gain)
        with torch.no_grad():
            self.dict.normal_()
        self.normalize_dictionary()


# ─── Building and loading ──────────────────────────────────────────────────────────────────────

# Parameter names that differ between the engine (weights.safetensors) and these modules.
ENGINE_NAMES = {"output_logvar": "dec.logvar"}
MODULE_NAMES = {v: k for k, v in ENGINE_NAMES.items()}


def build_model(spec):
    family = spec["config"]["family"]
    if family == "vae":
        return VaeAutoencoder(spec)
    if family == "psd":
        return PsdAutoencoder(spec)
    return DenseAutoencoder(spec)


def engine_state(model):
    """The model's parameters under the engine's names (what weights.safetensors holds)."""
    return {ENGINE_NAMES.get(k, k): v for k, v in model.state_dict().items()}


def load_weights(model, tensors):
    """Load {engine name: tensor}; every parameter must be there, with its shape."""
    state = {MODULE_NAMES.get(k, k): v for k, v in tensors.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ValueError(f"the weights do not fit the model: missing {missing}, unexpected {unexpected}")
    return model


def load(package_dir=None, weights=None):
    """The exported model with its trained weights: `load()` in the package folder, or
    `load('path/to/package')`; `weights` names another .safetensors (e.g. after train.py)."""
    package_dir = package_dir or os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(package_dir, "config.json"), encoding="utf-8") as fh:
        spec = json.load(fh)
    model = build_model(spec)
    load_weights(model, read_safetensors(weights or os.path.join(package_dir, "weights.safetensors")))
    return model
