"""Helpers of the benchmarks, not benchmarks themselves (`./dev bench` runs the modules of bench/ only)."""
