"""How the server, a worker and a run's child talk.

- Pipes (the server to a child: its job; a child to the server: its Run) carry frames: a 4-byte big-endian
  length, then that many bytes.
- The server and a worker talk over a Unix SOCK_SEQPACKET socket: one JSON object a message, with file
  descriptors beside it (SCM_RIGHTS) when the server hands a worker the pipes of its next child.
"""

import json
import os
import select
import socket
import struct
import time
from collections.abc import Sequence
from typing import Any

MAX_MESSAGE_BYTES = 65536
MAX_FDS = 4


class ProtocolError(RuntimeError):
    """The other side closed, sent too much, or did not answer in time."""


class TooLarge(ProtocolError):
    """The other side announced a frame over the limit (a snippet writing to the result pipe itself)."""


def ready(fd: int, timeout_s: float, writing: bool = False) -> bool:
    """Whether `fd` can be read (or written, `writing`) within `timeout_s` seconds, or its other end is gone.

    poll, never select: select takes no descriptor numbered past 1023 (FD_SETSIZE), and a server holding a thousand
    connections (idle ones from 30 addresses, or a busy day) numbers its next pipes past it: every run then failed with
    a 500, and each worker, its pipes closed but no next child forked, failed every later run too."""
    poller = select.poll()
    poller.register(fd, select.POLLOUT if writing else select.POLLIN)
    return bool(poller.poll(max(timeout_s, 0.0) * 1000))


def _wait(fd: int, deadline: float | None, writing: bool = False) -> None:
    if deadline is None:
        return
    left = deadline - time.monotonic()
    if left <= 0 or not ready(fd, left, writing):
        raise ProtocolError("no answer in time")


def read_exact(fd: int, size: int, deadline: float | None = None) -> bytes:
    data = bytearray()
    while len(data) < size:
        _wait(fd, deadline)
        chunk = os.read(fd, min(size - len(data), 1 << 20))
        if not chunk:
            raise ProtocolError("the other side closed")
        data += chunk
    return bytes(data)


def receive(fd: int, max_bytes: int, deadline: float | None = None) -> bytes:
    (size,) = struct.unpack(">I", read_exact(fd, 4, deadline))
    if size > max_bytes:
        raise TooLarge(f"a frame of {size} bytes is over the limit of {max_bytes}")
    return read_exact(fd, size, deadline)


def send(fd: int, payload: bytes, deadline: float | None = None) -> None:
    """Write one frame; with a deadline, on a descriptor made non-blocking, never waiting past it."""
    if deadline is not None:
        os.set_blocking(fd, False)
    view = memoryview(struct.pack(">I", len(payload)) + payload)
    while view:
        _wait(fd, deadline, writing=True)
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            continue


def send_message(channel: socket.socket, message: dict[str, Any], fds: Sequence[int] = ()) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(channel, [data], list(fds))
    else:
        channel.sendall(data)


def receive_message(channel: socket.socket, deadline: float | None = None) -> tuple[dict[str, Any], list[int]]:
    """One message and the descriptors that came with it."""
    _wait(channel.fileno(), deadline)
    data, fds, flags, _ = socket.recv_fds(channel, MAX_MESSAGE_BYTES, MAX_FDS)
    if not data:
        raise ProtocolError("the other side closed")
    try:
        message = json.loads(data)
    except ValueError:
        message = None
    if not isinstance(message, dict) or flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
        for fd in fds:
            os.close(fd)
        raise ProtocolError("a message that is not a JSON object")
    return message, fds
