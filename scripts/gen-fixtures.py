#!/usr/bin/env python3
"""Regenerate the I/O test fixtures in test/fixtures/ with numpy and scipy.

    python3 scripts/gen-fixtures.py

Writes small .npy files (every format version, dtype and layout lowrank reads, and the
kinds it must refuse), Matrix Market files (scipy.io.mmwrite plus hand-written edge
cases) and delimited text (numpy.savetxt), and test/fixtures/expected.json with the
values the readers must return. Values are stored row by row; NaN and infinities as the
strings "nan", "inf", "-inf" because JSON has no such numbers. Output is deterministic.
"""
import io
import json
import math
import os
import shutil

import numpy as np
import scipy.io
import scipy.sparse as sp

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
NPY, MTX, TEXT = (os.path.join(ROOT, d) for d in ('npy', 'mtx', 'text'))


def jsonable(a):
    """Row-major nested lists of a 2-D float array, non-finite values as strings."""
    def cell(v):
        v = float(v)
        if math.isnan(v):
            return 'nan'
        if math.isinf(v):
            return 'inf' if v > 0 else '-inf'
        return v
    return [[cell(v) for v in row] for row in np.asarray(a, dtype=np.float64)]


def as_matrix(a):
    """What lowrank returns: 0-d -> 1x1, 1-D (n,) -> n x 1 column."""
    a = np.asarray(a)
    if a.ndim == 0:
        return a.reshape(1, 1)
    if a.ndim == 1:
        return a.reshape(-1, 1)
    return a


