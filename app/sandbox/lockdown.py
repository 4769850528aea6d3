"""What a run's child process does to itself before it executes a snippet: rlimits, prctl and a seccomp
filter (through libseccomp with ctypes; Debian's libseccomp2). Runs inside the worker, never in the server.
"""

import ctypes
import errno
import os
import resource
import threading

PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_NE, SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ = 1, 4, 7
CLONE_THREAD, CLONE_FILES = 0x00010000, 0x00000400
CLOSE_RANGE_UNSHARE = 2

# Denied outright: new programs and processes, looking into or tampering with other processes, namespaces
# and mounts, privileged kernel interfaces, and every socket (the network namespace has only loopback, and
# nothing a snippet needs opens one; socketpair stays).
DENIED = (
    "execve",
    "execveat",
    "fork",
    "vfork",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_open",
    "pidfd_getfd",
    "pidfd_send_signal",
    "process_madvise",
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "name_to_handle_at",
    "open_by_handle_at",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "keyctl",
    "add_key",
    "request_key",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    # (its twin on a descriptor, Linux 5.14: Q_SYNC needs no privilege and, on a filesystem without quotas, syncs the
    # whole filesystem; on any file the jail shows from the host's disk, each call sent that disk a cache flush, 33,000
    # in 2 s, as sync did before it answered 0 below)
    "quotactl_fd",
    "iopl",
    "ioperm",
    "fanotify_init",
    "syslog",
    "personality",
    "setrlimit",
    "ioprio_set",
    "socket",
    # System V and POSIX IPC live in the worker's IPC namespace and outlast a run: they could carry data from
    # one run to the next and hold memory outside the run's limit.
    *("shmget", "shmat", "shmdt", "shmctl", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop"),
    *("semtimedop", "semctl", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify"),
    "mq_getsetattr",
    # Leaving the run's process group or session (a process group shared with the worker would let kill(0)
    # reach it), choosing its cores, and timers, which can signal a thread chosen by its id (SIGEV_THREAD_ID).
    *("setpgid", "setsid", "sched_setaffinity", "timer_create"),
    # Sending descriptors (SCM_RIGHTS): a socketpair that holds itself in flight keeps whatever descriptors it
    # carries after the run's process is gone, until the kernel's garbage collector happens to run: an unlinked
    # file filled /tmp for the next runs, memfds held 300 MiB of the host's memory. send and sendto carry no
    # descriptors and stay.
    *("sendmsg", "sendmmsg"),
)
# Allowed only on the process itself (argument 0 is its own pid, or 0 where that means "self"). The worker has the
# run's uid, so the kernel would let a run lower the worker's priority or make it SCHED_IDLE: every later child
# forked from it would inherit that and run slower.
SIGNALS = ("kill", "tgkill", "tkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")
SCHEDULING = ("sched_setscheduler", "sched_setparam", "sched_setattr")
PRIO_PROCESS = 0
# Ways to have the kernel signal a process on an event, which could name the worker: the owner of a descriptor's
# SIGIO and SIGURG, the signal it sends, directory and lease notices (fcntl); the same through ioctl on sockets;
# and the signal sent to this process when its parent dies. Denied by their command.
F_SETOWN, F_SETSIG, F_SETOWN_EX, F_SETLEASE, F_NOTIFY = 8, 10, 15, 1024, 1026
FIOSETOWN, SIOCSPGRP, FIOASYNC = 0x8901, 0x8902, 0x5452
PR_SET_PDEATHSIG, PR_SET_PTRACER = 1, 0x59616D61
SIGNALLING_COMMANDS = {
    "fcntl": (F_SETOWN, F_SETSIG, F_SETOWN_EX, F_SETLEASE, F_NOTIFY),
    "fcntl64": (F_SETOWN, F_SETSIG, F_SETOWN_EX, F_SETLEASE, F_NOTIFY),
    "ioctl": (FIOSETOWN, SIOCSPGRP, FIOASYNC),
    "prctl": (PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_PTRACER),
}
F_SETFL, O_ASYNC = 4, 0o20000
# The kernel reads a command (prctl's option, fcntl's and ioctl's cmd) as a 32-bit int, while seccomp sees the whole
# 64-bit register: a rule that compared all 64 bits with F_SETOWN let `syscall(SYS_fcntl, fd, F_SETOWN | 1 << 32,
# worker)` through, which the kernel took for F_SETOWN (and a run killed its worker with SIGIO). So a command is
# matched on its low 32 bits alone. (The rules that allow one value and deny the rest, NE, stay on all 64 bits:
# there a value with high bits set is denied.)
LOW_32_BITS = 0xFFFFFFFF


def _is(argument: int, value: int) -> tuple[int, int, int, int]:
    """A condition: the 32-bit argument `argument` is `value`, whatever the register's high 32 bits hold."""
    return (argument, SCMP_CMP_MASKED_EQ, LOW_32_BITS, value)


# Kernel memory a run could fill outside its address space, so outside GRADWALK_RUN_MEMORY_MB, and as long as it runs:
# - socket buffers grown past their default: a socketpair's SO_SNDBUF goes up to net.core.wmem_max (4 MiB here, so
#   8 MiB), and 52 sockets filled held 1 GB of the host's memory besides the run's own;
# - pipes grown past their 64 KiB (F_SETPIPE_SZ, up to 1 MiB each);
# - inotify's queues: each instance queues 16,384 events of up to 512 bytes, and 54 instances watching /tmp, fed by
#   files made and removed there, held 440 MiB of kernel memory (700 MiB of the host's available memory).
# Each is refused with EPERM: no snippet needs them, and the defaults hold a few MiB in all.
SOL_SOCKET, SO_SNDBUF, SO_RCVBUF, SO_SNDBUFFORCE, SO_RCVBUFFORCE = 1, 7, 8, 32, 33
F_SETPIPE_SZ = 1031
KERNEL_BUFFERS = ("inotify_init", "inotify_init1")
# And pages a pipe holds by reference rather than by copy: vmsplice puts the run's own pages into a pipe, and a page
# of a huge (2 MiB) page keeps all of it, so 26 pipes of 16 slots, their memory then unmapped, held 830 MiB that no
# address space counted; splice, sendfile and tee do as much with a file's cached pages. ENOSYS, so that Python
# (shutil's copies, socket.sendfile) falls back to reading and writing.
PAGE_REFERENCES = ("vmsplice", "splice", "tee", "sendfile")
# Asynchronous I/O's contexts come out of one budget for the whole host (fs.aio-max-nr, 65,536 events): one run
# took 60,000 of them, and every other process's io_setup failed (EAGAIN) while it ran. ENOSYS: libraries fall back.
HOST_BUDGETS = ("io_setup",)
# Landlock's rulesets: each rule holds its file's inode in the host's memory, out of reach of reclaim, for as long as
# the ruleset lives, and the jail shows about 247,000 files and folders (/usr, the virtualenv, Python): one run added
# a rule for each in 4.5 s of its CPU and held 170 MiB of the host's inode and dentry caches that way, and 25 MiB of
# landlock's own, in no limit of the run's. No snippet restricts itself so. ENOSYS, as a kernel without landlock.
PINNING = ("landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self")
# And seccomp filters of the run's own, stacked on gradwalk's: each is a program of at least a page of vmalloc'd kernel
# memory, with its copy and its compiled form, and each thread may stack them up to 32,768 instructions (4 more for
# each filter): about 3,600 one-instruction filters a thread, 12 MiB, and one run's 8 threads held 230 MiB of the
# host's memory in 1 s of CPU, in no limit of the run's. Installing one (seccomp's SECCOMP_SET_MODE_FILTER, prctl's
# PR_SET_SECCOMP with SECCOMP_MODE_FILTER) answers EPERM; the strict mode and seccomp's questions stay.
SECCOMP_SET_MODE_FILTER, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 1, 22, 2
OWN_FILTERS = [
    ("seccomp", [_is(0, SECCOMP_SET_MODE_FILTER)]),
    ("prctl", [_is(0, PR_SET_SECCOMP), (1, SCMP_CMP_EQ, SECCOMP_MODE_FILTER, 0)]),  # (an unsigned long, all 64 bits)
]
# Kernel memory a run could hold in its scratch tmpfs's files, outside GRADWALK_RUN_MEMORY_MB and every size and inode
# limit of the tmpfs, for as long as the files live:
# - POSIX ACLs (setxattr of system.posix_acl_access or _default): the tmpfs keeps each in the kernel's memory, up to
#   64 KiB a file and as much again for a folder's default one, and counts none of it; 3000 files with one each held
#   190 MiB of the host's unreclaimable memory after 0.4 s of a run's CPU (user.* attributes are bounded by the tmpfs,
#   4 MiB in all, but no call tells the names apart). Every setxattr is answered ENOTSUP, as a filesystem without
#   extended attributes does: copies (shutil.copystat) leave them out, as they do there;
# - byte-range locks, one lock record for each range of a file, with no limit of their own (RLIMIT_LOCKS does nothing):
#   ranges a byte apart on 3000 files, their open file descriptions kept by a mapping of each, held 132 MiB after 15 s
#   of a Python loop's CPU (a loop in machine code takes a fraction of that). A run is one process, whose POSIX locks
#   never conflict with each other, so taking one is answered 0 and nothing is kept: what it would have been told and
#   done is unchanged (F_GETLK still answers that no other lock stands in the way). Locks of an open file description
#   (F_OFD_SETLK), which can conflict within a process, are answered EINVAL, as a kernel without them does.
XATTR_SETS = ("setxattr", "lsetxattr", "fsetxattr")
F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW, F_SETLK64, F_SETLKW64 = 6, 7, 37, 38, 13, 14
POSIX_LOCKS = {"fcntl": (F_SETLK, F_SETLKW), "fcntl64": (F_SETLK, F_SETLKW, F_SETLK64, F_SETLKW64)}
DESCRIPTION_LOCKS = (F_OFD_SETLK, F_OFD_SETLKW)
# socketpair of any family but AF_UNIX: the kernel makes the first socket before it finds that the family has no pairs,
# so a run reached the socket-creating code of every protocol the host's kernel has (netlink, vsock, IPv4 and IPv6 by
# protocol), and on a kernel with modules, asking for a family or protocol it lacks (TIPC, SCTP, RDS, DCCP) has the
# kernel load its module (request_module("net-pf-N")): code of the host's kernel no run should choose to load.
# The socket() these would take is refused above; socketpair keeps AF_UNIX, the only family with pairs that anything
# uses (Python's socket.socketpair, multiprocessing). Any other family (all 64 bits compared: a family with high bits
# set is refused too) answers EAFNOSUPPORT, as a kernel without it would.
AF_UNIX = 1
# And each of a run's sockets sends to its pair alone. A datagram socket whose pair is gone (or undone with
# connect(AF_UNSPEC)) takes datagrams from any socket that names it (bind, or the name the kernel gives it), a dozen
# queued at once (net.unix.max_dgram_qlen), each in its sender's buffer, which the sender's close does not free: 56 such
# sockets held 2.3 MiB each, 190 MiB of the host's memory in no limit of the run's, where one fed by its pair alone
# holds its pair's 0.2 MiB. connect (which names another socket or undoes a pair) and sendto with an address answer
# EPERM, as socket() does: a socket of socketpair's needs neither (send is sendto without one).
ADDRESSED: list[tuple[str, list[tuple[int, int, int, int]]]] = [("connect", []), ("sendto", [(4, SCMP_CMP_NE, 0, 0)])]
# What a run could reach of the host through features some hosts have on, each refused with EPERM (no snippet uses
# them; the rest of each call's values stay allowed, as glibc, torch and numpy use them):
# - a tty's line discipline (ioctl TIOCSETD on the jail's /dev/ptmx): with dev.tty.ldisc_autoload = 1 the kernel loads
#   the discipline's module, code of the host's kernel no run should choose to load;
# - memory shared between processes by content (madvise MADV_MERGEABLE, prctl PR_SET_MEMORY_MERGE): with KSM on, the
#   time a write to a merged page takes tells a run whether another run holds a page of the same content;
# - core scheduling (prctl PR_SCHED_CORE): a run's cookie keeps a sibling CPU thread idle whenever nothing of the
#   same cookie can run on it, the time of another run's process on that core;
# - the host's reserved huge pages (mmap and mmap2 with MAP_HUGETLB; memfd_create with MFD_HUGETLB is refused with
#   the rest of memfd_create above, shmget with SHM_HUGETLB with System V IPC): a pool set aside for the host's own
#   programs, which a run would take whole, outside RLIMIT_DATA.
# The commands and the advice are matched on their low 32 bits (as the kernel reads them), the flags on their bit.
# Flushing the host's disk: a run's only writable files are in its scratch tmpfs, where syncing does nothing, but
# sync, syncfs, fsync and fdatasync of any file it may read (torch's libraries, on the host's disk) and msync of such a
# file mapped shared make the kernel send the disk a cache flush, which no I/O priority holds back: one run made
# 170,000 of them in 5 s (32,000 a second, against about one a second from the whole host otherwise), 4.4 s of the
# disk's time, each one making the host's own writes (a database's commits) wait. Answered 0, as if done: there is
# nothing of the run's to write.
SYNCS = ("sync", "syncfs", "fsync", "fdatasync", "sync_file_range", "sync_file_range2", "arm_sync_file_range")
# The same through a filesystem's own ioctl, which needs no privilege on a file one may only read: btrfs commits its
# transaction and flushes (BTRFS_IOC_SYNC; BTRFS_IOC_START_SYNC starts the commit). Refused on every descriptor
# (elsewhere these commands mean nothing: ENOTTY).
FILESYSTEM_SYNCS = (0x9408, 0x80089418)
MS_SYNC = 4
# And dropping the host's page cache: posix_fadvise(POSIX_FADV_DONTNEED) drops the cached pages of any file a process
# may read, whoever read them in, and the jail shows the host's /usr: one run dropped 1 GiB of the host's cache (its
# libraries, Graphviz's, Python's, fonts) in a second, which every other program then reads from the disk again.
# Answered 0, as a hint the kernel may ignore; every other advice stays.
POSIX_FADV_DONTNEED = 4
TIOCSETD, MADV_MERGEABLE, PR_SET_MEMORY_MERGE, PR_SCHED_CORE, MAP_HUGETLB = 0x5423, 12, 67, 62, 0x40000
HOST_FEATURES = {
    "ioctl": [[_is(1, TIOCSETD)]],
    "madvise": [[_is(2, MADV_MERGEABLE)]],
    "prctl": [[_is(0, PR_SET_MEMORY_MERGE)], [_is(0, PR_SCHED_CORE)]],
    "mmap": [[(3, SCMP_CMP_MASKED_EQ, MAP_HUGETLB, MAP_HUGETLB)]],
    "mmap2": [[(3, SCMP_CMP_MASKED_EQ, MAP_HUGETLB, MAP_HUGETLB)]],
}


# prctl's options newer than this filter: those of Linux 6.15 and before (up to PR_TIMER_CREATE_RESTORE_IDS, 77) were
# reviewed, and each later one reached the kernel unreviewed, as PR_FUTEX_HASH (78, Linux 6.16) did: its
# PR_FUTEX_HASH_SET_SLOTS sizes a table of the process's private futexes, kernel memory in no limit of the run's, and
# one run's 16 million slots took 1 GiB of the host's memory. Options from 78 to 127 answer EINVAL, as a kernel without
# them would (matched on their low 32 bits, as the kernel reads them); an option reviewed later moves to the rules.
PRCTL_REVIEWED_UP_TO, PRCTL_UNREVIEWED_UP_TO = 77, 127


# System calls newer than this filter: the names above are those of Linux 6.7 and before (up to futex_requeue, 456),
# and every later call reached the kernel unreviewed, open_tree_attr (467, Linux 6.15) among them, a twin of the
# open_tree denied above. Numbers from 457 on are the same on every architecture; each is answered ENOSYS, as a kernel
# without it would, so that libraries take their older ways, up to 511 (Linux adds about ten a year: room for
# years of kernels newer than this filter). A call reviewed later moves to the lists above.
REVIEWED_UP_TO, UNREVIEWED_UP_TO = 456, 511


class ArgCmp(ctypes.Structure):
    """libseccomp's `struct scmp_arg_cmp`."""

    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


def _errno_action(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


def load_libseccomp() -> ctypes.CDLL:
    """libseccomp, loaded once in the worker so each child only builds and loads its filter."""
    lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_rule_add_array.restype = ctypes.c_int
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(ArgCmp),
    ]
    lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


def _rules(pid: int) -> list[tuple[int, str | int, list[tuple[int, int, int, int]]]]:
    eperm = _errno_action(errno.EPERM)
    rules: list[tuple[int, str | int, list[tuple[int, int, int, int]]]] = [(eperm, name, []) for name in DENIED]
    rules.append((eperm, "clone", [(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)]))  # threads yes, processes no
    # and threads that share the run's descriptors: each thread made without CLONE_FILES had a table of its own, 64 more
    # open files (RLIMIT_NOFILE bounds a table), and eight of them held 106 MiB of the host's memory in socket buffers
    # of their default size, where the run's one table holds 13 (pthread_create always shares it)
    rules.append((eperm, "clone", [(0, SCMP_CMP_MASKED_EQ, CLONE_FILES, 0)]))
    # (nor does one take a table of its own later: close_range with CLOSE_RANGE_UNSHARE copies the table for the thread)
    rules.append((eperm, "close_range", [(2, SCMP_CMP_MASKED_EQ, CLOSE_RANGE_UNSHARE, CLOSE_RANGE_UNSHARE)]))
    rules.append((_errno_action(errno.ENOSYS), "clone3", []))  # glibc then falls back to clone
    # Files in memory alone, outside every limit but the size of each (RLIMIT_FSIZE): written rather than mapped,
    # they count toward no address space, and 56 of them held 900 MiB besides a run's 512. ENOSYS, so that
    # libraries that use them (asmjit, libffi) fall back to their other ways.
    rules += [(_errno_action(errno.ENOSYS), name, []) for name in ("memfd_create", "memfd_secret")]
    rules += [(eperm, name, [(0, SCMP_CMP_NE, pid, 0)]) for name in SIGNALS]
    rules.append((eperm, "prlimit64", [(2, SCMP_CMP_NE, 0, 0)]))  # reading limits is fine, setting is not
    # setpriority only of itself: PRIO_PROCESS and who 0 (PRIO_USER with who 0 means every process of its uid)
    rules.append((eperm, "setpriority", [(0, SCMP_CMP_NE, PRIO_PROCESS, 0)]))
    rules.append((eperm, "setpriority", [(1, SCMP_CMP_NE, 0, 0)]))
    rules += [(eperm, name, [(0, SCMP_CMP_NE, 0, 0)]) for name in SCHEDULING]
    for name, commands in SIGNALLING_COMMANDS.items():
        argument = 0 if name == "prctl" else 1
        rules += [(eperm, name, [_is(argument, command)]) for command in commands]
    for name in ("fcntl", "fcntl64"):  # O_ASYNC: SIGIO to the descriptor's owner
        rules.append((eperm, name, [_is(1, F_SETFL), (2, SCMP_CMP_MASKED_EQ, O_ASYNC, O_ASYNC)]))
        rules.append((eperm, name, [_is(1, F_SETPIPE_SZ)]))
    for option in (SO_SNDBUF, SO_RCVBUF, SO_SNDBUFFORCE, SO_RCVBUFFORCE):
        rules.append((eperm, "setsockopt", [_is(1, SOL_SOCKET), _is(2, option)]))
    rules += [(eperm, name, []) for name in KERNEL_BUFFERS]
    rules += [(_errno_action(errno.ENOSYS), name, []) for name in (*PAGE_REFERENCES, *HOST_BUDGETS, *PINNING)]
    rules += [(_errno_action(errno.ENOTSUP), name, []) for name in XATTR_SETS]
    rules.append((_errno_action(errno.EAFNOSUPPORT), "socketpair", [(0, SCMP_CMP_NE, AF_UNIX, 0)]))
    rules += [(eperm, name, conditions) for name, conditions in (*ADDRESSED, *OWN_FILTERS)]
    rules += [
        (_errno_action(0), name, [_is(1, command)]) for name, commands in POSIX_LOCKS.items() for command in commands
    ]
    rules += [
        (_errno_action(errno.EINVAL), name, [_is(1, command)]) for name in POSIX_LOCKS for command in DESCRIPTION_LOCKS
    ]
    rules += [(eperm, name, conditions) for name, each in HOST_FEATURES.items() for conditions in each]
    rules += [(eperm, "ioctl", [_is(1, command)]) for command in FILESYSTEM_SYNCS]
    rules += [(_errno_action(0), name, []) for name in SYNCS]
    rules.append((_errno_action(0), "msync", [(2, SCMP_CMP_MASKED_EQ, MS_SYNC, MS_SYNC)]))
    rules.append((_errno_action(0), "fadvise64", [_is(3, POSIX_FADV_DONTNEED)]))
    rules += [(_errno_action(errno.ENOSYS), number, []) for number in range(REVIEWED_UP_TO + 1, UNREVIEWED_UP_TO + 1)]
    newer_options = range(PRCTL_REVIEWED_UP_TO + 1, PRCTL_UNREVIEWED_UP_TO + 1)
    rules += [(_errno_action(errno.EINVAL), "prctl", [_is(0, option)]) for option in newer_options]
    return rules


# System calls added since Linux 5.1 have one number on every architecture. A libseccomp older than the call (2.5.1
# knows no quotactl_fd) resolves its name to -1, and its rule would be left out without a word: the number is
# taken from here instead.
SAME_ON_EVERY_ARCH = {
    "pidfd_send_signal": 424,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "pidfd_open": 434,
    "clone3": 435,
    "pidfd_getfd": 438,
    "process_madvise": 440,
    "mount_setattr": 442,
    "quotactl_fd": 443,
    "landlock_create_ruleset": 444,
    "landlock_add_rule": 445,
    "landlock_restrict_self": 446,
    "memfd_secret": 447,
}


def syscall_number(lib: ctypes.CDLL, name: str | int) -> int:
    """The number a rule for `name` filters: libseccomp's (negative: no such call on this architecture), or for a
    call newer than the libseccomp at hand, its number on every architecture."""
    if isinstance(name, int):
        return name
    number = int(lib.seccomp_syscall_resolve_name(name.encode()))
    return SAME_ON_EVERY_ARCH.get(name, number) if number == -1 else number


def install_seccomp(lib: ctypes.CDLL) -> None:
    """Load the filter into this process (and the threads it starts from now on)."""
    context = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        raise OSError("seccomp_init failed")
    try:
        for action, name, conditions in _rules(os.getpid()):
            number = syscall_number(lib, name)
            if number < 0:
                continue  # not a system call on this architecture
            array = (ArgCmp * max(1, len(conditions)))(*[ArgCmp(*c) for c in conditions])
            code = lib.seccomp_rule_add_array(context, action, number, len(conditions), array)
            if code < 0:
                raise OSError(-code, f"seccomp rule for {name}")
        code = lib.seccomp_load(context)
        if code < 0:
            raise OSError(-code, "seccomp_load")
    finally:
        lib.seccomp_release(context)


def prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)):
        raise OSError(ctypes.get_errno(), f"prctl({option})")


