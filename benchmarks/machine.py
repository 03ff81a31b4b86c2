"""Where and under what load a benchmark's figures were measured: one helper for every benchmark.

On a shared machine a figure alone says little: the same command takes twice as long when two other
processes want the CPUs. So every benchmark prints, beside its figures, the machine (architecture,
CPUs and their model, Python, system) and the load average before and after it ran:

    from machine import measured, load

    with measured("bench_merge"):          # prints the machine and the load before; the load after
        ...
        print(f"merged in {t:.3f} s  ({load()})")   # the load beside one figure

Comparisons are ratios measured in one process or in interleaved runs (A, B, A, B...), so a busy
machine slows both sides alike: see bench_vs_qc.py and bench_startup.py.
"""

from __future__ import annotations

import os
import platform
import time
from contextlib import contextmanager
from collections.abc import Iterator


def cpu_model() -> str:
    """The CPU's model name as the system reports it ('' when it does not)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for row in f:
                if row.startswith("model name"):
                    return " ".join(row.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor()


def machine() -> str:
    """'x86_64, 2 CPUs (Intel ...), Python 3.11.2, Linux 6.1': what a figure was measured on."""
    model = cpu_model()
    return (f"{platform.machine()}, {os.cpu_count()} CPUs{f' ({model})' if model else ''}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def loadavg() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # not every system has one
        return (float("nan"),) * 3


def load() -> str:
    """'load 1.52 on 2 CPUs': the one-minute load average, to print beside a figure."""
    return f"load {loadavg()[0]:.2f} on {os.cpu_count()} CPUs"


def line(before: tuple[float, float, float] | None = None) -> str:
    """One line: the machine, and the load average (1, 5, 15 minutes) now, after ``before`` when given."""
    now = " ".join(f"{x:.2f}" for x in loadavg())
    if before is None:
        return f"machine: {machine()}; load average {now}"
    was = " ".join(f"{x:.2f}" for x in before)
    return f"machine: {machine()}; load average {was} before, {now} after"


@contextmanager
def measured(what: str) -> Iterator[None]:
    """Print the machine and the load before the figures of ``what``, and the load after them."""
    before = loadavg()
    t0 = time.perf_counter()
    print(f"{what}: {line()} (before)", flush=True)
    try:
        yield
    finally:
        print(f"{what}: {line(before)} ({time.perf_counter() - t0:.0f} s in all)", flush=True)
