"""Control groups of sandbox workers: count their processes and measure their CPU time.

A worker and everything it starts join a fresh group in each cgroup hierarchy the grader may
write (cgroup v2, or the v1 ``pids``, ``cpuacct`` and ``cpu`` controllers). The group gives:

* a cap on processes and threads (``pids.max``): a fork bomb stops there;
* the CPU time of the whole process tree (``cpu.stat`` / ``cpuacct.usage``), so that a check's
  time limit counts the work the student's code did, not how busy the machine was;
* optionally a CPU quota (``cpu.max`` / ``cpu.cfs_quota_us``): a share of one core for each
  worker, for instructors on a shared server (and for the tests that slow a worker down).

Where no hierarchy is writable (an unprivileged container), each facility is None and CPU time
is read from /proc for the worker's process tree instead.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

STALE_SECONDS = 600  # a group left by a worker whose tasks outlived it is removed after this long


def _mounts() -> list[tuple[Path, str, set[str]]]:
    """(mount point, 'cgroup2' or 'cgroup', v1 controllers) of every cgroup hierarchy."""
    found = []
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) >= 4 and fields[2] in ("cgroup", "cgroup2"):
            found.append((Path(fields[1]), fields[2], set(fields[3].split(","))))
    return found


def _new_group(root: Path) -> Path | None:
    """A fresh group under ROOT (after sweeping stale ones), or None where ROOT is not writable."""
    if not (root / "cgroup.procs").exists() or not os.access(root, os.W_OK):
        return None
    for stale in root.glob("course-worker-*"):
        try:
            if time.time() - stale.stat().st_mtime > STALE_SECONDS:  # never one a starting worker is about to join
                stale.rmdir()
        except OSError:
            pass  # still in use
    try:
        return Path(tempfile.mkdtemp(prefix="course-worker-", dir=root))
    except OSError:
        return None


class ControlGroup:
    """The groups of one worker. ``attach(pid)`` runs in the child before exec."""

    def __init__(self, max_tasks: int, cpu_share: float | None = None):
        self.groups: list[Path] = []
        self.pids: Path | None = None  # file with the number of tasks
        self.threads: Path | None = None  # file listing every thread of the group
        self.cpu_usage: tuple[Path, str] | None = None  # (file, 'v1' in ns or 'v2' cpu.stat in us)
        self.throttled = False
        for mount, kind, options in _mounts():
            wants_pids = self.pids is None and (kind == "cgroup2" or "pids" in options)
            wants_cpu = self.cpu_usage is None and (kind == "cgroup2" or "cpuacct" in options)
            wants_quota = cpu_share is not None and not self.throttled and (kind == "cgroup2" or "cpu" in options)
            if not (wants_pids or wants_cpu or wants_quota):
                continue
            enabled = set((mount / "cgroup.subtree_control").read_text().split()) if kind == "cgroup2" else options
            if kind == "cgroup2" and not wants_cpu and not ({"pids", "cpu"} & enabled):
                continue
            group = _new_group(mount)
            if group is None:
                continue
            used = False
            try:
                if wants_pids and "pids" in enabled:
                    (group / "pids.max").write_text(str(max_tasks))
                    self.pids, used = group / "pids.current", True
                    self.threads = group / ("cgroup.threads" if kind == "cgroup2" else "tasks")
                if wants_cpu:
                    self.cpu_usage = (group / "cpuacct.usage", "v1") if kind == "cgroup" else (group / "cpu.stat", "v2")
                    used = True
                if wants_quota and "cpu" in enabled:
                    period = 100_000
                    quota = max(1000, int(period * cpu_share))
                    if kind == "cgroup2":
                        (group / "cpu.max").write_text(f"{quota} {period}")
                    else:
                        (group / "cpu.cfs_period_us").write_text(str(period))
                        (group / "cpu.cfs_quota_us").write_text(str(quota))
                    self.throttled = used = True
            except OSError:
                pass
            if used:
                self.groups.append(group)
            else:
                _remove(group)

    def attach(self, pid: int) -> None:
        for group in self.groups:
            (group / "cgroup.procs").write_text(str(pid))

    def tasks(self) -> int | None:
        """Processes and threads in the group (None without a pids group)."""
        try:
            return int(self.pids.read_text()) if self.pids else None
        except (OSError, ValueError):
            return None

    def cpu_waits(self) -> dict[int, int] | None:
        """Thread id -> nanoseconds it has waited for a CPU, for every thread in the group (None without one)."""
        if self.threads is None:
            return None
        try:
            return _waits(int(tid) for tid in self.threads.read_text().split())
        except (OSError, ValueError):
            return None

    def cpu_seconds(self) -> float | None:
        """CPU time used by every task that ever ran in the group (None without a CPU group)."""
        if self.cpu_usage is None:
            return None
        path, kind = self.cpu_usage
        try:
            text = path.read_text()
            if kind == "v1":
                return int(text) / 1e9
            usage = next(line for line in text.splitlines() if line.startswith("usage_usec"))
            return int(usage.split()[1]) / 1e6
        except (OSError, ValueError, StopIteration):
            return None

    def close(self) -> None:
        for group in self.groups:
            _remove(group)
        self.groups = []


def _remove(group: Path) -> None:
    for _ in range(50):  # the kernel frees a group once its last task is reaped
        try:
            group.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.1)


def _waits(tids) -> dict[int, int]:
    """Thread id -> nanoseconds spent waiting on a run queue (/proc/TID/schedstat, second field)."""
    waits = {}
    for tid in tids:
        try:
            waits[tid] = int(Path(f"/proc/{tid}/schedstat").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return waits


def _process_table() -> tuple[dict[int, list[int]], dict[int, float]]:
    """Parent -> children, and pid -> CPU seconds (with reaped children), of every process in /proc."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        pid, parent = int(entry.name), int(fields[1])
        children.setdefault(parent, []).append(pid)
        times[pid] = sum(int(value) for value in fields[11:15]) / ticks  # utime stime cutime cstime
    return children, times


def _tree(root_pid: int, children: dict[int, list[int]]) -> list[int]:
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def process_tree_cpu_seconds(root_pid: int) -> float:
    """CPU time of ROOT_PID and its live descendants (with their reaped children), from /proc.
    The fallback where no cgroup measures it: time of children nobody waited for is missed."""
    children, times = _process_table()
    return sum(times.get(pid, 0.0) for pid in _tree(root_pid, children))


def tree_cpu_waits(root_pid: int) -> dict[int, int]:
    """cpu_waits() for ROOT_PID's process tree, where no cgroup lists its threads."""
    children, _ = _process_table()
    tids = []
    for pid in _tree(root_pid, children):
        try:
            tids += [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
        except OSError:
            continue
    return _waits(tids)


def can_limit_processes() -> bool:
    group = ControlGroup(1)
    found = group.pids is not None
    group.close()
    return found
