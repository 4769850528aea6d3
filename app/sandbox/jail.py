"""The bubblewrap jails: one for each worker (Python, torch and gradwalk), one for each Graphviz `dot` that draws
a graph on the server. Both: new pid, network, ipc and uts namespaces, read-only binds of only what the program
needs, a small private /tmp, an empty environment, and `setpriv` down to a non-root uid with no capabilities
before the program starts.
"""

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from ..settings import Settings

JAIL_HOME = "/gradwalk"  # where the jail shows the app package (and a virtualenv it cannot show at its own path)
JAIL_OWN = ("/tmp", "/proc", "/dev")  # the jail's own folders: a host folder under them would be hidden
MIB = 1024 * 1024


def _parents(path: str) -> list[str]:
    """The folders above `path`, outermost first."""
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _jail(environment: dict[str, str], scratch_mb: int, binds: list[tuple[str, str]]) -> list[str]:
    """bubblewrap up to the program: namespaces, the system's /usr read-only, a private /tmp of `scratch_mb` MiB,
    `environment` alone, and `binds` (source, target) read-only."""
    command = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    command += ["--hostname", "gradwalk", "--die-with-parent", "--new-session", "--clearenv"]
    for name, value in environment.items():
        command += ["--setenv", name, value]
    command += ["--ro-bind", "/usr", "/usr"]
    command += ["--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin"]
    command += ["--proc", "/proc", "--dev", "/dev"]
    command += ["--perms", "1777", "--size", str(scratch_mb * MIB), "--tmpfs", "/tmp"]
    binds = [("/etc/ld.so.cache", "/etc/ld.so.cache"), *binds]
    targets = [target for _, target in binds]
    for parent in sorted({p for t in targets for p in _parents(t)}, key=lambda p: p.count("/")):
        command += ["--perms", "0755", "--dir", parent]  # bwrap would make them 0700 root-owned: uid could not pass
    for source, target in binds:
        command += ["--ro-bind", source, target]
    command += ["--remount-ro", "/", "--chdir", "/tmp"]
    return command


# A fresh tmpfs over bubblewrap's: a remount cannot add an inode limit to a tmpfs mounted without one (in a
# container's own user namespace it fails with EINVAL); nothing on it runs set-uid or opens a device
LIMIT_INODES = (
    'mount -t tmpfs -o size="$1",nr_inodes="$2",mode=1777,nosuid,nodev scratch /tmp && cd /tmp && shift 2 && exec "$@"'
)


def _as(uid: int, scratch: tuple[int, int] | None = None) -> list[str]:
    """Become `uid` (and its gid), with no groups and no capabilities left, then run what follows.

    With `scratch` (MiB, inodes), first cap the number of files, folders and links /tmp may hold. bubblewrap sets
    only a tmpfs's size, and empty files take none of it: a run made 256k files in 3 s of CPU, 400 MiB of the host's
    memory that no limit of the run counted, which the wipe then could not remove in time; and the wipe's time is
    the inodes': a chain of 16k folders, 0.05 s of a run's CPU, took a loaded worker a second to wipe. Root in the
    jail, with CAP_SYS_ADMIN (dropped with the rest by setpriv), mounts /tmp again with `nr_inodes` (which counts its
    root)."""
    keep = ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]
    drop = [f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]
    if scratch is None:
        return [*keep, "/usr/bin/setpriv", *drop]
    scratch_mb, max_inodes = scratch
    limit = ["/usr/bin/sh", "-c", LIMIT_INODES, "sh", str(scratch_mb * MIB), str(max_inodes + 1)]
    return [*keep, "--cap-add", "CAP_SYS_ADMIN", *limit, "/usr/bin/setpriv", *drop]


def jailed_venv() -> str:
    """Where the jail shows this virtualenv (see `jail_command`)."""
    hidden = any(sys.prefix == top or sys.prefix.startswith(top + "/") for top in JAIL_OWN)
    return f"{JAIL_HOME}/venv" if hidden else sys.prefix


def jail_command(settings: Settings, index: int, flags: Sequence[str] = ()) -> list[str]:
    """The command that runs worker `index` as its own uid (`GRADWALK_SANDBOX_UID` + index).

    The virtualenv keeps its own path, so that what a run prints of it (a traceback through torch's files,
    `torch.__file__`) is what `python FILE` prints, unless it is under a folder the jail has its own of (a checkout
    in the host's /tmp: then at /gradwalk/venv); the app package appears at /gradwalk/app; the Python installation
    the virtualenv was made from keeps its own path, which the virtualenv's `python` link and `pyvenv.cfg` point to."""
    import app

    package = str(Path(app.__file__).resolve().parent)
    python_home = str(Path(sys.base_prefix).resolve())
    venv = jailed_venv()
    binds = [(sys.prefix, venv), (package, f"{JAIL_HOME}/app")]
    if not python_home.startswith("/usr/"):
        binds.append((python_home, python_home))
    environment = {
        "PATH": "/usr/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    start = (
        f"import sys; sys.path.insert(0, {JAIL_HOME!r}); from app.sandbox.worker import main; "
        f"sys.exit(main(['--isolated', *{list(flags)!r}]))"
    )
    command = _jail(environment, settings.scratch_mb, binds)
    scratch = (settings.scratch_mb, settings.scratch_max_inodes)
    return command + _as(settings.sandbox_uid + index, scratch) + [f"{venv}/bin/python", "-I", "-c", start]


# What Graphviz reads besides /usr: its fonts' configuration and cache. Nothing else of the host.
GRAPHVIZ_BINDS = ("/etc/fonts", "/var/cache/fontconfig")


def graphviz_limits(settings: Settings) -> list[str]:
    """`prlimit` before `dot`: its memory (address space), CPU seconds, stack (also each thread's: 8 MiB, whatever
    the server's own) and no core file."""
    cpu_s = int(settings.render_timeout_s) + 1
    memory = f"--as={settings.render_memory_mb * MIB}"
    return ["/usr/bin/prlimit", memory, f"--cpu={cpu_s}", f"--stack={8 * MIB}", "--core=0", "--"]


def graphviz_command(settings: Settings, fmt: str, jailed: bool) -> list[str]:
    """The command that draws DOT from standard input as `fmt`: `dot` under its limits, and, `jailed`, in a jail
    of its own as the uid just below the workers' (`GRADWALK_SANDBOX_UID` - 1) that sees only /usr and its
    fonts. In Graphviz's safe mode (SERVER_NAME set) as well, which reads no image file outside GV_FILE_PATH."""
    environment = {"PATH": "/usr/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "SERVER_NAME": "gradwalk"}
    environment["GV_FILE_PATH"] = "/nonexistent/"
    dot = shutil.which("dot") or "dot"
    draw = [*graphviz_limits(settings), dot, f"-T{fmt}"]
    if not jailed:
        return ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in environment.items()), *draw]
    binds = [(path, path) for path in GRAPHVIZ_BINDS if Path(path).is_dir()]
    return _jail(environment, 16, binds) + _as(settings.sandbox_uid - 1) + draw
