"""Raw, messy columns -> one finite float32 model matrix, with the plan that says why.

:func:`build_features` (in :mod:`.build`) decides each column's role (:mod:`.roles`) and
encodes it with one small encoder per role (:mod:`.numeric`, :mod:`.categorical`,
:mod:`.dates`, :mod:`.text`, :mod:`.image`), each a :class:`.base.ColumnEncoder`; shared
conversions are in :mod:`.convert`.
"""

from dcml_widgets.analysis.features.build import (
    GIVEN_ARRAY,
    FeatureEncoder,
    FeatureMatrix,
    build_features,
)

__all__ = ["GIVEN_ARRAY", "FeatureEncoder", "FeatureMatrix", "build_features"]
