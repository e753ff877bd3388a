"""Executors: the one interface the `distributed` module runs on (base.py), the message-level
driver both built-in executors share (driver.py), and its two transports: in-process queues
(inprocess.py) and worker processes over ZeroMQ (cluster.py)."""

from graphoid.distributed.executor.base import Executor, RunContext

__all__ = ["Executor", "RunContext"]
