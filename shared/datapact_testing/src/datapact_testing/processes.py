"""Run real service processes (uvicorn, Celery) for tests and wait until they answer."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType

import httpx

from datapact_testing.polling import eventually


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServiceProcess:
    """A subprocess in its own process group, with its output in a log file.

    ``health_url`` (if given) is polled until it answers 2xx before ``start`` returns. A
    process that exits fails at once; one still starting gets ``startup_timeout``, long
    because imports alone took over 30 s for two uvicorn workers at load 12.
    """

    def __init__(
        self,
        name: str,
        args: list[str],
        *,
        env: dict[str, str] | None = None,
        cwd: Path | str | None = None,
        health_url: str | None = None,
        startup_timeout: float = 90.0,
        base_url: str | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.args = args
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.cwd = str(cwd) if cwd else None
        self.health_url = health_url
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])

    def start(self) -> ServiceProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.args,
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        if self.health_url:
            self.wait_healthy()
        return self

    def wait_healthy(self) -> None:
        last_error = ""

        def healthy() -> bool:
            nonlocal last_error
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.logs()}")
            try:
                response = httpx.get(self.health_url or "", timeout=1.0)
            except httpx.HTTPError as exc:
                last_error = str(exc)
                return False
            last_error = f"HTTP {response.status_code}"
            return response.status_code < 300

        eventually(
            healthy,
            f"{self.name} healthy",
            within=self.startup_timeout,
            interval=0.1,
            diagnose=lambda: f"({last_error})\n{self.logs()}",
        )

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")[-8000:]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) so far of every process in its group (Linux /proc)."""
        return 0.0 if self.process is None else group_cpu_seconds(self.process.pid)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole process group (a crash, not a shutdown)."""
        self._signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None:
            return
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def restart(self) -> ServiceProcess:
        self.stop()
        return self.start()

    def __enter__(self) -> ServiceProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _stat_fields(pid: str | int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # the command name may hold spaces and parentheses


def _cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def group_cpu_seconds(group: int) -> float:
    """CPU time so far of the processes whose process group is ``group``."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat_fields(entry)) and int(fields[2]) == group:
            total += _cpu(fields)
    return total


def pids_cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU time so far of each of ``pids`` still running."""
    return {pid: _cpu(fields) for pid in pids if (fields := _stat_fields(pid)) is not None}


def uvicorn_process(
    name: str,
    app: str,
    *,
    env: dict[str, str],
    port: int | None = None,
    cwd: Path | str | None = None,
    workers: int = 1,
) -> ServiceProcess:
    """A uvicorn server for ``app`` (``module:attr``) on a free port; health at ``/health``."""
    port = port or free_port()
    args = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        args += ["--workers", str(workers)]
    base_url = f"http://127.0.0.1:{port}"
    return ServiceProcess(
        name, args, env=env, cwd=cwd, health_url=f"{base_url}/health", base_url=base_url
    )


def celery_worker_process(
    name: str,
    app: str,
    *,
    env: dict[str, str],
    queues: list[str] | None = None,
    concurrency: int = 1,
    beat: bool = False,
    cwd: Path | str | None = None,
) -> ServiceProcess:
    """A real Celery worker (prefork, ``concurrency`` children)."""
    args = [
        sys.executable, "-m", "celery", "-A", app, "worker",
        "--loglevel=INFO", f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
        "-n", f"{name}-{os.getpid()}@%h",
    ]  # fmt: skip
    if queues:
        args += ["-Q", ",".join(queues)]
    if beat:
        args.append("-B")
    return ServiceProcess(name, args, env=env, cwd=cwd)
