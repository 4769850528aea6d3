"""What a run could reach of the host's kernel through calls its filter let through: memory held in its scratch files,
outside every limit of the run and of its tmpfs (POSIX ACLs, byte-range locks), and the socket code of every family
(socketpair). Tried in a worker of the module's own; the next benign run is checked as in test_sandbox.py.
"""

import errno
import os

import pytest

from app.sandbox import Sandbox
from tests.helpers import needs_jail
from tests.test_sandbox import SETTINGS, assert_still_healthy, describe, expect, free_uids, snapshot, snippet

pytestmark = needs_jail


@pytest.fixture(scope="module")
def box():
    sandbox = Sandbox(SETTINGS.model_copy(update={"sandbox_uid": free_uids(1)}))
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


ACLS = """
import os, struct
# A POSIX ACL as the kernel reads it: version 2, then (tag, permissions, id) entries: its owner, USERS named users,
# its group, the mask and the others. 8000 users make it 64 KB, the most one attribute may be.
entries = [(1, 7, 0xFFFFFFFF)] + [(2, 7, 1000 + i) for i in range(USERS)]
entries += [(4, 7, 0xFFFFFFFF), (0x10, 7, 0xFFFFFFFF), (0x20, 7, 0xFFFFFFFF)]
acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)
os.mkdir("/tmp/d")
held, refused = 0, set()
for i in range(FILES):
    path = f"/tmp/d/f{i}"
    open(path, "w").close()
    for name, target in (("system.posix_acl_access", path), ("system.posix_acl_default", "/tmp/d")):
        try:
            os.setxattr(target, name, acl)
            held += len(acl)
        except OSError as exc:
            refused.add(exc.errno)
open("/tmp/copy", "w").close()
import shutil
shutil.copy2("/tmp/d/f0", "/tmp/copy")  # (a copy of a file's attributes leaves them out, as on a filesystem without)
print(sorted(refused))
print(held >> 20)
"""


def test_a_run_cannot_hold_the_hosts_memory_in_acls_of_its_files(box):
    """The scratch tmpfs keeps a file's POSIX ACL (up to 64 KiB, and as much again for a folder's default one) in the
    kernel's memory, counted by neither its size nor its inode limit nor the run's memory: 3000 files with one each
    held 190 MiB of the host's unreclaimable memory after 0.4 s of a run's CPU. setxattr answers ENOTSUP, as on a
    filesystem without extended attributes."""
    before = snapshot(box)
    run = box.run(snippet(ACLS, USERS=8000, FILES=200))
    expect(run, "ok")
    assert run.stdout == f"[{errno.ENOTSUP}]\n0\n", describe(run)
    assert_still_healthy(box, before)


LOCKS = """
import ctypes, fcntl, os, struct
libc = ctypes.CDLL(None, use_errno=True)
libc.fcntl.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
F_OFD_SETLK, F_OFD_GETLK = 37, 36
lock = ctypes.create_string_buffer(32)  # struct flock
answers, held = set(), 0
for i in range(FILES):
    fd = os.open(f"/tmp/l{i}", os.O_RDWR | os.O_CREAT)
    for command in (fcntl.F_SETLK, F_OFD_SETLK):
        for k in range(RANGES):  # ranges a byte apart: a lock record each
            struct.pack_into("hhqqi", lock, 0, fcntl.F_WRLCK, 0, 2 * k + (command == F_OFD_SETLK), 1, 0)
            answers.add(ctypes.get_errno() if libc.fcntl(fd, command, lock) else 0)
    held += open(f"/proc/self/fdinfo/{fd}").read().count("lock:")  # (the file's locks, whoever holds them)
    libc.mmap(None, 4096, 1, 1, fd, 0)  # (the mapping keeps the open file description, so its locks, past the close)
    os.close(fd)
print(sorted(answers))
print(held)
# What a program that locks a file sees: its lock is granted, and no other stands in its way.
with open("/tmp/db", "w") as db:
    fcntl.lockf(db, fcntl.LOCK_EX | fcntl.LOCK_NB)
    struct.pack_into("hhqqi", lock, 0, fcntl.F_WRLCK, 0, 0, 0, 0)
    print(libc.fcntl(db.fileno(), fcntl.F_GETLK, lock), struct.unpack_from("h", lock)[0] == fcntl.F_UNLCK)
    fcntl.lockf(db, fcntl.LOCK_UN)
import sqlite3
connection = sqlite3.connect("/tmp/run.db")
connection.execute("create table t (x)")
connection.execute("insert into t values (2)")
connection.commit()
print(connection.execute("select x * x from t").fetchone()[0])
"""


