"""ZeroMQ sockets speaking the protocol: endpoints, the loopback bind policy and CURVE keys.

Control plane: the coordinator binds a ROUTER; each worker connects a DEALER whose identity is its
worker id. Data plane: each worker binds a ROUTER and connects DEALERs to its peers lazily
(`PeerLinks`). An `Endpoint` wraps one socket and is used by one thread only (zmq sockets are not
thread-safe). Its `recv_*` methods drop and log every message that fails validation, so a hostile
or confused peer can neither crash nor stall a loop. Send batches, not single items: one frame per
graph message caps the data plane near 0.8 M msg/s, batches reach ~6.5 M items/s (PERF_STUDY §1a).

    >>> server = bind_router(context, "tcp://127.0.0.1:*", "coordinator")
    >>> client = connect_dealer(context, server.address, "0")
    >>> client.send("HEARTBEAT"); server.recv(timeout=1.0).message.type
    'HEARTBEAT'
"""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import attrs
import zmq

from graphoid.distributed.protocol import DEFAULT_LIMITS, Limits, Message, ProtocolError, pack, unpack
from graphoid.errors import GraphoidError

if TYPE_CHECKING:
    from zmq.auth.thread import ThreadAuthenticator

LOGGER = logging.getLogger("graphoid.distributed")

# Queue bounds per peer in messages: control traffic is small; the data plane sends batches.
DEFAULT_HWM = 10_000
# Plain ints: pyzmq combines flags per frame, and enum arithmetic is slow on the hot path.
_NOBLOCK = int(zmq.NOBLOCK)
_NOBLOCK_MORE = int(zmq.NOBLOCK) | int(zmq.SNDMORE)
# Frames at least this long are sent without a copy (zmq copies shorter ones anyway).
_ZERO_COPY_BYTES = 65536
# A loop drains at most this many invalid messages per receive call before it gets control back.
MAX_DROPS_PER_RECEIVE = 256


class TransportError(Exception):
    """A send that cannot happen; loops turn it into a membership decision (peer lost)."""


class PeerUnreachable(TransportError):
    """The peer is not connected (ROUTER_MANDATORY) or its queue is full."""


@attrs.frozen(slots=True)
class Envelope:
    """A received message and, on a ROUTER, the identity of the peer that sent it."""

    peer: bytes | None
    message: Message


# ----------------------------------------------------------------------------- CURVE keys


@attrs.frozen(slots=True)
class CurveKeys:
    """A CURVE key pair in z85 text (40 bytes each); `secret` is None for a public-only key file."""

    public: bytes
    secret: bytes | None


@attrs.frozen(slots=True)
class CurveServer:
    """Server side: its key pair and, optionally, a directory of public keys allowed to connect."""

    keys: CurveKeys
    authorized_clients: Path | None = None


@attrs.frozen(slots=True)
class CurveClient:
    """Client side: its own key pair and the public key of the server it connects to."""

    keys: CurveKeys
    server_public: bytes


def generate_keys(directory: str | os.PathLike[str], name: str) -> tuple[Path, Path]:
    """Write a new key pair as `name.key` (public) and `name.key_secret` (mode 0600) in `directory`."""
    import zmq.auth  # imported on use: it pulls in asyncio, which would slow every worker's start

    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        public, secret = zmq.auth.create_certificates(folder, name)
        os.chmod(secret, 0o600)
    except OSError as error:
        raise GraphoidError("FileError", f"cannot write CURVE keys to {folder}: {error.strerror}") from None
    return Path(public), Path(secret)


def load_keys(path: str | os.PathLike[str]) -> CurveKeys:
    """Read a key file written by generate_keys (the secret file gives both keys)."""
    import zmq.auth

    try:
        public, secret = zmq.auth.load_certificate(path)
    except (OSError, ValueError) as error:
        raise GraphoidError("FileError", f"cannot read CURVE key file {path}: {error}") from None
    if public is None or len(public) != 40 or (secret is not None and len(secret) != 40):
        raise GraphoidError("FileError", f"{path} does not hold a z85 CURVE key")
    return CurveKeys(public, secret)


