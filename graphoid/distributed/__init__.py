"""The distributed runtime (executors, coordinator, workers, ZeroMQ transport): the next stage.

Nothing here yet; DESIGN.md section 5 and docs/design.md describe what will live here.
"""