def test_a_run_cannot_hold_the_hosts_memory_in_file_locks(box):
    """Each locked range of a file is a record in the kernel's memory, with no limit of its own (RLIMIT_LOCKS does
    nothing): ranges a byte apart on 3000 files, their open file descriptions kept past their close by a mapping of
    each, held 132 MiB of the host's memory after 15 s of a Python loop's CPU. A run's POSIX locks are answered 0 and
    keep nothing (one process's locks never conflict with each other, so it is told and does what it would have); locks
    of an open file description, which can, are answered EINVAL, as by a kernel without them. sqlite still works."""
    before = snapshot(box)
    run = box.run(snippet(LOCKS, FILES=20, RANGES=500))
    expect(run, "ok")
    assert run.stdout == f"[0, {errno.EINVAL}]\n0\n0 True\n4\n", describe(run)
    assert_still_healthy(box, before)


SOCKET_PAIRS = """
import ctypes, socket
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
pair = (ctypes.c_int * 2)()
answers = set()
for family, kind, protocol in FAMILIES:
    made = libc.syscall(53, ctypes.c_long(family), kind, protocol, pair)  # socketpair (x86_64)
    answers.add(made if made < 0 else "made")
    answers.add(ctypes.get_errno() if made < 0 else "made")
a, b = socket.socketpair()  # (AF_UNIX, as Python makes them: still there)
a.send(b"pair")
print(sorted(answers, key=str), b.recv(4))
"""


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="the probe calls socketpair by its x86_64 number")
def test_a_run_reaches_no_socket_family_but_unix_through_socketpair(box):
    """socketpair makes its first socket before it finds that a family has no pairs: a run reached the socket code of
    every protocol the host's kernel has (IPv4 by protocol, netlink, vsock), and on a kernel with modules, asking for a
    family or protocol it lacks (TIPC, SCTP) has the kernel load its module. Every family but AF_UNIX answers
    EAFNOSUPPORT, a family with high bits set too (the kernel reads an int)."""
    families = [(2, 1, 0), (2, 1, 132), (2, 2, 0), (10, 1, 33), (16, 3, 0), (40, 1, 0), (30, 5, 0), (1 | 1 << 32, 1, 0)]
    before = snapshot(box)
    run = box.run(snippet(SOCKET_PAIRS, FAMILIES=families))
    expect(run, "ok")
    assert run.stdout == f"[-1, {errno.EAFNOSUPPORT}] b'pair'\n", describe(run)
    assert_still_healthy(box, before)


DATAGRAMS = """
import ctypes, socket
libc = ctypes.CDLL(None, use_errno=True)
answers, held, names = set(), 0, []
unpaired = (ctypes.c_ushort * 8)()  # a sockaddr of AF_UNSPEC: connect() with it unpairs a datagram socket
for i in range(RECEIVERS):
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    answers.add(ctypes.get_errno() if libc.connect(a.fileno(), unpaired, 16) else 0)
    b.close()
    try:
        a.send(b"")  # (its pair gone, the kernel unpairs it too)
    except OSError:  # (refused; or not connected, unpaired already)
        pass
    a.bind(f"\\0gradwalk-{i}".encode())
    names.append((a, a.getsockname()))
data = b"x" * 65536
for i, (_, name) in enumerate(names):
    for _ in range(12):  # (a socket queues a dozen datagrams from senders other than its pair, whose buffers they use)
        c, d = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        d.close()
        c.setblocking(False)
        try:
            if i % 2:
                c.connect(name)
                held += c.send(data)
            else:
                held += c.sendto(data, name)
        except BlockingIOError:
            pass
        except OSError as exc:
            answers.add(exc.errno)
        c.close()  # (what it sent stays queued, in its buffer)
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)  # (a pair's datagrams: still there)
a.send(b"pair")
print(sorted(answers))
print(held >> 20, b.recv(4))
"""


