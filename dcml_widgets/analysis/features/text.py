"""Free-text column encoder: TF-IDF, truncated SVD, and a bounded share of the variance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.base import ColumnEncoder
from dcml_widgets.analysis.features.convert import CLIP, to_text

# Total variance of a text block, in units of one scaled numeric column. TF-IDF of short,
# high-entropy text (e.g. "sheet 17") spreads evenly over every SVD dim, so scaling by the
# leading dim alone let a pure-noise note carry ~167 units against 61 pixel columns on the
# digits demo and cut out-of-sample accuracy from 0.87 to 0.75. One column, one unit:
# the same demo keeps 0.87, and informative text still wins through the classifier.
TEXT_VARIANCE = 1.0


class TextEncoder(ColumnEncoder):
    """Free text: TF-IDF reduced by truncated SVD to a few dozen dimensions.

    The reduced block is centred and scaled as a whole (its spectrum kept) so that its total
    variance is :data:`TEXT_VARIANCE`: a text column weighs in distances and in the
    classifier's regularisation like one numeric column, however many dims represent it.

    Parameters
    ----------
    n_components : int
        Most SVD dimensions kept (fewer when the vocabulary or the row count is smaller).
    random_state : int
        Seed for the SVD.
    """

    role = "text"

    def __init__(self, *, n_components: int = 32, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    def _fit(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        # Fits the vocabulary and the SVD basis, and returns the training block so that
        # fit_transform does not tokenise the column twice.
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        text = to_text(values)
        docs = text.fillna("").tolist()
        min_df = 2 if len(docs) >= 1000 else 1
        self.tfidf = TfidfVectorizer(
            min_df=min_df, max_features=20_000, sublinear_tf=True, dtype=np.float32
        )
        tfidf = self.tfidf.fit_transform(docs)
        vocab = tfidf.shape[1]
        k = min(self.n_components, vocab - 1, len(docs) - 1)
        self.svd = None
        if k >= 1:
            self.svd = TruncatedSVD(n_components=k, n_iter=4, random_state=self.random_state)
            reduced = self.svd.fit_transform(tfidf)
        else:
            reduced = tfidf.toarray()
        self.mean = reduced.mean(axis=0)
        total = float(reduced.var(axis=0).sum()) if reduced.size else 0.0
        self.scale = float(np.sqrt(total / TEXT_VARIANCE)) if total > 0 else 1.0
        self.vocab = vocab
        return text.isna().to_numpy(), self._scaled(reduced)

    def _scaled(self, reduced: np.ndarray) -> np.ndarray:
        return np.clip((reduced - self.mean) / self.scale, -CLIP, CLIP)

    def _encode(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        text = to_text(values)
        tfidf = self.tfidf.transform(text.fillna("").tolist())
        reduced = self.svd.transform(tfidf) if self.svd is not None else tfidf.toarray()
        return self._scaled(reduced), text.isna().to_numpy()

    def _value_width(self) -> int:
        return int(self.svd.n_components if self.svd is not None else self.vocab)

    def _describe_values(self) -> str:
        k = self._value_width()
        return f"TF-IDF ({self.vocab} terms) -> {k} SVD dims, weighted as one column"
