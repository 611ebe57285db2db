"""Figures and the summary table, from results.csv alone (`make plots`).

usage: /usr/bin/python3 analysis/plots.py [RESULTS_DIR]   (default: results)

Every figure is written as PNG and SVG into RESULTS_DIR/figures and carries the note that
its counts come from QEMU with -icount: instructions, never time."""

import csv
import json
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

NOTE = ("Counts from QEMU 7.2 with -icount shift=0: instructions, not time. "
        "QEMU models no TLB, cache or table-walk cost.")
PARAMS = ("n", "pages", "stride", "rounds", "large", "procs")


def load(results_dir):
    """The rows of results.csv with numbers as numbers (empty cells dropped)."""
    rows = []
    with open(Path(results_dir) / "results.csv", newline="") as f:
        for raw in csv.DictReader(f):
            row = {}
            for k, v in raw.items():
                if v == "":
                    continue
                row[k] = int(v) if v.lstrip("-").isdigit() else v
            rows.append(row)
    return rows


def config_key(r):
    return (r["mode"], r["fmt"], r["bench"]) + tuple(r.get(p, "") for p in PARAMS)


def per_config(rows):
    """Mean over repetitions of each configuration's per-operation figures. Repetitions
    run in one boot: the first may take faults the later ones do not (frames are reused),
    so the mean, not the median, is the cost of the work the repetitions did."""
    groups = defaultdict(list)
    for r in rows:
        groups[config_key(r)].append(r)
    out = {}
    for key, rs in groups.items():
        def med(f):
            return statistics.mean(f(r) for r in rs)
        traps = {k: med(lambda r, k=k: r.get(k, 0) / r["ops"])
                 for k in {k for r in rs for k in r if k.startswith("hyp.trap.")}}
        out[key] = {
            "first": rs[0],
            "reps": len(rs),
            "ops": rs[0]["ops"],
            "guest": med(lambda r: (r["pl1_insn"] + r["pl0_insn"]) / r["ops"]),
            "hyp": med(lambda r: r.get("hyp.core.hyp_instructions", 0) / r["ops"]),
            "traps": traps,
            "spread": max((r["pl1_insn"] + r["pl0_insn"]) for r in rs)
            - min((r["pl1_insn"] + r["pl0_insn"]) for r in rs),
        }
    return out


def native_of(key):
    return ("native",) + key[1:]


