"""Bulk work that allocates many small objects and no cyclic garbage."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block.

    Reading a big county (millions of cells, tuples, records) and evaluating it
    (hundreds of thousands of small result objects) create no cyclic garbage, yet the
    collector would rescan them over and over: about a third of either run. Used by
    intake for the read and by the engine for the evaluation, as one does for bulk loads.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