def save_npy(name, arr, version=(1, 0)):
    path = os.path.join(NPY, name)
    with open(path, 'wb') as f:
        np.lib.format.write_array(f, arr, version=version, allow_pickle=True)
    return path


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    for d in (NPY, MTX, TEXT):
        os.makedirs(d)
    expected = {'npy': {}, 'npyErrors': {}, 'mtx': {}, 'mtxErrors': {}, 'text': {}}

    def npy_case(name, arr, version=(1, 0), matrix_dtype=None):
        save_npy(name, arr, version)
        m = as_matrix(arr)
        kind = arr.dtype
        if matrix_dtype is None:
            matrix_dtype = 'float32' if kind.kind == 'f' and kind.itemsize <= 4 else 'float64'
        expected['npy'][name] = {
            'version': version[0],
            'descr': np.lib.format.dtype_to_descr(kind),
            'shape': list(arr.shape),
            'fortranOrder': bool(arr.ndim == 2 and arr.flags.f_contiguous and not arr.flags.c_contiguous),
            'rows': m.shape[0],
            'cols': m.shape[1],
            'dtype': matrix_dtype,
            # float64 values as lowrank holds them (ints rounded to the nearest double).
            'values': jsonable(m.astype(np.float64)),
        }

    base = np.array([[1.5, -2.25, 1e-300, 3.0],
                     [0.1, 1 / 3, -0.0, 1e300],
                     [7.0, 8.0, -9.5, 2.0 ** -30]])
    for v in (1, 2, 3):
        npy_case(f'v{v}_f8_c.npy', base, (v, 0))
        npy_case(f'v{v}_f8_f.npy', np.asfortranarray(base), (v, 0))

    ints = np.array([[0, 1, -2, 3], [4, -5, 6, -7], [100, -100, 127, -128]])
    uints = np.abs(ints)
    npy_case('f4_c.npy', base[:, :2].astype('<f4') * np.float32(1))
    npy_case('f4_f.npy', np.asfortranarray(np.array([[0.1, 2.5], [-3.25, 1e-7]], dtype='<f4')))
    npy_case('f2.npy', np.array([[1.5, -2.0], [65504.0, 2.0 ** -24]], dtype='<f2'))
    npy_case('i1.npy', ints.astype('|i1'))
    npy_case('i2.npy', (ints * 250).astype('<i2'))
    npy_case('i4.npy', (ints * 10 ** 7).astype('<i4'))
    npy_case('i4_f.npy', np.asfortranarray((ints * 3).astype('<i4')))
    npy_case('i8.npy', np.array([[2 ** 53 + 1, -(2 ** 62)], [-1, 0]], dtype='<i8'))
    npy_case('u1.npy', uints.astype('|u1') * 2)
    npy_case('u2.npy', (uints * 500).astype('<u2'))
    npy_case('u4.npy', np.array([[4294967295, 0], [1, 7]], dtype='<u4'))
    npy_case('u8.npy', np.array([[18446744073709551615, 0], [2 ** 53 + 1, 5]], dtype='<u8'))
    npy_case('b1.npy', np.array([[True, False, True], [False, False, True]]))
    npy_case('f8_1d.npy', np.array([3.0, 1.0, 0.5, 0.25, 0.0]))
    npy_case('f8_0d.npy', np.array(42.5))
    npy_case('f8_empty.npy', np.zeros((0, 3)))
    npy_case('f8_row.npy', np.array([[1.0, 2.0, 3.0, 4.0]]))
    npy_case('f8_special.npy', np.array([[np.nan, np.inf], [-np.inf, -0.0]]))

    # Two arrays saved into one file handle: readable only with allowTrailing.
    with open(os.path.join(NPY, 'two_arrays.npy'), 'wb') as f:
        np.save(f, np.array([[1.0, 2.0]]))
        np.save(f, np.array([[3.0]]))

    for name, arr, err in [
        ('be_f8.npy', np.array([[1.0, 2.0]], dtype='>f8'), 'UnsupportedError'),
        ('be_i4.npy', np.array([1, 2], dtype='>i4'), 'UnsupportedError'),
        ('object.npy', np.array([{'a': 1}, None], dtype=object), 'UnsupportedError'),
        ('structured.npy', np.zeros(2, dtype=[('x', '<f8'), ('y', '<i4')]), 'UnsupportedError'),
        ('complex.npy', np.array([1 + 2j]), 'UnsupportedError'),
        ('unicode.npy', np.array(['ab', 'c']), 'UnsupportedError'),
        ('datetime.npy', np.array(['2020-01-01'], dtype='datetime64[D]'), 'UnsupportedError'),
        ('three_d.npy', np.zeros((2, 3, 4)), 'UnsupportedError'),
    ]:
        save_npy(name, arr)
        expected['npyErrors'][name] = err

    # ------------------------------------------------------------------ Matrix Market
    def mtx_case(name, dense, fmt, field, symmetry, nnz):
        expected['mtx'][name] = {
            'format': fmt, 'field': field, 'symmetry': symmetry,
            'rows': dense.shape[0], 'cols': dense.shape[1], 'nnz': nnz, 'values': jsonable(dense),
        }

    rng = np.random.default_rng(7)
    g = sp.random(6, 5, density=0.3, random_state=rng, format='coo')
    g.data = np.round(g.data * 100) / 8 - 5
    scipy.io.mmwrite(os.path.join(MTX, 'general_real.mtx'), g, comment='general real coordinate')
    mtx_case('general_real.mtx', g.toarray(), 'coordinate', 'real', 'general', g.nnz)

    s = np.array([[4.0, 1.0, 0.0, 0.0], [1.0, 3.0, 0.5, 0.0], [0.0, 0.5, 2.0, -1.0], [0.0, 0.0, -1.0, 1.0]])
    scipy.io.mmwrite(os.path.join(MTX, 'symmetric_real.mtx'), sp.coo_matrix(s), symmetry='symmetric')
    mtx_case('symmetric_real.mtx', s, 'coordinate', 'real', 'symmetric', int(np.count_nonzero(s)))

    k = np.array([[0.0, 2.0, 0.0], [-2.0, 0.0, 3.5], [0.0, -3.5, 0.0]])
    scipy.io.mmwrite(os.path.join(MTX, 'skew.mtx'), sp.coo_matrix(k), symmetry='skew-symmetric')
    mtx_case('skew.mtx', k, 'coordinate', 'real', 'skew-symmetric', 4)

    p = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 0, 0]])
    scipy.io.mmwrite(os.path.join(MTX, 'pattern.mtx'), sp.coo_matrix(p), field='pattern')
    mtx_case('pattern.mtx', p.astype(float), 'coordinate', 'pattern', 'general', int(p.sum()))

    ii = np.array([[0, 12, 0], [-7, 0, 123456789]])
    scipy.io.mmwrite(os.path.join(MTX, 'integer.mtx'), sp.coo_matrix(ii), field='integer')
    mtx_case('integer.mtx', ii.astype(float), 'coordinate', 'integer', 'general', 3)

    a = np.array([[1.0, -2.5, 1e-12], [3.0, 0.0, 1e20]])
    scipy.io.mmwrite(os.path.join(MTX, 'array_general.mtx'), a)
    mtx_case('array_general.mtx', a, 'array', 'real', 'general', 6)

    sa = np.array([[2.0, -1.0, 0.25], [-1.0, 2.0, 0.0], [0.25, 0.0, 9.0]])
    scipy.io.mmwrite(os.path.join(MTX, 'array_symmetric.mtx'), sa, symmetry='symmetric')
    mtx_case('array_symmetric.mtx', sa, 'array', 'real', 'symmetric', 9)

    # Hand-written: comments, blank lines, CRLF, tabs, duplicate entries (which add up).
    with open(os.path.join(MTX, 'handwritten.mtx'), 'wb') as f:
        f.write(b'%%MatrixMarket matrix coordinate real general\r\n% a comment\r\n%\r\n\r\n'
                b'  3 3 4\r\n1 1 1.0\r\n\r\n% comment between entries\r\n3\t2\t-2e-3\r\n1 1 0.5\r\n2 3 inf\r\n')
    mtx_case('handwritten.mtx', np.array([[1.5, 0, 0], [0, 0, np.inf], [0, -2e-3, 0]]), 'coordinate', 'real', 'general', 4)

    for name, text in [
        ('bad_banner.mtx', '%%MatrixMarket matrix coordinate real\n2 2 1\n1 1 1\n'),
        ('complex.mtx', '%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 1 0\n'),
        ('out_of_bounds.mtx', '%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n3 1 1\n'),
        ('too_few.mtx', '%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n2 2 1\n'),
        ('too_many.mtx', '%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n2 2 1\n'),
        ('not_a_number.mtx', '%%MatrixMarket matrix array real general\n2 1\n1.5\nabc\n'),
        ('skew_diagonal.mtx', '%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n1 1 1\n'),
        ('huge_size.mtx', '%%MatrixMarket matrix coordinate real general\n1000000000 1000000000 999999999999\n1 1 1\n'),
        ('huge_array.mtx', '%%MatrixMarket matrix array real general\n2000000000 2000000000\n1\n'),
    ]:
        with open(os.path.join(MTX, name), 'w') as f:
            f.write(text)
    expected['mtxErrors'] = {
        'bad_banner.mtx': {'error': 'ParseError', 'line': 1},
        'complex.mtx': {'error': 'UnsupportedError', 'line': 1},
        'out_of_bounds.mtx': {'error': 'ParseError', 'line': 4},
        'too_few.mtx': {'error': 'ParseError', 'line': 4},
        'too_many.mtx': {'error': 'ParseError', 'line': 4},
        'not_a_number.mtx': {'error': 'ParseError', 'line': 4},
        'skew_diagonal.mtx': {'error': 'ParseError', 'line': 3},
        'huge_size.mtx': {'error': 'ParseError', 'line': 2},
        'huge_array.mtx': {'error': 'ParseError', 'line': 2},
    }

    # ------------------------------------------------------------------ delimited text
    def text_case(name, values, delimiter, names=None):
        e = {'rows': values.shape[0], 'cols': values.shape[1], 'delimiter': delimiter, 'values': jsonable(values)}
        if names is not None:
            e['columnNames'] = names
        expected['text'][name] = e

    t = np.array([[1.0, -2.5, 3e-8], [4.25, 1e10, -0.125], [0.1, 0.2, 0.3]])
    np.savetxt(os.path.join(TEXT, 'header.csv'), t, delimiter=',', header='alpha,beta,gamma', comments='')
    text_case('header.csv', t, ',', ['alpha', 'beta', 'gamma'])
    np.savetxt(os.path.join(TEXT, 'savetxt.txt'), t)
    text_case('savetxt.txt', t, 'whitespace')
    np.savetxt(os.path.join(TEXT, 'tabs.tsv'), t, delimiter='\t', fmt='%.17g')
    text_case('tabs.tsv', t, '\t')
    np.savetxt(os.path.join(TEXT, 'semicolon.csv'), t[:2], delimiter=';', fmt='%g')
    text_case('semicolon.csv', np.array([[float('%g' % v) for v in row] for row in t[:2]]), ';')
    np.savetxt(os.path.join(TEXT, 'comment_header.csv'), t[:1], delimiter=',', header='x,y,z')
    text_case('comment_header.csv', t[:1], ',')
    sv = np.array([[np.nan, np.inf], [-np.inf, 1.0]])
    np.savetxt(os.path.join(TEXT, 'special.csv'), sv, delimiter=',')
    text_case('special.csv', sv, ',')
    with open(os.path.join(TEXT, 'quoted.csv'), 'w') as f:
        f.write('"name, with comma","say ""hi"""\r\n"1.5",2\r\n3,4\r\n')
    text_case('quoted.csv', np.array([[1.5, 2.0], [3.0, 4.0]]), ',', ['name, with comma', 'say "hi"'])

    with open(os.path.join(ROOT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