def _mapped_kib() -> tuple[int, int]:
    """This process's virtual size and data size (KiB): torch maps a lot before any snippet runs."""
    sizes = {}
    with open("/proc/self/status") as status:
        for line in status:
            key = line.split(":", 1)[0]
            if key in ("VmSize", "VmData"):
                sizes[key] = int(line.split()[1])
    return sizes["VmSize"], sizes["VmData"]


QUEUED_SIGNALS = 256  # signals a run may have queued at once (RLIMIT_SIGPENDING)
STACKS_MB = 256  # address space a run may map past its memory budget: its threads' stacks


def apply_limits(*, cpu_s: int, memory_mb: int, file_mb: int, max_tasks: int) -> None:
    """rlimits for one run: CPU seconds (SIGXCPU, then SIGKILL a second later), memory on top of what the
    forked worker already maps, largest file, open files, tasks (processes and threads of this uid), no
    core dumps, no real-time or raised priority, a few queued signals."""
    virtual_kib, data_kib = _mapped_kib()
    budget = memory_mb * 1024 * 1024
    limits = {
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_DATA: data_kib * 1024 + budget,
        resource.RLIMIT_AS: virtual_kib * 1024 + budget + (STACKS_MB << 20),  # backstop; threads' stacks
        resource.RLIMIT_FSIZE: file_mb * 1024 * 1024,
        resource.RLIMIT_NOFILE: 64,
        resource.RLIMIT_NPROC: max_tasks,
        # No priority above the ordinary, whatever the server was started with (a service manager or container may
        # allow real-time or negative nice): a SCHED_FIFO or nice -20 run would take its cores from everyone.
        resource.RLIMIT_NICE: 0,
        resource.RLIMIT_RTPRIO: 0,
        # Queued signals are kernel memory the run's address space does not count, one record each, up to a limit the
        # host sizes by its memory (96,367 on a 24 GiB host, about a million on 256 GiB, 80 MiB): real-time signals
        # it sends itself, blocked, queue to that limit. Python and torch queue none; standard signals (the run's own
        # timers) are delivered whatever the count.
        resource.RLIMIT_SIGPENDING: QUEUED_SIGNALS,
    }
    for kind, value in limits.items():
        resource.setrlimit(kind, (value, value))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))


