#!/usr/bin/env python3
"""Fixtures and checks for lowrank's LoRA support (src/models/weights/lora*.ts, `lowrank lora`).

Needs numpy and safetensors; the PEFT parts need torch and peft too. On these machines:
    python3 -m venv /tmp/peft-venv && /tmp/peft-venv/bin/pip install --no-index \
        --find-links /opt/pypi/files --find-links /opt/pypi-more/files peft safetensors numpy

Generate (writes test/fixtures/lora/):
    /tmp/peft-venv/bin/python scripts/gen-lora-fixtures.py

  planted-base.safetensors, planted-tuned.safetensors
      A small transformer-shaped model (float32) and a "fine-tune" of it with planted updates:
      model.layers.0.self_attn.q_proj  exact rank 3
      model.layers.1.self_attn.q_proj  exact rank 2
      model.layers.0.mlp.fc1           rank 6 plus small full-rank noise
      model.norm.weight                changed (1-D: LoRA cannot carry it)
      everything else                  unchanged
  planted.json
      numpy's singular values of every planted update (float64 from the float32 files) and
      the relative error ||dW - dW_r||_F / ||dW||_F of its best rank-r approximation.
  peft-adapter/ (adapter_model.safetensors, adapter_config.json)
      an adapter saved by PEFT's save_pretrained for the planted base (r 4, lora_alpha 8,
      target_modules q_proj and fc1, random non-zero factors), and peft-merged.safetensors,
      PEFT's merge_and_unload of it: lowrank's merge must give the same weights.
  peft-adapter-patterns/ and peft-merged-patterns.safetensors
      the same with rank_pattern, alpha_pattern and use_rslora (PEFT's per-module scaling).
  digits-mlp-shifted.safetensors
      the digits MLP (test/fixtures/safetensors/digits-mlp.safetensors, from
      scripts/train-digits-mlp.py) fine-tuned with numpy on the same digits shifted one pixel
      to the right (weights only, biases frozen as in LoRA training; Adam lr 1e-3, 15 epochs,
      batch 32, seed 1): real learned weight updates for examples/NN-extract-a-lora.ts and
      the README. The metadata holds the accuracies.

Check an adapter lowrank wrote (used by test/cli/lora.test.ts when this venv exists):
    /tmp/peft-venv/bin/python scripts/gen-lora-fixtures.py --check ADAPTER_DIR BASE TUNED
  reads the adapter with Python's safetensors, checks PEFT's key layout and config fields,
  loads it with peft.PeftModel.from_pretrained onto the torch model of the planted base and
  prints, per module, ||merged - tuned||_F / ||tuned - base||_F after merge_and_unload, as JSON.
"""
import json
import os
import sys

import numpy as np
from safetensors.numpy import load_file, save_file

ROOT = os.path.join(os.path.dirname(__file__), "..")
OUT = os.path.join(ROOT, "test", "fixtures", "lora")
D_MODEL, D_Q, D_FF, VOCAB = 32, 48, 64, 100


def planted_base(rng):
    t = {}
    for i in range(2):
        t[f"model.layers.{i}.self_attn.q_proj.weight"] = rng.standard_normal((D_Q, D_MODEL)) / np.sqrt(D_MODEL)
        t[f"model.layers.{i}.self_attn.v_proj.weight"] = rng.standard_normal((D_Q, D_MODEL)) / np.sqrt(D_MODEL)
        t[f"model.layers.{i}.mlp.fc1.weight"] = rng.standard_normal((D_FF, D_MODEL)) / np.sqrt(D_MODEL)
        t[f"model.layers.{i}.mlp.fc1.bias"] = np.zeros(D_FF)
    t["model.norm.weight"] = np.ones(D_MODEL)
    t["lm_head.weight"] = rng.standard_normal((VOCAB, D_MODEL)) / np.sqrt(D_MODEL)
    return {k: v.astype(np.float32) for k, v in t.items()}


def low_rank(rng, m, n, r, scale):
    return scale * (rng.standard_normal((m, r)) @ rng.standard_normal((r, n))) / np.sqrt(m * n)


def torch_model():
    import torch
    from torch import nn

    class Attn(nn.Module):
        def __init__(self):
            super().__init__()
            self.q_proj = nn.Linear(D_MODEL, D_Q, bias=False)
            self.v_proj = nn.Linear(D_MODEL, D_Q, bias=False)

    class Mlp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(D_MODEL, D_FF)

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.self_attn = Attn()
            self.mlp = Mlp()

    class Inner(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([Layer(), Layer()])
            self.norm = nn.Module()
            self.norm.weight = nn.Parameter(torch.ones(D_MODEL))

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = Inner()
            self.lm_head = nn.Linear(D_MODEL, VOCAB, bias=False)

    return Model()


def load_into(model, tensors):
    import torch

    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in tensors.items()}, strict=True)
    return model


