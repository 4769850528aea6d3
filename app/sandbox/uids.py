"""The uids a pool's workers run as, each used by this pool alone on the host.

The kernel counts a uid's tasks across the whole host (`RLIMIT_NPROC`, which bounds a run's threads): two gradwalk
servers started with one `GRADWALK_SANDBOX_UID` (the default), or a server and `gradwalk capture`, shared it, and a
run on one that started all the threads it may made the other's runs fail to start theirs (4 runs of 5 ended with
exit status 1). A pool claims its uids: a block of consecutive uids from `GRADWALK_SANDBOX_UID` on that no process
of the host runs as and no other pool has claimed (an abstract Unix socket named after each uid, held while the
pool lives and let go with its process, however it ends); a block in use is passed over for the next.
"""

import contextlib
import os
import socket
from pathlib import Path

BLOCKS_TRIED = 64  # blocks of uids looked at before the pool gives up (SandboxUnavailable)


def uids_in_use() -> set[int]:
    """Every uid (real, effective, saved, filesystem) some process of the host runs as."""
    used: set[int] = set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{name}/status").read_text().splitlines():
                if line.startswith("Uid:"):
                    used.update(int(uid) for uid in line.split()[1:])
                    break
    return used


class UidClaim:
    """`count` consecutive uids from `first` on, held until `release()`: `first` is the block's first uid."""

    def __init__(self, first: int, count: int):
        self.first = first
        self.count = count
        self.locks: list[socket.socket] = []

    def release(self) -> None:
        for lock in self.locks:
            lock.close()
        self.locks = []


def _lock(uid: int) -> socket.socket | None:
    """The abstract socket that says `uid` is a pool's, or None when another pool holds it."""
    lock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        lock.bind(f"\0gradwalk-sandbox-uid-{uid}")
    except OSError:
        lock.close()
        return None
    return lock


def claim_uids(first: int, count: int, highest: int = 4_000_000_000) -> UidClaim | None:
    """The first block of `count` uids from `first` on (in steps of `count`) that no process runs as and no other pool
    has claimed, claimed; None if none of BLOCKS_TRIED blocks is free."""
    used = uids_in_use()
    for step in range(BLOCKS_TRIED):
        start = first + step * count
        if start + count - 1 > highest:
            break
        if used.intersection(range(start, start + count)):
            continue
        claim = UidClaim(start, count)
        for uid in range(start, start + count):
            lock = _lock(uid)
            if lock is None:
                break
            claim.locks.append(lock)
        else:
            return claim
        claim.release()
    return None