def test_a_run_cannot_queue_datagrams_from_many_sockets_into_one(box):
    """A datagram socket whose pair is gone (or undone with connect(AF_UNSPEC)) takes datagrams from any socket that
    names it, a dozen queued at once, each in its sender's buffer, which the sender's close does not free: 56 such
    sockets held 2.3 MiB each, 190 MiB of the host's memory in no limit of the run's, where a socket fed by its pair
    alone holds 0.2 MiB. A run's sockets come only from socketpair, so each sends to its pair alone: connect and
    sendto with an address answer EPERM, as socket() does."""
    before = snapshot(box)
    run = box.run(snippet(DATAGRAMS, RECEIVERS=16))
    expect(run, "ok")
    assert run.stdout == f"[{errno.EPERM}]\n0 b'pair'\n", describe(run)
    assert_still_healthy(box, before)


FILTERS = """
import ctypes, threading
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


class Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Instruction))]


allow = Program(1, (Instruction * 1)(Instruction(0x06, 0, 0, 0x7FFF0000)))  # return SECCOMP_RET_ALLOW
ways = {
    "seccomp": lambda: libc.syscall(317, 1, 0, ctypes.byref(allow)),  # SECCOMP_SET_MODE_FILTER (x86_64)
    "prctl": lambda: libc.prctl(22, ctypes.c_ulong(2), ctypes.byref(allow), 0, 0),  # PR_SET_SECCOMP, MODE_FILTER
}
loaded, answers = [], set()


def stack():  # (each thread stacks filters of its own on the chain it was started with)
    count = 0
    for way in ways.values():
        for _ in range(FILTERS):
            if way():
                answers.add(ctypes.get_errno())
                break
            count += 1
    loaded.append(count)


threads = [threading.Thread(target=stack) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(answers), sum(loaded))
print(libc.syscall(317, 2, 0, ctypes.byref(ctypes.c_uint(0x7FFF0000))))  # (SECCOMP_GET_ACTION_AVAIL: still answered)
"""


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="the probe calls seccomp by its x86_64 number")
def test_a_run_cannot_hold_the_hosts_memory_in_seccomp_filters_of_its_own(box):
    """Each seccomp filter is a program of at least a page of the kernel's memory, with its copy and its compiled form,
    and each thread of a run may stack them up to 32,768 instructions: 3,600 one-instruction filters a thread, and a
    run's 8 threads held 230 MiB of the host's memory in 1 s of CPU. Installing a filter answers EPERM, through the
    seccomp call and through prctl."""
    before = snapshot(box)
    run = box.run(snippet(FILTERS, THREADS=4, FILTERS=50))
    expect(run, "ok")
    assert run.stdout == f"[{errno.EPERM}] 0\n0\n", describe(run)
    assert_still_healthy(box, before)


QUEUED_SIGNALS = """
import ctypes, errno, os, signal, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
signal.pthread_sigmask(signal.SIG_BLOCK, range(signal.SIGRTMIN, signal.SIGRTMAX + 1))
info = ctypes.create_string_buffer(128)  # a siginfo: signal 40, errno 0, si_code SI_QUEUE
ctypes.memmove(info, (ctypes.c_int * 3)(40, 0, -1), 12)
queued = 0
while queued < ATTEMPTS and libc.syscall(129, os.getpid(), 40, info) == 0:  # rt_sigqueueinfo (x86_64)
    queued += 1
print(queued, errno.errorcode.get(ctypes.get_errno()))
rang = []
signal.signal(signal.SIGALRM, lambda *_: rang.append(1))
signal.setitimer(signal.ITIMER_REAL, 0.01)  # (a standard signal, as the run's own timers send: still delivered)
time.sleep(0.2)
print(rang)
"""


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="the probe calls rt_sigqueueinfo by its x86_64 number")
def test_a_run_cannot_hold_the_hosts_memory_in_queued_signals(box):
    """Each queued signal is a record in the kernel's memory, in no limit of the run's but RLIMIT_SIGPENDING, which the
    host sizes by its memory (96,367 here, about a million on a 256 GiB host): real-time signals a run sent itself,
    blocked, queued up to it. A run may have 256 queued; its timers' signals still arrive."""
    before = snapshot(box)
    run = box.run(snippet(QUEUED_SIGNALS, ATTEMPTS=20_000))
    expect(run, "ok")
    assert run.stdout == "256 EAGAIN\n[1]\n", describe(run)
    assert_still_healthy(box, before)


