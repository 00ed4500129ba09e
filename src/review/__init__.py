"""review: inspection review analytics for child safeguarding reviews.

The pipeline, one module per step (see docs/design.md):

    ingest -> contacts -> timeline -> rules -> flags (+ decisions) -> charts / export
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
