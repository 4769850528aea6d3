"""The uids a pool's workers run as, each used by this pool alone on the host.

The kernel counts a uid's tasks across the whole host (`RLIMIT_NPROC`, which bounds a run's threads): two gradwalk
servers started with one `GRADWALK_SANDBOX_UID` (the default), or a server and `gradwalk capture`, shared it, and a
run on one that started all the threads it may made the other's runs fail to start theirs (4 runs of 5 ended with
exit status 1). A pool claims its uids: a block of consecutive uids from `GRADWALK_SANDBOX_UID` on that no process
of the host runs as and no other pool has claimed; a block in use is passed over for the next.

A claim is a lock (`flock`) on a file named after each uid in LOCKS, a folder only root may write to, held while the
pool lives and let go with its process, however it ends. Where LOCKS cannot be made (a container's read-only root,
whose network namespace is its own), it is an abstract Unix socket named after the uid instead; those any local
account may bind first, moving the workers onto later uids or, holding all the blocks, keeping the server from
starting, which a root-only folder rules out.
"""

import contextlib
import fcntl
import io
import os
import socket
import stat
from pathlib import Path

BLOCKS_TRIED = 64  # blocks of uids looked at before the pool gives up (SandboxUnavailable)
LOCKS = Path("/run/gradwalk")  # the claims' lock files: root's alone (made 0700, refused if others may write)


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
        self.locks: list[socket.socket | io.FileIO] = []

    def release(self) -> None:
        for lock in self.locks:
            lock.close()
        self.locks = []


def _locks() -> int | None:
    """LOCKS, opened (made if missing), if it is root's and no one else may write to it; else None."""
    try:
        os.mkdir(LOCKS, 0o700)
    except FileExistsError:
        pass
    except OSError:  # (a read-only root, or not root: the sockets)
        return None
    try:
        folder = os.open(LOCKS, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    found = os.fstat(folder)
    if found.st_uid != 0 or found.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or os.geteuid() != 0:
        os.close(folder)
        return None
    return folder


def _lock(uid: int, folder: int | None) -> socket.socket | io.FileIO | None:
    """What says `uid` is a pool's: a lock on its file in the `folder` of lock files (None: an abstract socket), held
    by this process; None when another pool holds it."""
    if folder is not None:
        fd = os.open(f"uid-{uid}", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=folder)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return io.FileIO(fd, "r+")
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
    used, folder = uids_in_use(), _locks()
    try:
        for step in range(BLOCKS_TRIED):
            start = first + step * count
            if start + count - 1 > highest:
                break
            if used.intersection(range(start, start + count)):
                continue
            claim = UidClaim(start, count)
            for uid in range(start, start + count):
                lock = _lock(uid, folder)
                if lock is None:
                    break
                claim.locks.append(lock)
            else:
                return claim
            claim.release()
        return None
    finally:
        if folder is not None:
            os.close(folder)
