"""Graph messaging: the pure superstep engine (engine.py) and the driver that runs it on a local
graph (local.py), which adds `broadcast`, `send`, `request` and `set_behavior` to every graph.
"""