THREAD_STACK_BYTES = 8 * 1024 * 1024


def small_thread_stacks() -> None:
    """New threads get 8 MiB stacks. The worker starts with a large stack limit (the main thread may free deep
    graphs), which would otherwise become every new thread's stack size and use up the run's memory."""
    threading.stack_size(THREAD_STACK_BYTES)
    libc = ctypes.CDLL(None, use_errno=True)
    attributes = ctypes.create_string_buffer(128)  # a pthread_attr_t, with room to spare
    if libc.pthread_attr_init(attributes) == 0:
        libc.pthread_attr_setstacksize(attributes, ctypes.c_size_t(THREAD_STACK_BYTES))
        libc.pthread_setattr_default_np(attributes)  # threads started by torch's OpenMP pool too
        libc.pthread_attr_destroy(attributes)


IOPRIO_WHO_PROCESS, IOPRIO_CLASS_IDLE, IOPRIO_CLASS_SHIFT = 1, 3, 13
IOPRIO_SET = {"x86_64": 251, "aarch64": 30, "riscv64": 30}  # the system call's number, where Python has no wrapper


def idle_io() -> None:
    """Put this process's disk I/O (and that of the threads it starts from now on) in the idle class: the disk serves
    it only when nothing else asks, so a run's reads (O_DIRECT, which no page cache absorbs) do not slow the host's
    own. Schedulers that honour classes (mq-deadline, BFQ) do so; `none` ignores it. The filter then refuses
    `ioprio_set`, so the run cannot raise it again."""
    number = IOPRIO_SET.get(os.uname().machine)
    if number is None:
        return  # (another architecture: the run keeps the worker's class)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    which, priority = ctypes.c_long(IOPRIO_WHO_PROCESS), ctypes.c_long(IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT)
    if libc.syscall(ctypes.c_long(number), which, ctypes.c_long(0), priority) < 0:
        raise OSError(ctypes.get_errno(), "ioprio_set")


