"""Synthetic, realistic county data for demos, tests and benchmarks (`junheng sample`)."""

from junheng.samples.county import generate_county

__all__ = ["generate_county"]
