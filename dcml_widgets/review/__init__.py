"""Review workflow: which rows a person should look at first (:func:`review_order`)."""

from dcml_widgets.review.order import review_order

__all__ = ["review_order"]
