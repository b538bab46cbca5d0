"""Benchmarks: a seeded data generator loading through COPY, and side-by-side measurements of
each layer of the service against the bare minimum doing the same work (see README.md)."""
