"""Free-text column encoder: TF-IDF, truncated SVD, and a bounded share of the variance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.convert import CLIP, to_text

# Total variance of a text block, in units of one scaled numeric column. TF-IDF of short,
# high-entropy text (e.g. "sheet 17") spreads evenly over every SVD dim, so scaling by the
# leading dim alone let a pure-noise note carry ~167 units against 61 pixel columns on the
# digits demo and cut out-of-sample accuracy from 0.87 to 0.75. One column, one unit:
# the same demo keeps 0.87, and informative text still wins through the classifier.
TEXT_VARIANCE = 1.0


class TextEncoder:
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

    def fit(self, values: pd.Series) -> TextEncoder:
        """Fit the vocabulary and the SVD basis.

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        TextEncoder
        """
        self.fit_transform(values)
        return self

    def fit_transform(self, values: pd.Series) -> np.ndarray:
        """Fit, and encode the same column without tokenising it twice.

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        numpy.ndarray
            ``(n, width)`` float32.
        """
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        text = to_text(values)
        self.n_missing = int(text.isna().sum())
        self.indicator = self.n_missing > 0
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
        return self._block(reduced, text)

    def _block(self, reduced: np.ndarray, text: pd.Series) -> np.ndarray:
        block = np.clip((reduced - self.mean) / self.scale, -CLIP, CLIP)
        if self.indicator:
            block = np.column_stack([block, text.isna().to_numpy().astype(np.float64)])
        return np.asarray(block, dtype=np.float32)

    @property
    def width(self) -> int:
        """Number of output columns."""
        k = self.svd.n_components if self.svd is not None else self.vocab
        return k + int(self.indicator)

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32.

        Parameters
        ----------
        values : pandas.Series
            A column with the training column's meaning (e.g. from a test frame).

        Returns
        -------
        numpy.ndarray
        """
        text = to_text(values)
        tfidf = self.tfidf.transform(text.fillna("").tolist())
        reduced = self.svd.transform(tfidf) if self.svd is not None else tfidf.toarray()
        return self._block(reduced, text)

    def describe(self) -> str:
        """Say how the column was encoded.

        Returns
        -------
        str
        """
        k = self.svd.n_components if self.svd is not None else self.vocab
        detail = f"TF-IDF ({self.vocab} terms) -> {k} SVD dims, weighted as one column"
        if self.indicator:
            detail += f"; {self.n_missing} missing: indicator"
        return detail
