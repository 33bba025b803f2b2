#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# PyTorch peer of bench/train.bench.ts: the same spatial SNN (positions -> weights, the core's
# integer arithmetic in the forward pass, straight-through gradients, surrogate spikes, the same
# rate code, readout and Adam), the same batch size and the same MNIST images, timed the same way.
# Usage: torch-train.py <config.json>; prints one JSON line with samples per second.
import json, math, sys, time
import numpy as np
import torch

cfg = json.load(open(sys.argv[1]))
torch.set_num_threads(cfg["threads"])
torch.manual_seed(cfg["seed"])
rng = np.random.default_rng(cfg["seed"])
H, D, T, B = cfg["hidden"], cfg["dims"], cfg["steps"], cfg["batch"]
C, K = 784, 10


def idx(path, offset):
    return np.fromfile(path, dtype=np.uint8)[offset:]


images = idx(cfg["images"], 16).reshape(-1, C)
labels = idx(cfg["labels"], 8).astype(np.int64)
RATE = min(65536, max(1, round(cfg["maxRate"] * 65536)))
FULL = 255 * 65536


def encode(x):
    # The model file's rate code: acc += b*R each step; spike and subtract D when acc >= D.
    acc = np.zeros(x.shape, np.int64)
    out = np.zeros((T, x.shape[0], C), np.float32)
    inc = x.astype(np.int64) * RATE
    for t in range(T):
        acc += inc
        s = acc >= FULL
        out[t] = s
        acc -= s * FULL
    return torch.from_numpy(out)


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x >= 0).float()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (1 + 5 * x.abs()) ** 2


class Decay(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x.clone() if k == 15 else x - torch.sign(x) * torch.ceil(x.abs() / 2.0**k)

    @staticmethod
    def backward(ctx, g):
        return (g if ctx.k == 15 else g * (1 - 2.0**-ctx.k)), None


def ste_round(x):
    r = torch.sign(x) * torch.floor(x.abs() + 0.5)
    return x + (r - x).detach()


def exactly(approx, exact):
    return ste_round(approx + (exact - approx).detach())


def sat(x):
    return x + (x.clamp(-32768, 32767) - x).detach()


def sign(p):
    s = torch.sigmoid(10 * p)
    soft = 2 * s - 1
    return torch.where(p >= 0, 1.0, -1.0) + soft - soft.detach()


def round_away(x):
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def weight_scale(max_w, max_th):
    s = min(127 / max_w, 32767 / max_th)
    k = 0
    while k < 7 and max_th * s * 2 ** (k + 1) <= 32767 / 4:
        k += 1
    return s, k


L = D - 1
pos = [torch.nn.Parameter(torch.rand(n, L) * 2 - 1) for n in (C, H, K)]
signs = [torch.nn.Parameter((torch.rand(n) - 0.5) * 0.2) for n in (C, H)]
z = [torch.full((n, 1), float(l)) for l, n in enumerate((C, H, K))]
log_gain = [torch.nn.Parameter(torch.tensor(math.log(2 * 3.3 / math.sqrt(n)))) for n in (C, H)]
log_th = torch.nn.Parameter(torch.zeros(H))
log_temp = torch.nn.Parameter(torch.tensor(math.log(256 / 40)))
params = pos + signs + log_gain + [log_th, log_temp]
opt = torch.optim.Adam(params, lr=cfg["learningRate"])


def full(l):
    return torch.cat([pos[l], z[l]], 1)


def dist(a, b):
    return torch.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))


with torch.no_grad():
    # Keep the budget's strongest input synapses (shortest distances), fixed for the benchmark.
    d0 = dist(full(0), full(1)).flatten()
    keep = cfg["budget"] - H * K
    mask = torch.zeros(C * H)
    mask[torch.topk(-d0, keep).indices] = 1
    mask = mask.reshape(C, H)


def layer(l, m):
    w = sign(signs[l])[:, None] * torch.exp(log_gain[l]) / dist(full(l), full(l + 1)).clamp_min(0.05)
    return w * m if m is not None else w


def step(xb, yb):
    w1 = layer(0, mask)
    w2 = layer(1, None)
    # The core's integers, computed in float64 outside the graph (as the TS side does).
    th = torch.exp(log_th)
    w1n, w2n, thn = w1.detach().double().numpy(), w2.detach().double().numpy(), th.detach().double().numpy()
    s1, k1 = weight_scale(np.abs(w1n).max(), thn.max())
    m2 = np.abs(w2n).max()
    s2, k2 = weight_scale(m2, 256 * m2)
    q1 = torch.from_numpy(np.clip(round_away(w1n * s1), -128, 127) * 2**k1).float()
    q2 = torch.from_numpy(np.clip(round_away(w2n * s2), -128, 127) * 2**k2).float()
    t1 = torch.from_numpy(np.clip(round_away(thn * s1 * 2**k1), 1, 32767)).float()
    t2 = float(min(32767, max(1, round_away(256 * m2 * s2 * 2**k2))))
    w1q = exactly(w1 * s1 * 2**k1, q1)
    w2q = exactly(w2 * s2 * 2**k2, q2)
    th1 = exactly(th * s1 * 2**k1, t1)
    I = (xb.reshape(T * B, C) @ w1q).reshape(T, B, H)
    v = torch.zeros(B, H)
    spikes = []
    for t in range(T):
        cur = I[t - 1] if t >= 1 else torch.zeros(B, H)
        v = sat(Decay.apply(v, 3) + cur)
        s = Spike.apply((v - th1) / th1)
        v = v - s.detach() * th1
        spikes.append(s)
    S = torch.stack(spikes)
    O = (S.reshape(T * B, H) @ w2q).reshape(T, B, K)
    vo = torch.zeros(B, K)
    for t in range(1, T):
        vo = sat(vo + O[t - 1])
        so = (vo >= t2).float().detach()
        vo = vo * (1 - so)
    norm = vo / t2
    logits = norm * torch.exp(log_temp)
    loss = torch.nn.functional.cross_entropy(logits, yb) + torch.relu(norm - 0.75).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return (logits.argmax(1) == yb).sum().item()


order = rng.permutation(len(images))
n = cfg["warmup"] + cfg["batches"]
t_cpu = t_wall = None
for b in range(n):
    if b == cfg["warmup"]:
        t_cpu, t_wall = time.process_time(), time.perf_counter()
    ids = order[b * B : (b + 1) * B]
    step(encode(images[ids]), torch.from_numpy(labels[ids]))
cpu = time.process_time() - t_cpu
wall = time.perf_counter() - t_wall
samples = cfg["batches"] * B
print(json.dumps({"samplesPerSecond": samples / cpu, "wallSamplesPerSecond": samples / wall, "threads": cfg["threads"], "torch": torch.__version__}))
