"""Benchmarks and audits (``make bench``, ``make audit``); not part of the app."""
