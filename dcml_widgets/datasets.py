"""Bundled demo data: handwritten digits with known, injected label errors.

>>> import dcml_widgets as dw
>>> df = dw.datasets.demo()
>>> dash = dw.audit(df, label="digit")
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["demo"]

_PENS = ("thin pen", "thick marker", "felt tip", "ballpoint", "pencil")
_PAPERS = ("white", "lined", "grid", "recycled")


def demo(
    n_rows: int = 800,
    *,
    noise: float = 0.08,
    seed: int = 0,
    n_annotators: int = 0,
    return_flipped: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.Index]:
    """A small labelled frame (scikit-learn's 8x8 digits) with known wrong labels.

    Columns: ``pixel_0 … pixel_63`` (pixel intensities 0–16, int), ``writer`` (categorical,
    30 writers), ``note`` (free text about how the digit was written: it carries no label
    information) and ``digit`` (the label, int 0–9). The index holds row ids
    ``0 … n_rows-1``.

    A fraction ``noise`` of the rows had their label replaced by another digit at random.
    Which ones is known: ``df.attrs["flipped"]`` (row ids) and ``df.attrs["true_label"]``
    (the labels before flipping, a list in row order), or ``return_flipped=True``.
    ``df.attrs["dcml_image_shape"] = (8, 8)`` tells the dashboard's embedding explorer to
    preview the pixel columns as an image.

    Parameters
    ----------
    n_rows : int
        Rows to draw from the 1,797 digits (stratified by digit), between 20 and 1797.
    noise : float
        Fraction of rows whose label is flipped, in [0, 0.5].
    seed : int
        Seed: the same arguments always give the same frame.
    n_annotators : int
        Add this many annotator columns ``annotator_1 …`` (for ``audit(...,
        annotators=[...])``): each labels about 70% of the rows (NaN elsewhere), annotator
        ``i`` right with probability ``0.95 - 0.1 * (i - 1)`` and otherwise a random wrong
        digit. Between 0 and 8.
    return_flipped : bool
        Also return the ids of the flipped rows.

    Returns
    -------
    pandas.DataFrame, or (pandas.DataFrame, pandas.Index) with ``return_flipped=True``

    Raises
    ------
    ValueError
        If ``n_rows`` or ``noise`` is out of range.
    """
    from sklearn.datasets import load_digits

    if not isinstance(n_rows, (int, np.integer)) or not 20 <= n_rows <= 1797:
        raise ValueError(f"n_rows must be an int between 20 and 1797, got {n_rows!r}.")
    if not isinstance(n_annotators, (int, np.integer)) or not 0 <= n_annotators <= 8:
        raise ValueError(f"n_annotators must be an int between 0 and 8, got {n_annotators!r}.")
    if not 0.0 <= float(noise) <= 0.5:
        raise ValueError(f"noise must lie in [0, 0.5], got {noise!r}.")
    digits = load_digits()
    rng = np.random.default_rng(seed)
    truth_all = digits.target
    # Stratified draw: the same share of every digit, rows kept in a shuffled order.
    order = rng.permutation(len(truth_all))
    per_class = {c: order[truth_all[order] == c] for c in range(10)}
    share = n_rows / len(truth_all)
    take = [per_class[c][: max(2, round(share * len(per_class[c])))] for c in range(10)]
    picked = rng.permutation(np.concatenate(take))[:n_rows]
    if len(picked) < n_rows:  # rounding left a few short: top up from the rest
        rest = np.setdiff1d(order, picked, assume_unique=True)
        picked = np.concatenate([picked, rest[: n_rows - len(picked)]])
    pixels = digits.data[picked].astype(np.int64)
    truth = truth_all[picked].astype(np.int64)

    n_flip = round(noise * n_rows)
    flipped = np.sort(rng.choice(n_rows, size=n_flip, replace=False))
    labels = truth.copy()
    # Another digit, uniformly among the nine wrong ones.
    labels[flipped] = (truth[flipped] + rng.integers(1, 10, size=n_flip)) % 10

    df = pd.DataFrame(pixels, columns=[f"pixel_{i}" for i in range(64)])
    writers = rng.integers(0, 30, size=n_rows)
    df["writer"] = pd.Categorical([f"w{w:02d}" for w in writers])
    pens = rng.choice(_PENS, size=n_rows)
    papers = rng.choice(_PAPERS, size=n_rows)
    df["note"] = [f"{pen} on {paper} paper" for pen, paper in zip(pens, papers, strict=True)]
    for i in range(1, n_annotators + 1):
        right = rng.random(n_rows) < 0.95 - 0.1 * (i - 1)
        said = np.where(right, truth, (truth + rng.integers(1, 10, size=n_rows)) % 10)
        df[f"annotator_{i}"] = pd.array(np.where(rng.random(n_rows) < 0.7, said, -1), dtype="Int64")
        df.loc[df[f"annotator_{i}"] == -1, f"annotator_{i}"] = pd.NA
    df["digit"] = labels
    df.index = pd.RangeIndex(n_rows, name="row")
    df.attrs["flipped"] = [int(i) for i in flipped]
    df.attrs["true_label"] = [int(t) for t in truth]
    df.attrs["dcml_image_shape"] = (8, 8)  # the pixel columns are an 8x8 image: previews show it
    df.attrs["description"] = (
        f"{n_rows} handwritten digits (sklearn load_digits), {n_flip} labels flipped at random "
        f"(seed {seed}); label column 'digit'."
    )
    if return_flipped:
        return df, pd.Index(flipped.astype(np.int64), name="row")
    return df