def _apply_curve(socket: zmq.Socket, curve: CurveServer | CurveClient) -> None:
    if curve.keys.secret is None:
        raise GraphoidError("FileError", "CURVE needs a secret key file (name.key_secret), not a public one")
    try:
        socket.curve_secretkey = curve.keys.secret
        socket.curve_publickey = curve.keys.public
        if isinstance(curve, CurveServer):
            socket.curve_server = True
        else:
            socket.curve_serverkey = curve.server_public
    except zmq.ZMQError as error:
        raise GraphoidError("NetworkError", f"invalid CURVE key: {error}") from None


def _start_authenticator(context: zmq.Context, curve: CurveServer) -> ThreadAuthenticator | None:
    """Allow only the listed client keys (a ZAP handler: one per context)."""
    if curve.authorized_clients is None:
        return None
    if not curve.authorized_clients.is_dir():
        raise GraphoidError("FileError", f"authorized client keys: {curve.authorized_clients} is not a directory")
    from zmq.auth.thread import ThreadAuthenticator

    authenticator = ThreadAuthenticator(context, log=LOGGER)
    authenticator.start()
    authenticator.configure_curve(domain="*", location=str(curve.authorized_clients))
    return authenticator


# ----------------------------------------------------------------------------- bind policy


def is_loopback(address: str) -> bool:
    """True for ipc://, inproc:// and tcp:// on a loopback host (127.0.0.0/8, ::1, localhost)."""
    scheme, _, rest = address.partition("://")
    if scheme in ("ipc", "inproc"):
        return True
    if scheme != "tcp":
        return False
    host = rest.rpartition(":")[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # "*", an interface name or a host name: assume it is reachable from outside
        return False


def check_bind_address(address: str, curve: CurveServer | None) -> None:
    """Refuse a bind reachable from other machines unless CURVE protects it."""
    if curve is None and not is_loopback(address):
        raise GraphoidError(
            "NetworkError",
            f"refusing to bind {address} without CURVE keys: other machines could connect and run code; "
            "bind tcp://127.0.0.1 or ipc://, or pass CURVE keys (see docs/cluster.md)",
        )


# ----------------------------------------------------------------------------- endpoints


class Endpoint:
    """One protocol socket: numbers and packs outgoing messages, validates incoming ones."""

    def __init__(
        self,
        socket: zmq.Socket,
        node_id: str,
        *,
        limits: Limits = DEFAULT_LIMITS,
        authenticator: ThreadAuthenticator | None = None,
    ) -> None:
        self.socket = socket
        self.node_id = node_id
        self.limits = limits
        self.routed = socket.type == zmq.ROUTER
        self.address: str = socket.getsockopt_string(zmq.LAST_ENDPOINT)
        self.dropped = 0
        self._last_id = 0
        self._authenticator = authenticator

    def send(
        self,
        type: str,
        *,
        to: bytes | None = None,
        payload: Sequence[bytes] = (),
        run: str | None = None,
        ep: int = 0,
        re: int | None = None,
        **fields: Any,
    ) -> int:
        """Send a new message (to peer `to` on a ROUTER); returns its message id."""
        self._last_id += 1
        header = {"run": run, "ep": ep, "src": self.node_id, "id": self._last_id, "re": re, **fields}
        return self._send_message(Message(type, header, tuple(payload)), to)

    def forward(self, message: Message, *, to: bytes | None = None, **fields: Any) -> int:
        """Send `message` (made elsewhere, e.g. by a worker core) as this endpoint's own:
        numbered here, with `fields` added; what `send` with its header's fields would send."""
        self._last_id += 1
        header = {**message.header, "src": self.node_id, "id": self._last_id, **fields}
        return self._send_message(Message(message.type, header, message.payload), to)

    def _send_message(self, message: Message, to: bytes | None) -> int:
        type = message.type
        frames = pack(message)
        if self.routed:
            if to is None:
                raise TransportError(f"{type}: a ROUTER send needs a peer identity")
            frames.insert(0, to)
        try:
            self._send_frames(frames)
        except zmq.Again:
            raise PeerUnreachable(f"{type} to {_label(to)}: send queue full") from None
        except zmq.ZMQError as error:
            if error.errno == zmq.EHOSTUNREACH:
                raise PeerUnreachable(f"{type} to {_label(to)}: peer not connected") from None
            raise
        return self._last_id

    def _send_frames(self, frames: list[bytes]) -> None:
        """send_multipart without its per-frame enum arithmetic and Frame objects for small
        frames (a task is 6 frames; this is the coordinator loop's hottest path). A multipart
        message is queued atomically, so zmq.Again can only come from the first frame."""
        send = self.socket.send
        last = len(frames) - 1
        for index, frame in enumerate(frames):
            send(frame, _NOBLOCK_MORE if index < last else _NOBLOCK, copy=len(frame) < _ZERO_COPY_BYTES)

    def reply(self, envelope: Envelope, type: str, *, payload: Sequence[bytes] = (), **fields: Any) -> int:
        """Answer a received message: same peer and run, `re` = its id."""
        request = envelope.message
        return self.send(
            type, to=envelope.peer, payload=payload, run=request["run"], ep=request["ep"], re=request["id"], **fields
        )

    def recv_nowait(self) -> Envelope | None:
        """The next valid message already queued, or None; invalid ones are dropped on the way."""
        for _ in range(MAX_DROPS_PER_RECEIVE):
            try:
                frames = self.socket.recv_multipart(_NOBLOCK)
            except zmq.Again:
                return None
            envelope = self._parse(frames)
            if envelope is not None:
                return envelope
        return None

    def recv(self, timeout: float) -> Envelope | None:
        """Wait up to `timeout` seconds for a valid message."""
        deadline = time.monotonic() + timeout
        while True:
            envelope = self.recv_nowait()
            if envelope is not None:
                return envelope
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.socket.poll(max(1, int(remaining * 1000)))

    def close(self) -> None:
        self.socket.close(linger=0)
        if self._authenticator is not None:
            self._authenticator.stop()

    def _parse(self, frames: list[bytes]) -> Envelope | None:
        peer = frames[0] if self.routed else None
        try:
            message = unpack(frames[1:] if self.routed else frames, self.limits)
        except ProtocolError as error:
            self.dropped += 1
            LOGGER.warning("%s dropped a message from %s: %s", self.node_id, _label(peer), error)
            return None
        return Envelope(peer, message)


def _label(peer: bytes | None) -> str:
    if peer is None:
        return "the peer"
    text = peer.decode("utf-8", "replace") if peer.isascii() and peer.isalnum() else peer.hex()
    return repr(text[:40])


def _configure(socket: zmq.Socket, limits: Limits, hwm: int) -> None:
    socket.linger = 0
    socket.sndhwm = hwm
    socket.rcvhwm = hwm
    # zmq disconnects a peer that sends a bigger frame, before allocating it.
    socket.setsockopt(zmq.MAXMSGSIZE, max(limits.max_frame_bytes, limits.max_header_bytes))


def bind_router(
    context: zmq.Context,
    address: str,
    node_id: str,
    *,
    curve: CurveServer | None = None,
    limits: Limits = DEFAULT_LIMITS,
    hwm: int = DEFAULT_HWM,
) -> Endpoint:
    """Bind a ROUTER (the coordinator's control socket, a worker's data socket) under the bind policy."""
    check_bind_address(address, curve)
    socket = context.socket(zmq.ROUTER)
    try:
        _configure(socket, limits, hwm)
        # A send to an unknown or vanished peer raises instead of silently dropping the message.
        socket.setsockopt(zmq.ROUTER_MANDATORY, 1)
        if curve is not None:
            _apply_curve(socket, curve)
        authenticator = _start_authenticator(context, curve) if curve is not None else None
        try:
            socket.bind(address)
        except zmq.ZMQError as error:
            if authenticator is not None:
                authenticator.stop()
            raise GraphoidError("NetworkError", f"cannot bind {address}: {error}") from None
    except BaseException:
        socket.close(linger=0)
        raise
    return Endpoint(socket, node_id, limits=limits, authenticator=authenticator)


def connect_dealer(
    context: zmq.Context,
    address: str,
    node_id: str,
    *,
    curve: CurveClient | None = None,
    limits: Limits = DEFAULT_LIMITS,
    hwm: int = DEFAULT_HWM,
    identity: str | None = None,
) -> Endpoint:
    """Connect a DEALER whose identity is `node_id` (or `identity`, for a second link of the
    same node: a ROUTER refuses a connection under an identity it already has), so the ROUTER
    side knows who is talking."""
    socket = context.socket(zmq.DEALER)
    try:
        _configure(socket, limits, hwm)
        socket.setsockopt(zmq.IDENTITY, (identity or node_id).encode())
        if curve is not None:
            _apply_curve(socket, curve)
        try:
            socket.connect(address)
        except zmq.ZMQError as error:
            raise GraphoidError("NetworkError", f"cannot connect to {address}: {error}") from None
    except BaseException:
        socket.close(linger=0)
        raise
    return Endpoint(socket, node_id, limits=limits)


class PeerLinks:
    """A worker's DEALERs to its peers' data ROUTERs, connected on first use."""

    def __init__(self, context: zmq.Context, node_id: str, *, curve: CurveClient | None = None) -> None:
        self._context = context
        self._node_id = node_id
        self._curve = curve
        self._links: dict[str, Endpoint] = {}

    def link(self, peer_id: str, address: str) -> Endpoint:
        """The endpoint to `peer_id`, connecting it to `address` the first time."""
        endpoint = self._links.get(peer_id)
        if endpoint is None:
            endpoint = connect_dealer(self._context, address, self._node_id, curve=self._curve)
            self._links[peer_id] = endpoint
        return endpoint

    def endpoints(self) -> list[Endpoint]:
        return list(self._links.values())

    def forget(self, peer_id: str) -> None:
        """Close the link to a peer that left (a later `link` reconnects)."""
        endpoint = self._links.pop(peer_id, None)
        if endpoint is not None:
            endpoint.close()

    def close(self) -> None:
        for endpoint in self._links.values():
            endpoint.close()
        self._links.clear()


class DirectLinks:
    """DEALERs to peers' data ROUTERs owned by one thread other than the loop (a worker's core
    thread), for messages that need no answer (superstep batches): they leave the process the
    moment the core makes them, while the loop may be waiting for the GIL behind the core's
    next step. Their identity is `identity`, not the node id (the loop's PeerLinks hold that
    one), so no answer is ever routed to them and they are never read.

    zmq sockets are single-threaded: only the owning thread sends; `close` may come from the
    loop while that thread still runs a task, so a lock orders the two (a socket may change
    threads across a full memory barrier) and a send after `close` reports failure."""

    def __init__(self, context: zmq.Context, node_id: str, identity: str, *, curve: CurveClient | None = None) -> None:
        self._context = context
        self._node_id = node_id
        self._identity = identity
        self._curve = curve
        self._links: dict[str, tuple[str, Endpoint]] = {}  # peer -> (its address, the link)
        self._lock = threading.Lock()
        self.closed = False

    def send(self, peer_id: str, address: str, message: Message, **fields: Any) -> bool:
        """Send `message` to `peer_id` at `address` now, numbered as this link's own with
        `fields` added; False if it cannot go this way (closed, queue full, no connection)."""
        with self._lock:
            if self.closed:
                return False
            try:
                link = self._links.get(peer_id)
                if link is None or link[0] != address:  # first use, or the peer moved (PEERS changed)
                    if link is not None:
                        del self._links[peer_id]
                        link[1].close()
                    link = self._links[peer_id] = (address, connect_dealer(
                        self._context, address, self._node_id, curve=self._curve, identity=self._identity))
                link[1].forward(message, **fields)
            except (TransportError, GraphoidError, zmq.ZMQError) as error:
                LOGGER.warning("%s: %s to %s goes through the loop: %s", self._node_id, message.type, peer_id, error)
                return False
            return True

    def peers(self) -> list[str]:
        """The peers a link is open to."""
        with self._lock:
            return list(self._links)

    def close(self) -> None:
        """Close every link (from any thread); later sends return False."""
        with self._lock:
            self.closed = True
            for _, endpoint in self._links.values():
                endpoint.close()
            self._links.clear()
