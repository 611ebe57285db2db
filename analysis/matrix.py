"""The benchmark matrix: presets and their expansion into runs.

A run is one boot of the benchmark guest: one mode (native or a memory module with its
options), one table format, one benchmark with one parameter set, all repetitions inside
the guest (reps=)."""

from dataclasses import dataclass, field

MODES = {
    # mode name -> (make run MM=, hypervisor options)
    "native": ("native", ""),
    "stage2": ("stage2", "stage2.fill=lazy stage2.page=2m"),
    "stage2-4k": ("stage2", "stage2.fill=lazy stage2.page=4k"),
    "shadow": ("shadow", "shadow.sync=emulate"),
    "shadow-unsync": ("shadow", "shadow.sync=unsync"),
}
FORMATS = ("short", "lpae")
BENCHMARKS = ("null-hypercall", "mmio", "syscall", "compute", "tlb-sweep", "page-fault",
              "map-unmap", "fork-cow", "context-switch", "mprotect", "tlbi")

# Per preset: repetitions, default modes, and the parameter sets of each benchmark.
PRESETS = {
    "quick": {
        "reps": 1,
        "modes": ("native", "stage2", "shadow"),
        "params": {
            "null-hypercall": [{"n": 1000}],
            "mmio": [{"n": 1000}],
            "syscall": [{"n": 1000}],
            "compute": [{"n": 100000}],
            "tlb-sweep": [{"pages": p, "stride": 1, "rounds": 4, "large": l}
                          for p in (16, 256) for l in (0, 1)],
            "page-fault": [{"pages": 64}],
            "map-unmap": [{"pages": 32, "rounds": 4}],
            "fork-cow": [{"pages": 32}],
            "context-switch": [{"procs": 4, "rounds": 100}],
            "mprotect": [{"pages": 32, "rounds": 4}],
            "tlbi": [{"n": 1000}],
        },
    },
    "full": {
        "reps": 3,
        "modes": ("native", "stage2", "stage2-4k", "shadow", "shadow-unsync"),
        "params": {
            "null-hypercall": [{"n": 20000}],
            "mmio": [{"n": 20000}],
            "syscall": [{"n": 20000}],
            "compute": [{"n": 1000000}],
            "tlb-sweep": [{"pages": p, "stride": 1, "rounds": 8, "large": l}
                          for p in (16, 64, 256, 1024, 4096, 16384) for l in (0, 1)],
            "page-fault": [{"pages": 1024}],
            "map-unmap": [{"pages": 256, "rounds": 8}],
            "fork-cow": [{"pages": 512}],
            "context-switch": [{"procs": p, "rounds": 500} for p in (2, 8, 32)],
            "mprotect": [{"pages": 256, "rounds": 8}],
            "tlbi": [{"n": 10000}],
        },
    },
}


class MatrixError(ValueError):
    pass


@dataclass(frozen=True)
class Run:
    mode: str
    fmt: str
    bench: str
    params: tuple = field(default_factory=tuple)  # ((name, value), ...)
    reps: int = 1

    @property
    def name(self):
        p = "-".join(f"{k}{v}" for k, v in self.params)
        return f"{self.mode}-{self.fmt}-{self.bench}" + (f"-{p}" if p else "")

    @property
    def append(self):
        parts = [f"bench={self.bench}", f"fmt={self.fmt}", f"reps={self.reps}"]
        parts += [f"{self.bench}.{k}={v}" for k, v in self.params]
        return " ".join(parts)

    def describe(self):
        p = " ".join(f"{k}={v}" for k, v in self.params)
        return f"{self.mode} {self.fmt} {self.bench} {p}".strip()


def _pick(kind, given, valid):
    if not given:
        return None
    chosen = [x.strip() for x in given.split(",") if x.strip()]
    bad = [x for x in chosen if x not in valid]
    if bad:
        raise MatrixError(f"unknown {kind} {', '.join(bad)} (valid: {', '.join(valid)})")
    return chosen


def expand(preset, benches=None, modes=None, fmts=None, reps=None, available_modes=None):
    """The runs of a preset, optionally restricted; MatrixError on bad input."""
    if preset not in PRESETS:
        raise MatrixError(f"unknown preset {preset} (valid: {', '.join(PRESETS)})")
    p = PRESETS[preset]
    chosen_modes = _pick("mode", modes, list(MODES)) or list(p["modes"])
    if available_modes is not None:
        missing = [m for m in chosen_modes if MODES[m][0] != "native"
                   and MODES[m][0] not in available_modes]
        if missing:
            raise MatrixError(f"mode {', '.join(missing)} needs a memory module this build "
                              f"does not have (available: {', '.join(available_modes)})")
    chosen_fmts = _pick("format", fmts, list(FORMATS)) or list(FORMATS)
    chosen_benches = _pick("benchmark", benches, list(BENCHMARKS)) or list(BENCHMARKS)
    nreps = reps if reps is not None else p["reps"]
    runs = []
    for mode in chosen_modes:
        for fmt in chosen_fmts:
            for bench in chosen_benches:
                if bench == "null-hypercall" and mode == "native":
                    continue  # needs a hypervisor
                for params in p["params"][bench]:
                    runs.append(Run(mode, fmt, bench, tuple(params.items()), nreps))
    return runs
