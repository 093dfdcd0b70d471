"""Resident memory of the stack's processes, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def parent_of(pid: int, proc: Path = PROC) -> int | None:
    """The parent pid from /proc/<pid>/stat (the field after the parenthesised name)."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(root: int, proc: Path = PROC) -> list[int]:
    """`root` and every process below it (forked workers, shells, …)."""
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if entry.name.isdigit() and (parent := parent_of(int(entry.name), proc)) is not None:
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def rss_kib(pid: int, proc: Path = PROC) -> int:
    """VmRSS of one process in KiB; 0 for a process that is gone or has no memory (kernel)."""
    try:
        status = (proc / str(pid) / "status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def service_rss_mib(pids: dict[str, int], proc: Path = PROC) -> dict[str, float]:
    """RSS per service (its process and all its children) in MiB, and their total."""
    per_service = {
        name: round(sum(rss_kib(child, proc) for child in descendants(pid, proc)) / 1024, 1)
        for name, pid in pids.items()
    }
    return {**per_service, "total": round(sum(per_service.values()), 1)}


def peak(samples: list[dict[str, float]]) -> dict[str, float]:
    """The highest value seen for each service over several samples."""
    names = {name for sample in samples for name in sample}
    return {name: max(sample.get(name, 0.0) for sample in samples) for name in sorted(names)}
