"""Benchmarks (`make bench`): ask speed and a comparison of retrieval backends, written to bench/results.*."""
