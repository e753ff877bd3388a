"""The distributed runtime (executors, coordinator, workers, ZeroMQ transport).

Built so far: ids, codec, program bundles, the protocol and ZeroMQ transport, membership,
processes, worker and coordinator loops, partitions and the barrier, the object store and
registries, task specs, the sans-IO worker core and the executors (executor/). docs/design.md
describes each; docs/distributed.md the model.
"""