COPIES = """
import ctypes, mmap
libc = ctypes.CDLL(None, use_errno=True)
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
inherited = [line.split() for line in open("/proc/self/maps")]  # (before anything of the run's own is mapped)
held = []
try:  # (the run's budget, and the rest of its address space, in memory of its own)
    while True:
        held.append(bytearray(16 << 20))
except MemoryError:
    pass
try:
    while True:
        shared = mmap.mmap(-1, 16 << 20)  # (shared memory: not the data a budget counts, but address space)
        ctypes.memset(ctypes.addressof(ctypes.c_char.from_buffer(shared)), 1, 16 << 20)
        held.append(shared)
except (MemoryError, OSError):
    pass
copied = 0
for fields in inherited:  # then the text of the libraries it shares with its worker, rewritten byte for byte
    if len(fields) < 6 or not fields[5].startswith("/") or fields[1] != "r-xp":
        continue
    start, end = (int(bound, 16) for bound in fields[0].split("-"))
    if libc.mprotect(start, end - start, 7) == 0:  # (read, write, execute: it still runs)
        for page in range(start, end, 4096):
            byte = ctypes.c_char.from_address(page)
            byte.value = byte.value
        copied += end - start
print("copied", copied >> 20, "MiB")
"""


def test_a_run_cannot_hold_copies_of_the_memory_it_shares_with_its_worker(box_for_copies):
    """A run's address space bounds what it maps, not what it inherited mapped from its worker: torch's libraries'
    text, made writable and written byte for byte, became private copies, and a run with a budget of 512 MiB held
    1.4 GiB. The worker stops a run whose anonymous and shared memory passes its own by more than the run may map."""
    before = snapshot(box_for_copies)
    run = box_for_copies.run(COPIES)
    expect(run, "limit", "MemoryLimit", "grew past the 448 MiB")
    assert_still_healthy(box_for_copies, before)


@pytest.fixture
def box_for_copies():
    """A worker whose runs have a small budget (128 MiB) and time to fill it and copy the libraries."""
    settings = {"run_memory_mb": 128, "run_cpu_s": 10, "run_timeout_s": 15, "sandbox_uid": free_uids(1)}
    sandbox = Sandbox(SETTINGS.model_copy(update=settings))
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


def test_the_worker_counts_a_runs_memory_in_swap(tmp_path, monkeypatch):
    """On a host with swap, a run that pushed each copy of its worker's memory out as it made it (MADV_PAGEOUT) held
    little resident memory and as much swap as it liked: the worker counts anonymous memory in swap as held too (this
    host may have no swap, so the child's status is written here)."""
    from app.sandbox import worker

    (tmp_path / "7").mkdir()
    fields = {"VmPTE": 900, "RssAnon": 250_000, "RssFile": 30_000, "RssShmem": 4_000, "VmSwap": 1_200_000}
    status = "Name:\tpython\n" + "".join(f"{name}:\t{kib:8d} kB\n" for name, kib in fields.items())
    (tmp_path / "7" / "status").write_text(status)
    monkeypatch.setattr(worker, "STATUS", str(tmp_path / "{}" / "status"))
    monkeypatch.setattr(worker, "THREADS", str(tmp_path / "{}" / "task"))  # (not the host's process 8's threads)
    assert worker.usage(7) == (900, 250_000 + 4_000 + 1_200_000)
    assert worker.usage(8) == (0, 0)  # (a process gone)


def test_the_worker_counts_a_runs_memory_when_its_main_thread_has_ended(tmp_path, monkeypatch):
    """A process whose first thread has ended (SYS_exit of the main thread alone) shows no memory in its status, while
    its other threads go on holding and mapping: the worker reads the status of a thread still running (every thread
    shows the memory they share). tests/test_sandbox.py makes such a process in the jail."""
    from app.sandbox import worker

    ended = "Name:\tpython\nState:\tZ (zombie)\nThreads:\t2\n"  # (as the kernel writes it: no Vm or Rss line)
    fields = {"VmPTE": 720_000, "RssAnon": 250_000, "RssShmem": 4_000, "VmSwap": 0}
    running = "Name:\tpython\nState:\tR (running)\n" + "".join(
        f"{name}:\t{kib:8d} kB\n" for name, kib in fields.items()
    )
    for path, status in (("7/status", ended), ("7/task/7/status", ended), ("7/task/9/status", running)):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(status)
    monkeypatch.setattr(worker, "STATUS", str(tmp_path / "{}" / "status"))
    monkeypatch.setattr(worker, "THREADS", str(tmp_path / "{}" / "task"))
    monkeypatch.setattr(worker, "THREAD_STATUS", str(tmp_path / "{}" / "task" / "{}" / "status"))
    assert worker.usage(7) == (720_000, 254_000)
    assert worker.usage(8) == (0, 0)  # (a process gone)
