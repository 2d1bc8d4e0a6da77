"""Bundled demo data: handwritten digits with known, planted problems.

>>> import dcml_widgets as dw
>>> df = dw.datasets.demo()
>>> dash = dw.audit(df, label="digit", unlabeled=dw.datasets.demo_pool())

Everything planted is recorded in ``df.attrs``, so a lesson (or a test) can compare what the
audit finds with what is really there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["demo", "demo_pool", "demo_test"]

_PENS = ("thin pen", "thick marker", "felt tip", "ballpoint", "pencil")
_PAPERS = ("white", "lined", "grid", "recycled")
_N_DIGITS = 1797
#: Scanners of the training rows; the last one's images are noisier (the weak slice).
SCANNERS = ("S1", "S2", "S3", "S4")
WEAK_SCANNER = "S4"
#: Standard deviation of the pixel noise the weak scanner adds (pixels are 0–16).
WEAK_NOISE_SD = 5.0
#: The pool's scanner that feeds pages sideways: its digits are rotated a quarter turn.
SIDEWAYS_SCANNER = "S5"
N_CONFLICTING_PAIRS = 6
POOL_ID_START = 100_000


def demo(
    n_rows: int = 800,
    *,
    noise: float = 0.08,
    seed: int = 0,
    n_annotators: int = 0,
    return_flipped: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.Index]:
    """A small labelled frame (scikit-learn's 8x8 digits) with known problems planted.

    Columns: ``pixel_0 … pixel_63`` (pixel intensities 0–16, int), ``writer`` (categorical,
    30 writers), ``note`` (free text about how the digit was written: it carries no label
    information), ``scanner`` (categorical ``S1 … S4``) and ``digit`` (the label, int 0–9).
    The index holds row ids ``0 … n_rows-1``.

    Planted, and recorded in ``df.attrs``:

    - ``"flipped"``: a fraction ``noise`` of the rows had their label replaced by another
      digit at random (row ids; ``"true_label"`` holds the labels before flipping, a list in
      row order; or ``return_flipped=True``).
    - ``"weak_slice"``: ``{"column": "scanner", "value": "S4", "rows": [...], "noise_sd":
      5.0}``: a quarter of the rows come from scanner S4, whose images carry Gaussian pixel
      noise (rounded, clipped to 0–16), so a model does worse on them.
    - ``"conflicting_pairs"``: up to 6 ``[kept, copy]`` id pairs: ``copy`` is a flipped row
      whose pixels were replaced by those of ``kept`` (same true digit, not flipped) with its
      darkest pixel made 1 lighter, and whose writer, note and scanner are ``kept``'s:
      near-identical rows with different labels (the copy's is the wrong one).

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

    if not isinstance(n_rows, (int, np.integer)) or not 20 <= n_rows <= _N_DIGITS:
        raise ValueError(f"n_rows must be an int between 20 and {_N_DIGITS}, got {n_rows!r}.")
    if not isinstance(n_annotators, (int, np.integer)) or not 0 <= n_annotators <= 8:
        raise ValueError(f"n_annotators must be an int between 0 and 8, got {n_annotators!r}.")
    if not 0.0 <= float(noise) <= 0.5:
        raise ValueError(f"noise must lie in [0, 0.5], got {noise!r}.")
    digits = load_digits()
    rng = np.random.default_rng(seed)
    picked = _stratified_draw(digits.target, n_rows, rng)
    pixels = digits.data[picked].astype(np.int64)
    truth = digits.target[picked].astype(np.int64)

    n_flip = round(noise * n_rows)
    flipped = np.sort(rng.choice(n_rows, size=n_flip, replace=False))
    labels = truth.copy()
    # Another digit, uniformly among the nine wrong ones.
    labels[flipped] = (truth[flipped] + rng.integers(1, 10, size=n_flip)) % 10

    writers = np.array([f"w{w:02d}" for w in rng.integers(0, 30, size=n_rows)], dtype=object)
    pens = rng.choice(_PENS, size=n_rows)
    papers = rng.choice(_PAPERS, size=n_rows)
    notes = np.array([f"{p} on {q} paper" for p, q in zip(pens, papers, strict=True)], dtype=object)
    annotators = {}
    for i in range(1, n_annotators + 1):
        right = rng.random(n_rows) < 0.95 - 0.1 * (i - 1)
        said = np.where(right, truth, (truth + rng.integers(1, 10, size=n_rows)) % 10)
        column = pd.array(np.where(rng.random(n_rows) < 0.7, said, -1), dtype="Int64")
        column[column == -1] = pd.NA
        annotators[f"annotator_{i}"] = column

    # The lessons draw from their own generator, so the columns above stay what they were.
    lessons = np.random.default_rng([seed, 1])
    scanners = lessons.choice(SCANNERS, size=n_rows)
    pixels = _degrade(pixels, scanners == WEAK_SCANNER, lessons)
    pairs = _plant_pairs(pixels, truth, flipped, (writers, notes, scanners), lessons)

    df = pd.DataFrame(pixels, columns=[f"pixel_{i}" for i in range(64)])
    df["writer"] = pd.Categorical(writers)
    df["note"] = pd.Series(notes, dtype=str)
    df["scanner"] = pd.Categorical(scanners, categories=list(SCANNERS))
    for name, column in annotators.items():
        df[name] = column
    df["digit"] = labels
    df.index = pd.RangeIndex(n_rows, name="row")
    weak = np.flatnonzero(scanners == WEAK_SCANNER)
    df.attrs["flipped"] = [int(i) for i in flipped]
    df.attrs["true_label"] = [int(t) for t in truth]
    df.attrs["weak_slice"] = {
        "column": "scanner",
        "value": WEAK_SCANNER,
        "rows": [int(i) for i in weak],
        "noise_sd": WEAK_NOISE_SD,
    }
    df.attrs["conflicting_pairs"] = pairs
    df.attrs["dcml_image_shape"] = (8, 8)  # the pixel columns are an 8x8 image: previews show it
    df.attrs["description"] = (
        f"{n_rows} handwritten digits (sklearn load_digits), {n_flip} labels flipped at random "
        f"(seed {seed}); scanner {WEAK_SCANNER} ({len(weak)} rows) adds pixel noise; "
        f"{len(pairs)} near-identical pairs with different labels; label column 'digit'."
    )
    if return_flipped:
        return df, pd.Index(flipped.astype(np.int64), name="row")
    return df


def demo_pool(n_rows: int = 300, *, seed: int = 0, train_rows: int = 800) -> pd.DataFrame:
    """Unlabelled rows for ``demo(train_rows, seed=seed)``: new data the training rows miss.

    The digits are ones ``demo()`` did not draw, with the same columns but no ``digit``
    (pass it as ``audit(df, label="digit", unlabeled=pool)``); ids start at 100000.
    Planted, and recorded in ``pool.attrs``:

    - ``"sideways"``: ``{"column": "scanner", "value": "S5", "rows": [...]}``: a fifth of the
      rows come from a new scanner that feeds pages sideways, so its digits are rotated a
      quarter turn: a style no training row has (a coverage gap), and a scanner value the
      training rows never had.
    - ``"planted_invalid"``: cells set to values the training rows never hold, each
      ``{"id", "column", "rule", "value"}`` with the rule it breaks: 8-bit pixel values
      (255, ``less_than_or_equal_to``), a negative pixel (``greater_than_or_equal_to``), an
      unknown writer (``isin``) and a missing pixel (``not_nullable``); all in ordinary
      (not sideways) rows.
    - ``"true_label"``: the digit of each row, in row order.

    The other rows are drawn like the training rows (scanners S1–S4, S4 noisy).

    Parameters
    ----------
    n_rows : int
        Rows, between 20 and ``1797 - train_rows``.
    seed : int
        The seed given to ``demo()``.
    train_rows : int
        The ``n_rows`` given to ``demo()``.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        If ``n_rows`` or ``train_rows`` is out of range.
    """
    from sklearn.datasets import load_digits

    if not isinstance(train_rows, (int, np.integer)) or not 20 <= train_rows <= _N_DIGITS - 20:
        raise ValueError(f"train_rows must be an int between 20 and {_N_DIGITS - 20}.")
    left = _N_DIGITS - train_rows
    if not isinstance(n_rows, (int, np.integer)) or not 20 <= n_rows <= left:
        raise ValueError(
            f"n_rows must be an int between 20 and {left} (the digits demo(n_rows="
            f"{train_rows}) leaves), got {n_rows!r}."
        )
    digits = load_digits()
    used = _stratified_draw(digits.target, train_rows, np.random.default_rng(seed))
    rng = np.random.default_rng([seed, 2])
    picked = rng.permutation(np.setdiff1d(np.arange(_N_DIGITS), used))[:n_rows]
    pixels = digits.data[picked].astype(np.int64)
    truth = digits.target[picked].astype(np.int64)

    scanners = rng.choice(SCANNERS, size=n_rows).astype(object)
    sideways = np.zeros(n_rows, dtype=bool)
    sideways[rng.choice(n_rows, size=round(0.2 * n_rows), replace=False)] = True
    scanners[sideways] = SIDEWAYS_SCANNER
    pixels = _degrade(pixels, scanners == WEAK_SCANNER, rng)
    pixels[sideways] = np.rot90(pixels[sideways].reshape(-1, 8, 8), k=1, axes=(1, 2)).reshape(
        -1, 64
    )
    writers = np.array([f"w{w:02d}" for w in rng.integers(0, 30, size=n_rows)], dtype=object)
    pens, papers = rng.choice(_PENS, size=n_rows), rng.choice(_PAPERS, size=n_rows)
    notes = [f"{p} on {q} paper" for p, q in zip(pens, papers, strict=True)]

    df = pd.DataFrame(pixels, columns=[f"pixel_{i}" for i in range(64)]).astype(object)
    ids = np.arange(POOL_ID_START, POOL_ID_START + n_rows)
    planted = _plant_invalid(df, writers, ids, np.flatnonzero(~sideways), rng)
    df = df.astype({c: np.float64 if df[c].isna().any() else np.int64 for c in df.columns})
    df["writer"] = pd.Categorical(writers)
    df["note"] = pd.Series(notes, dtype=str)
    df["scanner"] = pd.Categorical(scanners, categories=[*SCANNERS, SIDEWAYS_SCANNER])
    df.index = pd.Index(ids, name="row")
    df.attrs["sideways"] = {
        "column": "scanner",
        "value": SIDEWAYS_SCANNER,
        "rows": [int(i) for i in ids[sideways]],
    }
    df.attrs["planted_invalid"] = planted
    df.attrs["true_label"] = [int(t) for t in truth]
    df.attrs["dcml_image_shape"] = (8, 8)
    df.attrs["description"] = (
        f"{n_rows} unlabelled digits for demo(n_rows={train_rows}, seed={seed}): "
        f"{int(sideways.sum())} from scanner {SIDEWAYS_SCANNER} (rotated a quarter turn), "
        f"{len(planted)} cells with values the training rows never hold."
    )
    return df


def demo_test(n_rows: int = 400, *, seed: int = 0, train_rows: int = 800) -> pd.DataFrame:
    """A trusted test set for ``demo(train_rows, seed=seed)``: new digits, true labels.

    The rows of :func:`demo_pool` (digits ``demo()`` did not draw) that come from the four
    training scanners (S1–S4, S4 noisy) and hold no planted invalid value, with their true
    ``digit``: rows labelled with care, never edited, never trained on. Give it to
    ``audit(..., test=...)`` or ``measure(..., test=...)``. Ids start at 100000.

    Parameters
    ----------
    n_rows : int
        Rows of the pool drawn first (the sideways scanner's fifth and the rows with a planted
        value are then left out, so about 0.8 x ``n_rows`` remain).
    seed : int
        The seed given to ``demo()``.
    train_rows : int
        The ``n_rows`` given to ``demo()``.

    Returns
    -------
    pandas.DataFrame
        The pool's columns plus ``digit`` (int64); pixels int64; ``scanner`` with the four
        training scanners as its categories.

    Raises
    ------
    ValueError
        If ``n_rows`` or ``train_rows`` is out of range (as :func:`demo_pool`).
    """
    pool = demo_pool(n_rows, seed=seed, train_rows=train_rows)
    broken = [cell["id"] for cell in pool.attrs["planted_invalid"]]
    keep = (pool["scanner"] != SIDEWAYS_SCANNER).to_numpy() & ~pool.index.isin(broken)
    test = pool[keep].copy()
    test["digit"] = np.asarray(pool.attrs["true_label"], dtype=np.int64)[keep]
    test = test.astype({c: np.int64 for c in test.columns if c.startswith("pixel_")})
    test["scanner"] = test["scanner"].cat.remove_unused_categories()
    test.attrs = {
        "dcml_image_shape": pool.attrs["dcml_image_shape"],
        "description": f"{len(test)} digits with their true labels, a trusted test set for "
        f"demo(n_rows={train_rows}, seed={seed}): scanners S1-S4, none of demo()'s rows.",
    }
    return test


def _stratified_draw(target: np.ndarray, n_rows: int, rng: np.random.Generator) -> np.ndarray:
    """The same share of every digit, rows kept in a shuffled order."""
    order = rng.permutation(len(target))
    per_class = {c: order[target[order] == c] for c in range(10)}
    share = n_rows / len(target)
    take = [per_class[c][: max(2, round(share * len(per_class[c])))] for c in range(10)]
    picked = rng.permutation(np.concatenate(take))[:n_rows]
    if len(picked) < n_rows:  # rounding left a few short: top up from the rest
        rest = np.setdiff1d(order, picked, assume_unique=True)
        picked = np.concatenate([picked, rest[: n_rows - len(picked)]])
    return picked


def _degrade(pixels: np.ndarray, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gaussian pixel noise on ``rows`` (rounded, clipped to the 0–16 scale)."""
    out = pixels.copy()
    noise = rng.normal(0.0, WEAK_NOISE_SD, size=(int(rows.sum()), pixels.shape[1]))
    out[rows] = np.clip(np.rint(pixels[rows] + noise), 0, 16).astype(np.int64)
    return out


def _plant_pairs(pixels, truth, flipped, columns, rng) -> list[list[int]]:
    """Make flipped rows near-copies of correct rows of the same digit (in place)."""
    flipped_set = set(flipped.tolist())
    pairs: list[list[int]] = []
    used: set[int] = set()
    for copy in rng.permutation(flipped)[:N_CONFLICTING_PAIRS].tolist():
        same = [
            r
            for r in np.flatnonzero(truth == truth[copy]).tolist()
            if r not in flipped_set and r not in used
        ]
        if not same:
            continue
        kept = int(rng.choice(same))
        used.add(kept)
        pixels[copy] = pixels[kept]
        # Its darkest pixel one step lighter: a pixel that is 0 in most digits would, once
        # the columns are scaled, move the copy far more than its look changes.
        cell = int(rng.choice(np.flatnonzero(pixels[copy] == pixels[copy].max())))
        pixels[copy, cell] -= 1
        for column in columns:
            column[copy] = column[kept]
        pairs.append([kept, int(copy)])
    return sorted(pairs)


def _plant_invalid(df, writers, ids, ordinary, rng) -> list[dict]:
    """Values the training rows never hold, in ordinary rows (cells of ``df`` in place)."""
    rows = rng.choice(ordinary, size=7, replace=False).tolist()
    cells = rng.choice(64, size=5, replace=False).tolist()
    planted = []
    for row, cell, value, rule in zip(
        rows[:5],
        cells,
        [255, 255, 255, -8, None],
        ["less_than_or_equal_to"] * 3 + ["greater_than_or_equal_to", "not_nullable"],
        strict=True,
    ):
        df.iat[row, cell] = np.nan if value is None else value
        planted.append(
            {"id": int(ids[row]), "column": f"pixel_{cell}", "rule": rule, "value": value}
        )
    for row in rows[5:]:
        writers[row] = "w99"
        planted.append({"id": int(ids[row]), "column": "writer", "rule": "isin", "value": "w99"})
    return sorted(planted, key=lambda p: (p["id"], p["column"]))
