#!/usr/bin/env python3
"""Regenerate the control-systems test fixtures in test/fixtures/control/.

    /tmp/ref-venv/bin/python scripts/gen-control-fixtures.py

References (python-control 0.10 with slycot, scipy):
- balred-<name>.json: a stable system (A, B, C, D), python-control's
  hankel_singular_values(sys) (square roots of the eigenvalues of Wo Wc, accurate to about
  sqrt(eps) sigma_1; NaNs from tiny negative eigenvalues dropped) and the Hankel
  singular values SLICOT AB09AD returns (square-root method, accurate down to eps sigma_1),
  and for each order r the reduced model of balred(sys, r, method='truncate') (AB09AD,
  balanced square-root truncation) with the frequency responses sys(1j w) of the full and
  the reduced model on a log grid of w. The Gramians gram(sys, 'c') and gram(sys, 'o').
- lyapunov-<name>.json: A, Q and scipy.linalg.solve_continuous_lyapunov(A, Q)
  (A X + X A^T = Q).
- sylvester-<name>.json: A, B, C and scipy.linalg.solve_sylvester(A, B, C) (A X + X B = C).

Matrices are written row by row as JSON lists (Python's float repr round-trips, so the
values are the references' to full precision); seeded generators make the output
deterministic.
"""
import json
import os

import control
import numpy as np
import scipy.linalg as sl
from slycot import ab09ad

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'control')
OMEGA = np.logspace(-2, 2, 41)


def mass_spring_damper(masses, k, c):
    """A chain of len(masses) masses, mass i tied to mass i-1 (mass 0 to a wall) by a
    spring k and a damper c; input: a force on mass 0; output: the position of the last mass.
    State x = (positions, velocities)."""
    N = len(masses)
    K = np.zeros((N, N))
    Cd = np.zeros((N, N))
    for i in range(N):
        K[i, i] += k
        Cd[i, i] += c
        if i > 0:
            K[i - 1, i - 1] += k
            K[i, i - 1] -= k
            K[i - 1, i] -= k
            Cd[i - 1, i - 1] += c
            Cd[i, i - 1] -= c
            Cd[i - 1, i] -= c
    Minv = np.diag(1.0 / np.asarray(masses, dtype=float))
    A = np.block([[np.zeros((N, N)), np.eye(N)], [-Minv @ K, -Minv @ Cd]])
    B = np.zeros((2 * N, 1))
    B[N, 0] = 1.0 / masses[0]
    C = np.zeros((1, 2 * N))
    C[0, N - 1] = 1.0
    return A, B, C, np.zeros((1, 1))


def random_stable(n, m, p, seed, with_d):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) / np.sqrt(n) - 1.5 * np.eye(n)
    B = rng.standard_normal((n, m))
    C = rng.standard_normal((p, n))
    D = rng.standard_normal((p, m)) if with_d else np.zeros((p, m))
    return A, B, C, D


def response(sys, omega):
    re, im = [], []
    for w in omega:
        G = np.atleast_2d(np.asarray(sys(1j * w)))
        re.append(G.real.tolist())
        im.append(G.imag.tolist())
    return re, im


def balred_case(name, A, B, C, D, orders):
    n, m = B.shape
    p = C.shape[0]
    sys = control.ss(A, B, C, D)
    hsv_control = control.hankel_singular_values(sys)
    _, _, _, _, hsv_ab09ad = ab09ad('C', 'B', 'N', n, m, p, A, B, C, nr=n, tol=0.0)
    full_re, full_im = response(sys, OMEGA)
    reduced = []
    for r in orders:
        red = control.balred(sys, r, method='truncate')
        re, im = response(red, OMEGA)
        reduced.append({
            'order': r,
            'Ar': red.A.tolist(), 'Br': red.B.tolist(), 'Cr': red.C.tolist(), 'Dr': np.atleast_2d(red.D).tolist(),
            'response_real': re, 'response_imag': im,
        })
    data = {
        'name': name,
        'A': A.tolist(), 'B': B.tolist(), 'C': C.tolist(), 'D': D.tolist(),
        # sqrt of a tiny negative eigenvalue of Wo Wc is NaN (sorted first by numpy): dropped,
        # so this list holds the finite values, descending.
        'hsv_control': sorted((float(v) for v in np.real(hsv_control) if np.isfinite(v)), reverse=True),
        'hsv_ab09ad': np.asarray(hsv_ab09ad).tolist(),
        'Wc': control.gram(sys, 'c').tolist(),
        'Wo': control.gram(sys, 'o').tolist(),
        'omega': OMEGA.tolist(),
        'response_real': full_re, 'response_imag': full_im,
        'reduced': reduced,
    }
    with open(os.path.join(OUT, f'balred-{name}.json'), 'w') as f:
        json.dump(data, f)
    print(f'balred-{name}: n={n} m={m} p={p} hsv={np.asarray(hsv_ab09ad)[:4]}...')


def main():
    os.makedirs(OUT, exist_ok=True)
    # A chain of 10 masses with a little variation, n = 20, SISO.
    masses = 1.0 + 0.1 * np.arange(10)
    A, B, C, D = mass_spring_damper(masses, k=2.0, c=0.3)
    balred_case('msd10', A, B, C, D, [2, 4, 6, 10])
    # Random stable MIMO with a feedthrough, n = 30, m = 3, p = 2.
    A, B, C, D = random_stable(30, 3, 2, seed=1, with_d=True)
    balred_case('random30', A, B, C, D, [4, 8, 12])
    # Random stable, n = 12, two inputs, three outputs, no D.
    A, B, C, D = random_stable(12, 2, 3, seed=2, with_d=False)
    balred_case('random12', A, B, C, D, [3, 6])

    rng = np.random.default_rng(7)
    for name, n, sym in [('stable40-sym', 40, True), ('stable40', 40, False), ('stable7', 7, False)]:
        A = rng.standard_normal((n, n)) / np.sqrt(n) - 1.2 * np.eye(n)
        Q = rng.standard_normal((n, n))
        if sym:
            Q = Q + Q.T
        X = sl.solve_continuous_lyapunov(A, Q)
        with open(os.path.join(OUT, f'lyapunov-{name}.json'), 'w') as f:
            json.dump({'name': name, 'A': A.tolist(), 'Q': Q.tolist(), 'X': X.tolist()}, f)
        print(f'lyapunov-{name}: n={n}')
    # Not stable but solvable: eigenvalues of both signs, no pair summing to zero.
    A = np.diag([1.0, -2.0, 3.5, -0.25]) + np.triu(rng.standard_normal((4, 4)), 1)
    Q = rng.standard_normal((4, 4))
    X = sl.solve_continuous_lyapunov(A, Q)
    with open(os.path.join(OUT, 'lyapunov-indefinite4.json'), 'w') as f:
        json.dump({'name': 'indefinite4', 'A': A.tolist(), 'Q': Q.tolist(), 'X': X.tolist()}, f)

    for name, m, n in [('30x20', 30, 20), ('9x13', 9, 13), ('1x5', 1, 5)]:
        A = rng.standard_normal((m, m))
        B = rng.standard_normal((n, n)) + 3 * np.eye(n)
        C = rng.standard_normal((m, n))
        X = sl.solve_sylvester(A, B, C)
        with open(os.path.join(OUT, f'sylvester-{name}.json'), 'w') as f:
            json.dump({'name': name, 'A': A.tolist(), 'B': B.tolist(), 'C': C.tolist(), 'X': X.tolist()}, f)
        print(f'sylvester-{name}')


if __name__ == '__main__':
    main()
