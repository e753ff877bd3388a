"""Concurrency on threads in one process: actors (`spawn Expr`) and tasks (`spawn { ... }`).

actors.py holds the one actor handle type (whatever the actor's location) and the local
endpoint; system.py an interpreter's actors, tasks and timers; mailbox.py the queue under an
actor; channels.py channels and `select`; timers.py `timer` and `signal`; supervision.py
supervisors; waiting.py the blocking wait every one of them uses (time limit, end of the
program). The distributed runtime adds endpoints for actors on workers
(graphoid/distributed/actors.py).
"""

from graphoid.concurrency.actors import ACTOR_ERROR, Actor, ActorAddress
from graphoid.concurrency.system import ActorSystem

__all__ = ["ACTOR_ERROR", "Actor", "ActorAddress", "ActorSystem"]
