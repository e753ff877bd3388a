"""A cluster's CURVE key directory, as `graphoid cluster keys DIR` writes it.

    DIR/coordinator.key          the coordinator's public key (every member needs it)
    DIR/coordinator.key_secret   its secret key (only on the coordinator's machine)
    DIR/client.key               the members' public key: the clients the coordinator and the
                                 workers' data sockets accept are the *.key files in DIR
    DIR/client.key_secret        the members' key pair (workers and drivers)

Workers and drivers share the member key pair: a worker's data socket is a CURVE server with
it and its peers connect with it, so no worker needs to learn another's key.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from graphoid.distributed.transport import CurveClient, CurveKeys, CurveServer, load_keys
from graphoid.errors import GraphoidError

SERVER_NAME = "coordinator"
MEMBER_NAME = "client"


@attrs.frozen(slots=True)
class ClusterKeys:
    """The keys of one machine of a cluster (see the module docstring)."""

    directory: Path
    coordinator_public: bytes
    member: CurveKeys
    coordinator: CurveKeys | None

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> "ClusterKeys":
        folder = Path(directory)
        if not folder.is_dir():
            raise GraphoidError("FileError", f"CURVE key directory {folder} does not exist "
                                             "(make one with 'graphoid cluster keys DIR')")
        secret = folder / f"{SERVER_NAME}.key_secret"
        return cls(
            directory=folder,
            coordinator_public=load_keys(folder / f"{SERVER_NAME}.key").public,
            member=load_keys(folder / f"{MEMBER_NAME}.key_secret"),
            coordinator=load_keys(secret) if secret.exists() else None,
        )

    def server(self) -> CurveServer:
        """The coordinator's control socket: accepts the clients whose public key is in the directory."""
        if self.coordinator is None:
            raise GraphoidError("FileError", f"{self.directory / (SERVER_NAME + '.key_secret')} is missing: "
                                             "the coordinator needs its secret key")
        return CurveServer(self.coordinator, authorized_clients=self.directory)

    def client(self) -> CurveClient:
        """A worker's or a driver's connection to the coordinator."""
        return CurveClient(self.member, self.coordinator_public)

    def data_server(self) -> CurveServer:
        """A worker's data socket."""
        return CurveServer(self.member, authorized_clients=self.directory)

    def data_client(self) -> CurveClient:
        """A worker's links to its peers' data sockets."""
        return CurveClient(self.member, self.member.public)
