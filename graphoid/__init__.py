"""Graphoid: a graph-theoretic programming language for Python."""

__version__ = "0.1.0"