def peft_fixture(base, name, config_kwargs, seed):
    """An adapter saved by PEFT for the planted base (random non-zero factors) and its merge."""
    import torch
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    model = load_into(torch_model(), base)
    peft_model = get_peft_model(model, LoraConfig(**config_kwargs))
    with torch.no_grad():
        for n, p in peft_model.named_parameters():
            if "lora_" in n:
                p.copy_(torch.randn_like(p) * 0.1)
    adapter_dir = os.path.join(OUT, name)
    peft_model.save_pretrained(adapter_dir)
    os.remove(os.path.join(adapter_dir, "README.md"))  # PEFT's model card template: not part of the adapter
    merged = peft_model.merge_and_unload()
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in merged.state_dict().items()}
    save_file(sd, os.path.join(OUT, name.replace("adapter", "merged") + ".safetensors"), metadata={"format": "pt", "producer": "peft merge_and_unload (scripts/gen-lora-fixtures.py)"})


def digits_finetune():
    """Fine-tune the digits MLP on digits shifted one pixel right (weights only)."""
    base = load_file(os.path.join(ROOT, "test", "fixtures", "safetensors", "digits-mlp.safetensors"))
    X = np.load(os.path.join(ROOT, "data", "digits", "digits.npy")).astype(np.float64) / 16.0
    y = np.load(os.path.join(ROOT, "data", "digits", "target.npy")).astype(np.int64)
    # Shift every 8 x 8 image one pixel to the right (the first column becomes blank).
    img = X.reshape(-1, 8, 8)
    shifted = np.zeros_like(img)
    shifted[:, :, 1:] = img[:, :, :-1]
    Xs = shifted.reshape(-1, 64)
    TRAIN = 1437
    params = [base[f"fc{i}.{k}"].astype(np.float64) for i in (1, 2, 3) for k in ("weight", "bias")]

    def forward(params, X):
        acts = [X]
        h = X
        for i in range(3):
            z = h @ params[2 * i].T + params[2 * i + 1]
            h = np.maximum(z, 0) if i < 2 else z
            acts.append(h)
        return acts

    def acc(params, X, y):
        return float((forward(params, X)[-1].argmax(1) == y).mean())

    before = {"original": acc(params, X[TRAIN:], y[TRAIN:]), "shifted": acc(params, Xs[TRAIN:], y[TRAIN:])}
    rng = np.random.default_rng(1)
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for _ in range(15):
        order = rng.permutation(TRAIN)
        for b0 in range(0, TRAIN, 32):
            idx = order[b0 : b0 + 32]
            acts = forward(params, Xs[idx])
            p = np.exp(acts[-1] - acts[-1].max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            g = p
            g[np.arange(len(idx)), y[idx]] -= 1
            g /= len(idx)
            grads = [None] * 6
            for i in reversed(range(3)):
                grads[2 * i] = g.T @ acts[i]
                if i > 0:
                    g = (g @ params[2 * i]) * (acts[i] > 0)
            t += 1
            for k in (0, 2, 4):  # weights only: the biases stay frozen
                m[k] = 0.9 * m[k] + 0.1 * grads[k]
                v[k] = 0.999 * v[k] + 0.001 * grads[k] ** 2
                params[k] = params[k] - 1e-3 * (m[k] / (1 - 0.9**t)) / (np.sqrt(v[k] / (1 - 0.999**t)) + 1e-8)
    tensors = {f"fc{i}.{k}": params[2 * (i - 1) + j].astype(np.float32) for i in (1, 2, 3) for j, k in enumerate(("weight", "bias"))}
    stored = [tensors[f"fc{i}.{k}"].astype(np.float64) for i in (1, 2, 3) for k in ("weight", "bias")]
    after = {"original": acc(stored, X[TRAIN:], y[TRAIN:]), "shifted": acc(stored, Xs[TRAIN:], y[TRAIN:])}
    metadata = {
        "format": "pt",
        "model": "the digits MLP of scripts/train-digits-mlp.py, fine-tuned",
        "finetune": "digits shifted one pixel right (train rows 0..1436); weights only, biases frozen; adam lr 1e-3, batch 32, 15 epochs, seed 1",
        "base_test_accuracy_original": f"{before['original']:.6f}",
        "base_test_accuracy_shifted": f"{before['shifted']:.6f}",
        "test_accuracy_original": f"{after['original']:.6f}",
        "test_accuracy_shifted": f"{after['shifted']:.6f}",
        "producer": "scripts/gen-lora-fixtures.py (numpy)",
    }
    path = os.path.join(OUT, "digits-mlp-shifted.safetensors")
    save_file(tensors, path, metadata=metadata)
    print(f"digits fine-tune: shifted test accuracy {before['shifted']:.4f} -> {after['shifted']:.4f}; original {before['original']:.4f} -> {after['original']:.4f}")
    for i in (1, 2, 3):
        d = stored[2 * (i - 1)] - base[f"fc{i}.weight"].astype(np.float64)
        s = np.linalg.svd(d, compute_uv=False)
        print(f"  fc{i} update: ||dW||/||W|| {np.linalg.norm(d) / np.linalg.norm(base[f'fc{i}.weight']):.4f}, energy of rank 1/4/16: " + ", ".join(f"{np.sum(s[:r]**2) / np.sum(s**2):.3f}" for r in (1, 4, 16)))


def generate():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(18)
    base = planted_base(rng)
    tuned = {k: v.copy() for k, v in base.items()}
    updates = {
        "model.layers.0.self_attn.q_proj": low_rank(rng, D_Q, D_MODEL, 3, 0.5),
        "model.layers.1.self_attn.q_proj": low_rank(rng, D_Q, D_MODEL, 2, 0.5),
        "model.layers.0.mlp.fc1": low_rank(rng, D_FF, D_MODEL, 6, 0.5) + 1e-3 * rng.standard_normal((D_FF, D_MODEL)),
    }
    for m, d in updates.items():
        tuned[m + ".weight"] = (base[m + ".weight"] + d).astype(np.float32)
    tuned["model.norm.weight"] = (base["model.norm.weight"] + 0.01 * rng.standard_normal(D_MODEL)).astype(np.float32)
    save_file(base, os.path.join(OUT, "planted-base.safetensors"), metadata={"format": "pt"})
    save_file(tuned, os.path.join(OUT, "planted-tuned.safetensors"), metadata={"format": "pt"})
    expected = {}
    for m in updates:
        d = tuned[m + ".weight"].astype(np.float64) - base[m + ".weight"].astype(np.float64)
        s = np.linalg.svd(d, compute_uv=False)
        tail = lambda r: float(np.sqrt(np.sum(s[r:] ** 2)) / np.sqrt(np.sum(s**2)))
        expected[m] = {"singular_values": s.tolist(), "relative_error": {str(r): tail(r) for r in (1, 2, 3, 4, 8)}, "delta_norm": float(np.linalg.norm(d))}
    with open(os.path.join(OUT, "planted.json"), "w") as f:
        json.dump({"modules": expected, "changed_1d": ["model.norm.weight"], "unchanged_2d": sorted(k for k in base if base[k].ndim == 2 and k[: -len(".weight")] not in updates)}, f, indent=1)
        f.write("\n")
    peft_fixture(base, "peft-adapter", dict(r=4, lora_alpha=8, target_modules=["q_proj", "fc1"]), 0)
    peft_fixture(
        base,
        "peft-adapter-patterns",
        dict(r=4, lora_alpha=8, target_modules=["q_proj", "fc1", "v_proj"], use_rslora=True, rank_pattern={"layers.1.self_attn.q_proj": 2, "fc1": 6}, alpha_pattern={"v_proj": 3}),
        1,
    )
    digits_finetune()
    print(f"wrote {OUT}")


def check(adapter_dir, base_path, tuned_path):
    """Read an adapter lowrank wrote with Python's safetensors and PEFT; print what PEFT's merge gives."""
    import torch
    from peft import PeftModel
    from safetensors import safe_open

    config = json.load(open(os.path.join(adapter_dir, "adapter_config.json")))
    weights_path = os.path.join(adapter_dir, "adapter_model.safetensors")
    with safe_open(weights_path, framework="np") as f:
        keys = list(f.keys())
        shapes = {k: list(f.get_slice(k).get_shape()) for k in keys}
        meta = f.metadata()
    base = load_file(base_path)
    tuned = load_file(tuned_path)
    layout = []
    for k in keys:
        assert k.startswith("base_model.model."), k
        assert k.endswith(".lora_A.weight") or k.endswith(".lora_B.weight"), k
        module = k[len("base_model.model.") : -len(".lora_A.weight")]
        out, inn = base[module + ".weight"].shape
        want = [config["r"], inn] if ".lora_A." in k else [out, config["r"]]
        assert shapes[k] == want, (k, shapes[k], want)
        layout.append(module)
    model = load_into(torch_model(), base)
    peft_model = PeftModel.from_pretrained(model, adapter_dir)
    merged = {k: v.detach().numpy().astype(np.float64) for k, v in peft_model.merge_and_unload().state_dict().items()}
    errors = {}
    for module in sorted(set(layout)):
        w = module + ".weight"
        d = tuned[w].astype(np.float64) - base[w].astype(np.float64)
        errors[module] = float(np.linalg.norm(merged[w] - tuned[w]) / np.linalg.norm(d))
    untouched = [k for k in base if k[: -len(".weight")] not in layout and not np.array_equal(merged[k], base[k].astype(np.float64))]
    print(json.dumps({"keys": keys, "metadata": meta, "config": config, "relative_error": errors, "changed_outside_adapter": untouched}))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        generate()
