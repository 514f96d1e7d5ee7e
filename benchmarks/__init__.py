"""Benchmarks: side-by-side comparisons against peers, printed as ratios."""
