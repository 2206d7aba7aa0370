"""A kernel factory: one process imports the kernel's libraries once, then forks a kernel per submission.

Starting Python, ipykernel and torch costs seconds per kernel, more than a Day 1
notebook needs to run. The zygote (``python -m course.grading.zygote``, one per grading
worker) imports them once; for each submission it forks a child that enters
the sandbox (course.grading.sandbox) and starts the IPython kernel in-process, as
``python -m ipykernel_launcher`` would. ``ZygoteProvisioner`` plugs this into
jupyter_client in place of launching a new process.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time

from jupyter_client.provisioning import LocalProvisioner

from . import kernel_guard, sandbox

PRELOAD = ("ipykernel.kernelapp", "IPython", "numpy", "torch", "torch.nn", "torch.nn.functional", "torch.testing",
           "torchvision", "matplotlib", *kernel_guard.WATCHED_MODULES, kernel_guard.__name__)


class Zygote:
    """The grading side: start the zygote, ask it for kernels."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self.proc = subprocess.Popen([sys.executable, "-m", __spec__.name, str(theirs.fileno())],
                                     pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.sock = ours
        self.reader = ours.makefile("r")
        self._ready = False  # its imports go on while the caller does other work

    def wait_ready(self) -> None:
        if not self._ready:
            ready = self.reader.readline()
            if not ready.startswith("ready"):
                raise RuntimeError(f"the kernel zygote did not start: {ready!r}")
            self._ready = True

    def spawn(self, spec_path: str, kernel_args: list[str], env: dict, log: str | None = None) -> int:
        self.wait_ready()
        request = {"spec": spec_path, "args": kernel_args, "env": env, "log": log}
        self.sock.sendall((json.dumps(request) + "\n").encode())
        answer = json.loads(self.reader.readline())
        return int(answer["pid"])

    def close(self) -> None:
        self.sock.close()
        self.proc.kill()
        self.proc.wait()


_ZYGOTE: Zygote | None = None


def shared() -> Zygote:
    """This process's zygote, started on first use."""
    global _ZYGOTE
    if _ZYGOTE is None or _ZYGOTE.proc.poll() is not None:
        _ZYGOTE = Zygote()
    return _ZYGOTE


def adopt(z: Zygote) -> None:
    """Make ``z`` (started earlier, ahead of need) this process's zygote."""
    global _ZYGOTE
    _ZYGOTE = z


class _Forked:
    """What jupyter_client needs of a Popen, for a process that is the zygote's child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                with open(f"/proc/{self.pid}/stat") as fh:
                    state = fh.read().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError, IndexError):
                state = "gone"
            if state in ("Z", "X", "gone"):
                self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.killpg(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ZygoteProvisioner(LocalProvisioner):
    """Launch the kernel as a fork of the zygote (the command line says what it would have run)."""

    async def launch_kernel(self, cmd, **kwargs):
        spec = cmd[cmd.index("--") - 1]
        kernel_args = cmd[cmd.index("ipykernel_launcher") + 1:]
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        pid = shared().spawn(spec, kernel_args, env, getattr(self.parent, "kernel_log", None) or None)
        self.process = _Forked(pid)
        self.pid = self.pgid = pid
        self.cwd = kwargs.get("cwd")
        return self.connection_info


# --- the zygote process -----------------------------------------------------------

def _reap(_signum, _frame) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _kernel(spec_path: str, args: list[str], env: dict, log: str | None = None) -> None:
    """In the forked child: new session, the sandbox, then the kernel in this process."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # ipykernel's start-up notes; the notebook's output travels over the sockets
    if log:  # the kernel's own errors (and whatever a submission writes to fd 2) go to its log, not the terminal
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 2)
    os.environ.clear()
    os.environ.update(env)
    import numpy

    numpy.random.seed()  # a fresh kernel would not share the zygote's random state
    threads = env.get("OMP_NUM_THREADS", "")
    if threads.isdigit() and "torch" in sys.modules:  # torch read the variable when the zygote imported it
        sys.modules["torch"].set_num_threads(int(threads))

    def run() -> None:
        from ipykernel import kernelapp

        sys.argv = ["ipykernel_launcher", *args]
        kernelapp.launch_new_instance()

    os._exit(sandbox.launch(sandbox.Spec.read(spec_path), run=run))


def serve(fd: int) -> None:
    libc = ctypes.CDLL(None)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the grading worker
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    sock = socket.socket(fileno=fd)
    reader = sock.makefile("r")
    signal.signal(signal.SIGCHLD, _reap)
    sock.sendall(b"ready\n")
    for line in reader:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            sock.close()
            try:
                _kernel(request["spec"], request["args"], request["env"], request.get("log"))
            finally:
                os._exit(1)
        sock.sendall((json.dumps({"pid": pid}) + "\n").encode())


if __name__ == "__main__":
    serve(int(sys.argv[1]))
