"""Benchmarks: a synthetic district generator and the scripts that measure SamePage on it."""
