"""Concurrency on threads in one process: actors (`spawn Expr`) and tasks (`spawn { ... }`).

actors.py holds the one actor handle type (whatever the actor's location) and the local
endpoint; system.py an interpreter's actors and tasks; mailbox.py the queue under them. The
distributed runtime adds endpoints for actors on workers (graphoid/distributed/actors.py).
"""

from graphoid.concurrency.actors import ACTOR_ERROR, Actor, ActorAddress
from graphoid.concurrency.system import ActorSystem

__all__ = ["ACTOR_ERROR", "Actor", "ActorAddress", "ActorSystem"]
