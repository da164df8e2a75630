#!/usr/bin/env python3
"""Reference spectra for test/models/image/compress.test.ts.

Reads the committed photos in data/images/ (with Pillow), scales samples to [0, 1] and
writes test/fixtures/compress/<name>.json with numpy's singular values of each channel
(numpy.linalg.svd, LAPACK gesdd) and, for a few ranks k, the energy retained
sum(s[:k]^2) / sum(s^2) and the Eckart-Young relative error sqrt(1 - energy).
Also writes test/fixtures/compress/png-cases.json: small PNGs written by Pillow in the
color types the decoder must map (1-bit and 4-bit gray, palette with and without
transparency, 16-bit gray, gray + alpha, RGBA, RGB), base64-encoded, with the
samples the decoder must return.
Needs numpy and Pillow (e.g. /tmp/skl-venv/bin/python).
Run from the repository root: /tmp/skl-venv/bin/python scripts/gen-compress-fixtures.py
"""
import json
import os

import numpy as np
from PIL import Image

OUT = os.path.join('test', 'fixtures', 'compress')
RANKS = [1, 5, 10, 20, 30, 50, 100]


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in ['camera', 'chelsea']:
        img = np.asarray(Image.open(os.path.join('data', 'images', name + '.png')))
        if img.ndim == 2:
            img = img[:, :, None]
        h, w, channels = img.shape
        a = img.astype(np.float64) / 255.0
        spectra = [np.linalg.svd(a[:, :, c], compute_uv=False) for c in range(channels)]
        ranks = {}
        for k in RANKS:
            kept = [float(np.sum(s[:k] ** 2)) for s in spectra]
            tot = [float(np.sum(s ** 2)) for s in spectra]
            ranks[str(k)] = {
                'energy': [kv / tv for kv, tv in zip(kept, tot)],
                'energy_overall': sum(kept) / sum(tot),
                'relative_error_overall': float(np.sqrt(max(0.0, 1 - sum(kept) / sum(tot)))),
                'ratio': k * (h + w + 1) / (h * w),
            }
        data = {
            'file': f'data/images/{name}.png',
            'width': w,
            'height': h,
            'channels': channels,
            'sample_sum': [int(img[:, :, c].astype(np.int64).sum()) for c in range(channels)],
            'spectra': [[float(v) for v in s] for s in spectra],
            'ranks': ranks,
        }
        with open(os.path.join(OUT, name + '.json'), 'w') as f:
            json.dump(data, f)
        print(name, w, h, channels, {k: round(v['energy_overall'], 5) for k, v in ranks.items()})


def png_cases():
    import base64
    import io
    r = np.random.default_rng(7)
    cases = []

    def add(name, im, expected, channels, depth, **save):
        buf = io.BytesIO()
        im.save(buf, format='PNG', **save)
        cases.append({'name': name, 'png': base64.b64encode(buf.getvalue()).decode(), 'width': im.size[0], 'height': im.size[1],
                      'channels': channels, 'depth': depth, 'samples': [int(v) for v in np.asarray(expected).reshape(-1)]})

    bits = r.integers(0, 2, size=(5, 11)).astype(np.uint8)
    add('gray-1bit', Image.fromarray(bits * 255).convert('1'), bits * 255, 1, 8)
    g8 = r.integers(0, 256, size=(4, 7)).astype(np.uint8)
    add('gray-8bit', Image.fromarray(g8), g8, 1, 8)
    pal = r.integers(0, 256, size=(6, 3)).astype(np.uint8)
    idx = r.integers(0, 6, size=(5, 9)).astype(np.uint8)
    imp = Image.fromarray(idx, mode='P')
    imp.putpalette(pal.reshape(-1).tolist())
    add('palette-4bit', imp, pal[idx], 3, 8, bits=4)
    imt = Image.fromarray(idx, mode='P')
    imt.putpalette(pal.reshape(-1).tolist())
    alpha = np.array([255, 0, 128, 255, 10, 200], dtype=np.uint8)
    rgba = np.concatenate([pal[idx], alpha[idx][:, :, None]], axis=2)
    add('palette-trns', imt, rgba, 4, 8, transparency=alpha.tobytes())
    add('palette-8bit', imp, pal[idx], 3, 8, bits=8)
    g16 = r.integers(0, 65536, size=(6, 5)).astype(np.uint16)
    add('gray-16bit', Image.fromarray(g16.astype(np.int32), mode='I').convert('I;16'), g16, 1, 16)
    la = r.integers(0, 256, size=(4, 6, 2)).astype(np.uint8)
    add('gray-alpha', Image.fromarray(la, mode='LA'), la, 2, 8)
    rgba8 = r.integers(0, 256, size=(3, 8, 4)).astype(np.uint8)
    add('rgba', Image.fromarray(rgba8, mode='RGBA'), rgba8, 4, 8)
    rgb = r.integers(0, 256, size=(9, 10, 3)).astype(np.uint8)
    add('rgb', Image.fromarray(rgb, mode='RGB'), rgb, 3, 8)
    with open(os.path.join(OUT, 'png-cases.json'), 'w') as f:
        json.dump(cases, f)
    print('png cases', [c['name'] for c in cases])


if __name__ == '__main__':
    main()
    png_cases()
