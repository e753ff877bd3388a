"""The distributed runtime (executors, coordinator, workers, ZeroMQ transport).

Built so far: ids.py (stable hashes, run and object ids), codec.py (Graphoid values as msgpack),
program.py (program bundles, function refs, the worker's function table). DESIGN.md section 5
and docs/design.md describe the rest.
"""
