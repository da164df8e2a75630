"""Train a small multilayer perceptron on scikit-learn's digits with numpy alone, and save its
weights as safetensors: real learned weights for the README's spectra and compression figures,
examples/NN-compress-a-model.ts and the `lowrank weights` tests.

Network: 64 -> 128 -> 128 -> 10, ReLU, softmax cross-entropy; weights stored as PyTorch's
nn.Linear stores them (fc<i>.weight is out x in, fc<i>.bias has out entries), float32.
Data: data/digits/digits.npy / target.npy (1797 8x8 images, pixels 0..16, scaled by 1/16);
rows 0..1436 train, rows 1437..1796 (360 images) test.
Training: He-initialized, Adam (lr 1e-3, betas 0.9/0.999), minibatches of 32, 60 epochs,
L2 weight decay 1e-3, seed 0. Deterministic: the same numpy gives the same file.

Usage: /tmp/ref-venv/bin/python scripts/train-digits-mlp.py
Writes test/fixtures/safetensors/digits-mlp.safetensors (about 100 KB) and prints the test
accuracy (also stored in the metadata).
"""
import json
import os

import numpy as np
from safetensors.numpy import save_file

ROOT = os.path.join(os.path.dirname(__file__), "..")
OUT = os.path.join(ROOT, "test", "fixtures", "safetensors", "digits-mlp.safetensors")
TRAIN = 1437
SIZES = [64, 128, 128, 10]
EPOCHS = 60
BATCH = 32
LR = 1e-3
DECAY = 1e-3

X = np.load(os.path.join(ROOT, "data", "digits", "digits.npy")).astype(np.float64) / 16.0
y = np.load(os.path.join(ROOT, "data", "digits", "target.npy")).astype(np.int64)
Xtr, ytr, Xte, yte = X[:TRAIN], y[:TRAIN], X[TRAIN:], y[TRAIN:]

rng = np.random.default_rng(0)
params = []
for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
    W = rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)
    params += [W, np.zeros(fan_out)]


def forward(params, X):
    """Activations of every layer (the input first) and the logits."""
    acts = [X]
    h = X
    n = len(params) // 2
    for i in range(n):
        z = h @ params[2 * i].T + params[2 * i + 1]
        h = np.maximum(z, 0) if i < n - 1 else z
        acts.append(h)
    return acts


def accuracy(params, X, y):
    return float((forward(params, X)[-1].argmax(1) == y).mean())


m = [np.zeros_like(p) for p in params]
v = [np.zeros_like(p) for p in params]
t = 0
for epoch in range(EPOCHS):
    order = rng.permutation(TRAIN)
    for b0 in range(0, TRAIN, BATCH):
        idx = order[b0 : b0 + BATCH]
        acts = forward(params, Xtr[idx])
        logits = acts[-1]
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = p
        g[np.arange(len(idx)), ytr[idx]] -= 1
        g /= len(idx)
        grads = [None] * len(params)
        for i in reversed(range(len(params) // 2)):
            grads[2 * i] = g.T @ acts[i] + DECAY * params[2 * i]
            grads[2 * i + 1] = g.sum(0)
            if i > 0:
                g = (g @ params[2 * i]) * (acts[i] > 0)
        t += 1
        for k, (pk, gk) in enumerate(zip(params, grads)):
            m[k] = 0.9 * m[k] + 0.1 * gk
            v[k] = 0.999 * v[k] + 0.001 * gk * gk
            mh = m[k] / (1 - 0.9**t)
            vh = v[k] / (1 - 0.999**t)
            params[k] = pk - LR * mh / (np.sqrt(vh) + 1e-8)

train_acc = accuracy(params, Xtr, ytr)
test_acc = accuracy(params, Xte, yte)
tensors = {}
for i in range(len(params) // 2):
    tensors[f"fc{i + 1}.weight"] = params[2 * i].astype(np.float32)
    tensors[f"fc{i + 1}.bias"] = params[2 * i + 1].astype(np.float32)
# The float32 weights as stored score the same (checked here, so the metadata is exact).
stored = [tensors[k].astype(np.float64) for k in ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias")]
test_acc_stored = accuracy(stored, Xte, yte)
metadata = {
    "format": "pt",
    "model": "MLP 64-128-128-10, ReLU; y = fc3(relu(fc2(relu(fc1(x / 16)))))",
    "data": "data/digits/digits.npy: rows 0..1436 train, rows 1437..1796 test; inputs scaled by 1/16",
    "training": json.dumps({"optimizer": "adam", "lr": LR, "batch": BATCH, "epochs": EPOCHS, "weight_decay": DECAY, "seed": 0}),
    "train_accuracy": f"{train_acc:.6f}",
    "test_accuracy": f"{test_acc_stored:.6f}",
    "producer": "scripts/train-digits-mlp.py (numpy)",
}
save_file(tensors, OUT, metadata=metadata)
print(f"train accuracy {train_acc:.4f}, test accuracy {test_acc_stored:.4f} ({round(test_acc_stored * len(yte))}/{len(yte)}); wrote {OUT} ({os.path.getsize(OUT)} bytes)")
for k, W in tensors.items():
    if W.ndim == 2:
        s = np.linalg.svd(W.astype(np.float64), compute_uv=False)
        e = np.cumsum(s**2) / np.sum(s**2)
        print(f"  {k} {W.shape}: stable rank {np.sum(s**2) / s[0]**2:.2f}, rank for 90% energy {int(np.argmax(e >= 0.9)) + 1}")
