"""The loop's planning step: what each candidate intervention would do, before doing it.

``loop/`` sits between the state and the front door: it may import ``analysis/`` and
``state/``, never ``views/`` or ``session/``.
"""