PR_SET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, PR_SPEC_FORCE_DISABLE = 53, 1, 8


def no_branch_speculation_across_processes() -> None:
    """Have the kernel flush the CPU's branch predictor (IBPB) whenever it switches from or to this process, for good
    (the run cannot undo it). The host's kernel defaults to `prctl`: only processes that ask are protected, and a run
    did not (`SpeculationIndirectBranch: conditional enabled`), so the predictor it trained stayed trained when the CPU
    went on to the server or another run, which hold other people's code and results. (Loads speculated past stores,
    the other control, are read within one address space, and the run's holds nothing of anyone else's: it stays as
    the host has it.) A CPU or kernel without the control (ENXIO, EINVAL, ENODEV) or a host that sets it for every
    process (EPERM) is left as it is."""
    libc = ctypes.CDLL(None, use_errno=True)
    arguments = (ctypes.c_ulong(PR_SPEC_INDIRECT_BRANCH), ctypes.c_ulong(PR_SPEC_FORCE_DISABLE), ctypes.c_ulong(0))
    if libc.prctl(PR_SET_SPECULATION_CTRL, *arguments, ctypes.c_ulong(0)) and ctypes.get_errno() not in UNCONTROLLED:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SPECULATION_CTRL)")


UNCONTROLLED = (errno.ENXIO, errno.EINVAL, errno.ENODEV, errno.EPERM)


OOM_SCORE_ADJ_MAX = 1000


def killed_first_when_memory_runs_short() -> None:
    """Make this process the first the kernel kills when the host runs out of memory (`oom_score_adj` 1000), for good.
    Runs and the server had the same adjustment (0), so the kernel picked whichever held most memory: the server,
    past a run's GRADWALK_RUN_MEMORY_MB once it held a few big answers, or another person's run. The file is root's
    while the process is not dumpable (a forked worker's child is not): dumpable again for this one write, and not
    after (lock_down), so the run cannot lower it again."""
    prctl(PR_SET_DUMPABLE, 1)
    with open("/proc/self/oom_score_adj", "w") as adjustment:
        adjustment.write(str(OOM_SCORE_ADJ_MAX))


def lock_down(lib: ctypes.CDLL | None, **limits: int) -> None:
    """Everything a child does before running a snippet; `lib` is libseccomp, or None to skip the filter."""
    small_thread_stacks()
    apply_limits(**limits)
    idle_io()
    no_branch_speculation_across_processes()
    killed_first_when_memory_runs_short()
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_DUMPABLE, 0)
    if lib is not None:
        install_seccomp(lib)
