"""Coverage: does the training data represent the unlabelled rows the model will see?

:func:`assess_coverage` scores every row by the labelled share of its shared-graph
neighbourhood, finds the regions of the map where unlabelled (pool) rows sit without
training rows (:attr:`CoverageResult.gaps`: what to collect or augment next), and
:func:`place_gaps` moves the gaps' map positions onto a new layout.
"""

from dcml_widgets.analysis.coverage.assess import CoverageResult, assess_coverage
from dcml_widgets.analysis.coverage.gaps import GAP_COLUMNS, empty_gaps, place_gaps

__all__ = ["GAP_COLUMNS", "CoverageResult", "assess_coverage", "empty_gaps", "place_gaps"]
