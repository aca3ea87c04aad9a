"""Mutuals: relationship analytics for social media on data you own."""

from __future__ import annotations

__version__ = "0.1.0"
