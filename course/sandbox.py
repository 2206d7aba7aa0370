"""Run one student's kernel in a sandbox: its own user, folder, limits and no network.

The grader starts each kernel through ``python -m course.sandbox SPEC -- CMD``.
That launcher (still root) enters new mount, network, IPC and PID namespaces,
hides the course's private folders (solutions, release, gradebook, other
submissions, /tmp) behind empty file systems, keeps only the scratch folder
of this one submission writable, sets the resource limits, drops to an
unprivileged uid and execs the kernel. The kernel talks to the grader over
Unix sockets in its scratch folder (a TCP port would not cross the network
namespace).

Every mechanism is optional: ``capabilities()`` finds what this machine
allows (root or not, namespaces or not) and grading says once what is missing.
Resource limits (setrlimit) work everywhere.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys
from dataclasses import asdict, dataclass, field
from functools import lru_cache

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
TEMP_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm")
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18


@dataclass
class Limits:
    """Per-kernel resource limits (set from nbgrader_config.py through SafeExecute)."""

    cpu_seconds: int = 600          # CPU time of the whole kernel (RLIMIT_CPU)
    memory_mb: int | None = 8192    # address space (RLIMIT_AS); None on GPU machines (CUDA maps a lot)
    processes: int = 256            # processes + threads of the sandbox user (RLIMIT_NPROC)
    file_size_mb: int = 64          # largest file the kernel may write (RLIMIT_FSIZE)
    open_files: int = 1024


@dataclass
class Spec:
    """What the launcher needs to build one sandbox (written to a JSON file)."""

    scratch: str                     # the kernel's folder: cwd, HOME, its sockets
    uid: int = 61000                 # unprivileged uid (one per worker, so RLIMIT_NPROC is per kernel)
    hide: list[str] = field(default_factory=list)    # folders replaced by empty tmpfs
    expose: list[str] = field(default_factory=list)  # folders under ``hide`` shown again, read-only
    limits: Limits = field(default_factory=Limits)
    isolate: bool = True             # namespaces + uid drop when the machine allows them

    def write(self, path: str) -> None:
        with open(path, "w") as fh:
            json.dump(asdict(self), fh)

    @classmethod
    def read(cls, path: str) -> "Spec":
        with open(path) as fh:
            raw = json.load(fh)
        raw["limits"] = Limits(**raw["limits"])
        return cls(**raw)


@dataclass(frozen=True)
class Capabilities:
    uid_drop: bool
    mount_namespace: bool
    network_namespace: bool
    pid_namespace: bool
    limits: bool = True

    @property
    def missing(self) -> list[str]:
        names = {"uid_drop": "an unprivileged user for the kernel (needs root)",
                 "mount_namespace": "a private file-system view (mount namespace)",
                 "network_namespace": "no network (network namespace)",
                 "pid_namespace": "a private process table (PID namespace)"}
        return [text for key, text in names.items() if not getattr(self, key)]

    def describe(self) -> str:
        if not self.missing:
            return "sandbox: separate user, private file system, no network, own process table, limits"
        return ("sandbox: NOT available here: " + "; ".join(self.missing)
                + ". Grading continues with resource limits only for those parts.")


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    return libc


def _check(rc: int, what: str) -> None:
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


@lru_cache(maxsize=None)
def capabilities() -> Capabilities:
    """What this machine lets the grader do, probed once in a throw-away child."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return Capabilities(False, False, False, False)
    flags = {"mount_namespace": CLONE_NEWNS, "network_namespace": CLONE_NEWNET, "pid_namespace": CLONE_NEWPID}
    found = {}
    for name, flag in flags.items():
        pid = os.fork()
        if pid == 0:  # child: try, report through the exit status
            try:
                ok = _libc().unshare(flag) == 0
            except BaseException:
                ok = False
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        found[name] = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return Capabilities(uid_drop=True, **found)


