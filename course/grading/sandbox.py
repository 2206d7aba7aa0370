"""Run one student's kernel in a sandbox: its own user, folder, limits and no network.

The grader starts each kernel through ``python -m course.grading.sandbox SPEC -- CMD``
(or forks it from course.grading.zygote). That launcher (still root) enters new mount,
network, IPC and PID namespaces, builds a new root file system that holds only
the operating system's folders, the Python installation and the course package
(read-only), fresh /tmp and /dev/shm, and the scratch folder of this one
submission (writable), changes root into it, sets the resource limits, drops
to an unprivileged uid and runs the kernel. The kernel talks to the grader over
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
# Read-only in every sandbox: the operating system (CUDA's driver files live under /usr and /dev).
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/dev", "/sys")
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
BASE_UID = 61000  # the first kernel's uid; grading workers take the following ones


@dataclass
class Limits:
    """Per-kernel resource limits: the defaults of SafeExecute's settings (nbgrader_config.py sets them)."""

    cpu_seconds: int = 900          # CPU time of the whole kernel (RLIMIT_CPU)
    memory_mb: int | None = 8192    # address space (RLIMIT_AS); None on GPU machines (CUDA maps a lot)
    processes: int = 256            # processes + threads of the sandbox user (RLIMIT_NPROC)
    file_size_mb: int = 64          # largest file the kernel may write (RLIMIT_FSIZE)
    open_files: int = 1024


@dataclass
class Spec:
    """What the launcher needs to build one sandbox (written to a JSON file)."""

    scratch: str                     # the kernel's folder: cwd, HOME, its sockets
    uid: int = BASE_UID              # unprivileged uid (one per worker, so RLIMIT_NPROC is per kernel)
    expose: list[str] = field(default_factory=list)  # folders the kernel sees (read-only), besides the system
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


NONE = Capabilities(False, False, False, False)  # no root or no namespaces: limits only


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
        return NONE
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


def _is_within(path: str, folders) -> bool:
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def _build_root(libc, spec: Spec) -> str:
    """A new root file system holding only what the kernel needs; return its path.

    Everything is listed, nothing is hidden: the system folders, the Python
    installation and the course package read-only, the scratch folder writable,
    fresh /tmp and /dev/shm. Other checkouts, workspaces, home folders and
    submissions simply are not there.
    """
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    wanted = [p for p in dict.fromkeys([*SYSTEM_FOLDERS, *spec.expose]) if os.path.isdir(p)]
    wanted = [p for p in wanted if not _is_within(p, [q for q in wanted if q != p and q in SYSTEM_FOLDERS])]
    fds = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in [*wanted, spec.scratch]}
    _mount(libc, "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,mode=755")  # the old /tmp is gone
    root = "/tmp/root"
    os.makedirs(root)
    for folder, mode in (("/tmp", "size=256m,mode=1777"), ("/var/tmp", "size=64m,mode=1777")):
        os.makedirs(root + folder)
        _mount(libc, "tmpfs", root + folder, "tmpfs", MS_NOSUID | MS_NODEV, mode)
    for path in sorted(wanted, key=lambda p: p.count("/")):
        os.makedirs(root + path, exist_ok=True)
        _mount(libc, f"/proc/self/fd/{fds[path]}", root + path, None, MS_BIND | MS_REC)
        flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | (0 if path == "/dev" else MS_NODEV)
        _mount(libc, None, root + path, None, flags)
    os.makedirs(root + spec.scratch, exist_ok=True)
    _mount(libc, f"/proc/self/fd/{fds[spec.scratch]}", root + spec.scratch, None, MS_BIND)
    if os.path.isdir(root + "/dev/shm"):
        _mount(libc, "tmpfs", root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=1777")
    os.makedirs(root + "/proc", exist_ok=True)
    for fd in fds.values():
        os.close(fd)
    return root


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


def _enter(spec: Spec, caps: Capabilities) -> None:
    """Everything after the namespaces: file system, limits, user, folder, environment."""
    libc = _libc()
    if caps.uid_drop:
        os.chown(spec.scratch, spec.uid, spec.uid)
        for folder, dirs, files in os.walk(spec.scratch):
            for name in dirs + files:
                os.lchown(os.path.join(folder, name), spec.uid, spec.uid)
    if caps.mount_namespace:
        root = _build_root(libc, spec)
        if caps.pid_namespace:  # a /proc that shows this sandbox's processes only
            _mount(libc, "proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV)
        else:
            _mount(libc, "/proc", root + "/proc", None, MS_BIND | MS_REC)
    _set_limits(spec.limits)
    if caps.mount_namespace:
        os.chroot(root)  # the uid drop below takes away the capability that could leave it
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
    process (the zygote's forked kernels, course.grading.zygote); return its exit status."""

    def start() -> None:
        _enter(spec, caps)
        if run is None:
            os.execvp(argv[0], argv)
        try:
            run()
        finally:
            os._exit(0)

    caps = capabilities() if spec.isolate else NONE
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
        print(f"usage: python -m {__spec__.name} SPEC.json -- COMMAND ...", file=sys.stderr)
        return 2
    return launch(Spec.read(args[0]), args[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
