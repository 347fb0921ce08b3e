"""Benchmarks that print ratios; results in bench/README.md."""