def geomean(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def finish(fig, figdir, name, made):
    fig.text(0.01, 0.005, NOTE, fontsize=7, style="italic", va="bottom")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    for ext in ("png", "svg"):
        fig.savefig(figdir / f"{name}.{ext}", dpi=120)
    plt.close(fig)
    made.append(name)


def modes_of(cfg, native=False):
    return sorted({k[0] for k in cfg if native or k[0] != "native"})


def fig_overhead(cfg, figdir, made):
    modes = modes_of(cfg)
    fmts = sorted({k[1] for k in cfg})
    benches = sorted({k[2] for k in cfg})
    if not modes:
        return
    fig, axes = plt.subplots(len(fmts), 2, figsize=(13, 3.6 * len(fmts)), squeeze=False)
    width = 0.8 / len(modes)
    for row, fmt in enumerate(fmts):
        ax_g, ax_h = axes[row]
        for i, mode in enumerate(modes):
            ratios, hyps = [], []
            for b in benches:
                keys = [k for k in cfg if k[0] == mode and k[1] == fmt and k[2] == b]
                ratios.append(geomean([cfg[k]["guest"] / cfg[native_of(k)]["guest"]
                                       for k in keys if native_of(k) in cfg]))
                hyps.append(geomean([cfg[k]["hyp"] for k in keys]) if keys else 0)
            xs = [j + i * width for j in range(len(benches))]
            ax_g.bar(xs, ratios, width, label=mode)
            ax_h.bar(xs, [h if h == h else 0 for h in hyps], width, label=mode)
        for ax in (ax_g, ax_h):
            ax.set_xticks([j + width * (len(modes) - 1) / 2 for j in range(len(benches))])
            ax.set_xticklabels(benches, rotation=30, ha="right", fontsize=8)
            ax.legend(fontsize=8)
        ax_g.axhline(1.0, color="grey", lw=0.8)
        ax_g.set_ylabel("guest instructions per operation\n(ratio to native)")
        ax_g.set_title(f"Guest-visible instructions, {fmt} stage-1 tables")
        ax_h.set_ylabel("Hyp-mode instructions per operation")
        ax_h.set_yscale("symlog", linthresh=1)
        ax_h.set_title(f"Hypervisor instructions, {fmt} stage-1 tables")
    finish(fig, figdir, "overhead", made)


def fig_trap_cost(cfg, figdir, made):
    bars = []
    for k, c in sorted(cfg.items()):
        traps = sum(c["traps"].values())
        if k[0] != "native" and traps > 0 and k[1] == "short":
            label = f"{k[2]} ({k[0]})"
            if label not in [b[0] for b in bars]:
                bars.append((label, c["hyp"] / traps))
    if not bars:
        return
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.bar(range(len(bars)), [b[1] for b in bars], color="tab:red")
    ax.set_xticks(range(len(bars)))
    ax.set_xticklabels([b[0] for b in bars], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("Hyp-mode instructions per trap")
    ax.set_title("Cost of a handled event: Hyp instructions per trap (short tables)")
    for i, b in enumerate(bars):
        ax.text(i, b[1], f"{b[1]:.0f}", ha="center", va="bottom", fontsize=7)
    finish(fig, figdir, "trap_cost", made)


def fig_traps_by_cause(cfg, figdir, made):
    modes = modes_of(cfg)
    if not modes:
        return
    fig, axes = plt.subplots(1, len(modes), figsize=(6 * len(modes), 4), squeeze=False)
    for ax, mode in zip(axes[0], modes):
        keys = sorted(k for k in cfg if k[0] == mode and k[1] == "short")
        seen, per_bench = [], {}
        for k in keys:
            if k[2] not in per_bench:
                per_bench[k[2]] = cfg[k]["traps"]
                seen.append(k[2])
        causes = sorted({c for t in per_bench.values() for c, v in t.items() if v > 0})
        bottom = [0.0] * len(seen)
        for cause in causes:
            vals = [per_bench[b].get(cause, 0) for b in seen]
            ax.bar(range(len(seen)), vals, bottom=bottom, label=cause.replace("hyp.trap.", ""))
            bottom = [a + v for a, v in zip(bottom, vals)]
        ax.set_xticks(range(len(seen)))
        ax.set_xticklabels(seen, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("traps per operation")
        ax.set_title(f"Traps by cause, {mode} (short tables)")
        if causes:
            ax.legend(fontsize=8)
    finish(fig, figdir, "traps_by_cause", made)


def fig_tlb_sweep(cfg, figdir, made):
    keys = [k for k in cfg if k[2] == "tlb-sweep"]
    if not keys:
        return
    fig, (ax_g, ax_h) = plt.subplots(1, 2, figsize=(12, 4))
    series = defaultdict(list)
    for k in keys:
        c = cfg[k]["first"]
        kib = c["pages"] * c["stride"] * 4
        series[(k[0], k[1], c["large"])].append((kib, cfg[k]["guest"], cfg[k]["hyp"]))
    for (mode, fmt, large), pts in sorted(series.items()):
        pts.sort()
        label = f"{mode}, {fmt}, {'sections' if large else '4 KiB pages'}"
        ax_g.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
        if mode != "native":
            ax_h.plot([p[0] for p in pts], [p[2] for p in pts], marker="o", label=label)
    for ax in (ax_g, ax_h):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("working set (KiB)")
        ax.legend(fontsize=7)
    ax_g.set_ylabel("guest instructions per access")
    ax_g.set_title("tlb-sweep: guest instructions per access")
    ax_h.set_ylabel("Hyp-mode instructions per access")
    ax_h.set_title("tlb-sweep: hypervisor instructions per access")
    finish(fig, figdir, "tlb_sweep", made)


SHADOW_COUNTERS = ("hyp.shadow.misses_data", "hyp.shadow.misses_prefetch",
                   "hyp.shadow.fills", "hyp.shadow.genuine_faults", "hyp.shadow.zaps",
                   "hyp.shadow.pt_writes_caught", "hyp.shadow.oos_marks",
                   "hyp.shadow.root_hits", "hyp.shadow.root_misses", "hyp.shadow.tlbi_mva")


def fig_shadow(rows, figdir, made):
    shadow = [r for r in rows if r["mode"].startswith("shadow")]
    if not shadow:
        return
    per_bench = defaultdict(lambda: defaultdict(list))
    for r in shadow:
        for c in SHADOW_COUNTERS:
            per_bench[r["bench"]][c].append(r.get(c, 0) / r["ops"])
    benches = sorted(per_bench)
    fig, ax = plt.subplots(figsize=(11, 4))
    width = 0.8 / len(SHADOW_COUNTERS)
    for i, c in enumerate(SHADOW_COUNTERS):
        ax.bar([j + i * width for j in range(len(benches))],
               [statistics.median(per_bench[b][c]) for b in benches], width,
               label=c.replace("hyp.shadow.", ""))
    ax.set_xticks([j + 0.4 for j in range(len(benches))])
    ax.set_xticklabels(benches, rotation=30, ha="right", fontsize=8)
    ax.set_yscale("symlog", linthresh=0.01)
    ax.set_ylabel("events per operation")
    ax.set_title("Shadow-paging internals per benchmark")
    ax.legend(fontsize=7)
    finish(fig, figdir, "shadow_internals", made)


def summary(cfg, meta):
    lines = [f"# Benchmark summary ({meta.get('preset', '?')} preset)", "",
             f"QEMU: {meta.get('qemu', '?')}; icount {meta.get('icount', '?')}; "
             f"commit {meta.get('git_commit', '?')}; {meta.get('date', '?')}.", "",
             "Means over the repetitions of one boot (counts are deterministic; later "
             "repetitions reuse memory the first one faulted in: the spread column is the "
             "max - min of guest instructions). Instructions, not time.", "",
             "| mode | fmt | benchmark | parameters | ops | guest insn/op | ratio to native "
             "| HYP insn/op | traps/op | spread |",
             "|---|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for k in sorted(cfg):
        c = cfg[k]
        params = " ".join(f"{p}={c['first'][p]}" for p in PARAMS if p in c["first"])
        nat = cfg.get(native_of(k))
        ratio = f"{c['guest'] / nat['guest']:.3f}" if nat and k[0] != "native" else "-"
        lines.append(f"| {k[0]} | {k[1]} | {k[2]} | {params} | {c['ops']} | {c['guest']:.1f} "
                     f"| {ratio} | {c['hyp']:.1f} | {sum(c['traps'].values()):.3f} "
                     f"| {c['spread']} |")
    return "\n".join(lines) + "\n"


def make_all(results_dir):
    """Every figure and summary.md from results.csv; the names of the figures made."""
    results_dir = Path(results_dir)
    rows = load(results_dir)
    meta_path = results_dir / "metadata.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    figdir = results_dir / "figures"
    figdir.mkdir(exist_ok=True)
    for old in figdir.glob("*"):
        old.unlink()
    cfg = per_config(rows)
    made = []
    fig_overhead(cfg, figdir, made)
    fig_trap_cost(cfg, figdir, made)
    fig_traps_by_cause(cfg, figdir, made)
    fig_tlb_sweep(cfg, figdir, made)
    fig_shadow(rows, figdir, made)
    (results_dir / "summary.md").write_text(summary(cfg, meta))
    return made


def main():
    d = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "results"
    if not (d / "results.csv").exists():
        sys.exit(f"plots: error: no {d / 'results.csv'}: run `make bench` first")
    made = make_all(d)
    print(f"plots: {len(made)} figures in {d / 'figures'} ({', '.join(made)}), summary.md")


if __name__ == "__main__":
    main()
