"""Frames between the server and a worker, and between a worker and its child: a 4-byte big-endian length,
then that many bytes. Headers are JSON objects; a run's result travels as raw bytes in a frame of its own.
"""

import json
import os
import select
import struct
import time


class ProtocolError(RuntimeError):
    """The other side closed, sent too much, or did not answer in time."""


def read_exact(fd: int, size: int, deadline: float | None = None) -> bytes:
    data = bytearray()
    while len(data) < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise ProtocolError("no answer in time")
        chunk = os.read(fd, min(size - len(data), 1 << 20))
        if not chunk:
            raise ProtocolError("the other side closed")
        data += chunk
    return bytes(data)


def receive(fd: int, max_bytes: int, deadline: float | None = None) -> bytes:
    (size,) = struct.unpack(">I", read_exact(fd, 4, deadline))
    if size > max_bytes:
        raise ProtocolError(f"a frame of {size} bytes is over the limit of {max_bytes}")
    return read_exact(fd, size, deadline)


def send(fd: int, payload: bytes) -> None:
    view = memoryview(struct.pack(">I", len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def receive_json(fd: int, deadline: float | None = None) -> dict:
    message = json.loads(receive(fd, 1 << 20, deadline))
    if not isinstance(message, dict):
        raise ProtocolError("a header that is not an object")
    return message


def send_json(fd: int, message: dict) -> None:
    send(fd, json.dumps(message).encode())