def _mount(libc, source, target, fstype, flags, data=None) -> None:
    enc = lambda s: s.encode() if isinstance(s, str) else s  # noqa: E731
    _check(libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def _hide_folders(libc, spec: Spec) -> None:
    """Empty tmpfs over each hidden folder; the scratch folder and ``expose`` shown again."""
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    keep = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in [*spec.expose, spec.scratch]
            if os.path.isdir(path)}
    for path in spec.hide:
        if os.path.isdir(path):  # temp folders stay writable (private now); the rest is empty and read-only
            mode = "size=256m,mode=1777" if path in TEMP_FOLDERS else "size=1m,mode=755"
            _mount(libc, "tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, mode)
    for path, fd in keep.items():
        os.makedirs(path, exist_ok=True)  # on the tmpfs, when a hidden folder holds it
        _mount(libc, f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        if path != spec.scratch:
            _mount(libc, None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
        os.close(fd)


def _set_limits(limits: Limits) -> None:
    def cap(which, value):
        resource.setrlimit(which, (value, value))

    cap(resource.RLIMIT_CPU, limits.cpu_seconds)
    if limits.memory_mb:
        cap(resource.RLIMIT_AS, limits.memory_mb * 2**20)
    cap(resource.RLIMIT_FSIZE, limits.file_size_mb * 2**20)
    cap(resource.RLIMIT_NOFILE, limits.open_files)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_NPROC, limits.processes)  # counted per uid; root ignores it until the uid drop
    # A too-large file is an OSError in the student's cell, not a dead kernel.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    os.nice(5)


def _enter(spec: Spec) -> None:
    """Everything after the namespaces: file system, limits, user, folder, environment."""
    caps = capabilities() if spec.isolate else Capabilities(False, False, False, False)
    libc = _libc()
    if caps.mount_namespace:
        _hide_folders(libc, spec)
        if caps.pid_namespace:  # a /proc that shows this sandbox's processes only
            _mount(libc, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV)
    if caps.uid_drop:
        os.chown(spec.scratch, spec.uid, spec.uid)
        for root, dirs, files in os.walk(spec.scratch):
            for name in dirs + files:
                os.lchown(os.path.join(root, name), spec.uid, spec.uid)
    _set_limits(spec.limits)
    if caps.uid_drop:
        os.setgroups([])
        os.setgid(spec.uid)
        os.setuid(spec.uid)
    os.chdir(spec.scratch)
    os.environ.update(HOME=spec.scratch, TMPDIR="/tmp", MPLCONFIGDIR=os.path.join(spec.scratch, ".config"),
                      TORCH_HOME=os.path.join(spec.scratch, ".cache", "torch"), XDG_CACHE_HOME=os.path.join(spec.scratch, ".cache"),
                      PYTHONDONTWRITEBYTECODE="1")


def launch(spec: Spec, argv: list[str] | None = None, run=None) -> int:
    """Enter the sandbox and run the kernel: exec ``argv``, or call ``run()`` in this
    process (the zygote's forked kernels, course.zygote); return its exit status."""

    def start() -> None:
        _enter(spec)
        if run is None:
            os.execvp(argv[0], argv)
        try:
            run()
        finally:
            os._exit(0)

    caps = capabilities() if spec.isolate else Capabilities(False, False, False, False)
    flags = 0
    if caps.mount_namespace:
        flags |= CLONE_NEWNS | CLONE_NEWIPC
    if caps.network_namespace:
        flags |= CLONE_NEWNET
    if caps.pid_namespace:
        flags |= CLONE_NEWPID
    if flags:
        _check(_libc().unshare(flags), "unshare")
    if not caps.pid_namespace:
        start()
    # With a new PID namespace the kernel must be a child (it becomes PID 1 there,
    # so every process it starts dies with it). This parent stays outside as root,
    # passes on interrupts and reports the kernel's exit status.
    child = os.fork()
    if child == 0:
        start()
    # An interrupt reaches the kernel through the process group; pass on the rest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: os.kill(child, signum))
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            return 1
        except InterruptedError:
            continue
    return os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status


def main(args: list[str]) -> int:
    if len(args) < 3 or args[1] != "--":
        print("usage: python -m course.sandbox SPEC.json -- COMMAND ...", file=sys.stderr)
        return 2
    return launch(Spec.read(args[0]), args[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
