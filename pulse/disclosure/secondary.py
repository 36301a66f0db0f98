"""Secondary (complementary) suppression: no hidden count may be worked out from what is published.

A view publishes aggregates of the same underlying cells: the cells of a table, its row and column
totals, the numerators and denominators behind its rates, a count in a sentence. Each aggregate is
a row of a 0/1 matrix over the underlying cells. A hidden aggregate is disclosed exactly when its
row is a linear combination of the published rows (totals minus parts, shares times totals …).

The method is Statistics Norway's Gaussian-elimination suppression (Langsrud, "Secondary cell
suppression by Gaussian elimination", 2024; R package GaussSuppression), in its greedy form:
aggregates are considered in order of how much we want to publish them (totals first, then larger
counts); each is published unless, together with everything published so far, it would determine
a primary-suppressed aggregate, in which case it is hidden too (a secondary suppression). The test
is exact linear algebra on the residuals left after projecting out what is already published
(modified Gram–Schmidt, orthogonalised twice for stability). Why this and not tau-Argus is in
docs/disclosure.md.

`determined()` is an independent check used by the tests: a rank comparison for each hidden row.
"""

from __future__ import annotations

import numpy as np

_EPS = 1e-9


def protect(members: np.ndarray, primary: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Hidden rows: the primary ones plus the fewest extra rows, in `order`, that keep each primary undetermined.

    members: aggregates × cells, 1 where the cell counts in the aggregate. primary: aggregates that must
    be hidden. order: the other aggregates' positions, most wanted published first (any primary in it is
    skipped). A primary row with no cells (an empty aggregate) needs no protection: it is zero by
    construction.
    """
    x = np.asarray(members, dtype=float)
    hidden = np.asarray(primary, dtype=bool).copy()
    residual = x[hidden]
    residual = residual[np.linalg.norm(residual, axis=1) > _EPS] if residual.size else residual
    norms = (residual**2).sum(axis=1)
    basis = np.zeros((min(len(x), x.shape[1]), x.shape[1]))  # orthonormal rows, the first `k` in use
    k = 0
    for row in order:
        if hidden[row]:
            continue
        r = _orthogonal(x[row], basis[:k])
        size = float(np.linalg.norm(r))
        if size <= _EPS * max(1.0, float(np.linalg.norm(x[row]))):
            continue  # already implied by what is published: publishing it tells nothing new
        u = r / size
        if residual.size:
            along = residual @ u
            left = norms - along**2
            if (left <= _EPS * np.maximum(norms, 1.0)).any():
                hidden[row] = True  # publishing it would pin a primary aggregate down
                continue
            residual = residual - np.outer(along, u)
            norms = np.maximum(left, 0.0)
        if k == len(basis):
            continue  # the published rows already span every cell: nothing more can be learnt
        basis[k] = u
        k += 1
    return hidden


def determined(members: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """For each row, whether it is hidden yet a linear combination of the published rows (a disclosure).

    Independent of protect(): one singular value decomposition of the published rows gives their
    row space; a hidden row lying in it is determined by them.
    """
    x = np.asarray(members, dtype=float)
    hidden = np.asarray(hidden, dtype=bool)
    out = np.zeros(len(x), dtype=bool)
    published = x[~hidden]
    if not published.size or not hidden.any():
        return out
    _, singular, vt = np.linalg.svd(published, full_matrices=False)
    rank = int((singular > singular.max() * max(published.shape) * np.finfo(float).eps * 10).sum())
    space = vt[:rank]
    rows = x[hidden]
    left = rows - (rows @ space.T) @ space
    size = np.linalg.norm(rows, axis=1)
    out[np.flatnonzero(hidden)] = (size > 0) & (np.linalg.norm(left, axis=1) <= 1e-7 * np.maximum(size, 1.0))
    return out


def _orthogonal(vector: np.ndarray, q: np.ndarray) -> np.ndarray:
    r = vector.astype(float).copy()
    if not len(q):
        return r
    for _ in range(2):  # twice is enough (Kahan–Parlett) to keep the basis orthogonal in floating point
        r -= q.T @ (q @ r)
    return r
