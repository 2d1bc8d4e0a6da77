"""report.prototypes: a few typical rows per class."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dcml_widgets.analysis.prototypes import find_prototypes


def test_prototypes_are_clean_confident_rows_at_the_class_medoid():
    rng = np.random.default_rng(0)
    n = 200
    codes = np.repeat([0, 1], n // 2)
    vectors = np.where(codes[:, None] == 0, 0.0, 10.0) + rng.normal(size=(n, 2))
    confidence = rng.uniform(0.55, 0.99, size=n)
    probs = np.where(codes[:, None] == np.arange(2), confidence[:, None], 1 - confidence[:, None])
    flagged = np.zeros(n, bool)
    flagged[np.argsort(-confidence)[:10]] = True  # the most confident rows, but flagged
    probs[20, :] = [0.2, 0.8]  # predicted as the other class: not typical of its own
    codes_with_pool = codes.copy()
    codes_with_pool[150:160] = -1  # pool rows are never prototypes
    ids = pd.Index([f"r{i}" for i in range(n)])
    found = find_prototypes(vectors, codes_with_pool, probs, flagged, np.array(["a", "b"]), ids)
    assert list(found.columns) == ["class", "id", "rank"]
    assert found["class"].tolist() == ["a"] * 3 + ["b"] * 3
    assert found["rank"].tolist() == [1, 2, 3] * 2
    picked = ids.get_indexer(found["id"])
    assert not flagged[picked].any() and 20 not in picked
    assert not set(picked) & set(range(150, 160))
    for k in (0, 1):
        # by hand: the clean, correctly predicted rows; their most confident quarter; its
        # medoid (least total distance) is rank 1, the next two nearest to it follow
        clean = np.flatnonzero((codes_with_pool == k) & ~flagged & (probs.argmax(1) == k))
        top = clean[np.argsort(-probs[clean, k])][: int(np.ceil(len(clean) / 4))]
        total = [sum(np.linalg.norm(vectors[i] - vectors[j]) for j in top) for i in top]
        medoid = top[int(np.argmin(total))]
        near = top[np.argsort(np.linalg.norm(vectors[top] - vectors[medoid], axis=1))[:3]]
        assert list(picked[3 * k : 3 * k + 3]) == list(near)


def test_a_class_without_clean_rows_has_no_prototype():
    codes = np.array([0, 0, 1, 1])
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.6, 0.4]])  # class 1 never predicted
    found = find_prototypes(
        np.eye(4), codes, probs, np.zeros(4, bool), np.array(["x", "y"]), pd.RangeIndex(4)
    )
    assert found["class"].tolist() == ["x", "x"]
    assert sorted(found["id"]) == [0, 1]
