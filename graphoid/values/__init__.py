"""The value layer: value types, formatting, operators, functions, pattern matching, Python
error translation and the method tables of every non-graph value. Imports no graphs.
"""
