"""The cost bounds of the hypervisor, as exact instruction counts (never durations)."""

import re
import subprocess
import sys

import pytest

from harness import ROOT
from perf import BOUNDS, SHADOW_MET, SHADOW_ROWS, measure, measure_shadow


@pytest.fixture(scope="module")
def costs():
    return measure(n=500)


@pytest.mark.parametrize("event", sorted(BOUNDS))
def test_cost_within_bound(costs, event):
    per_op, ops, events = costs[event]
    assert events == ops, f"{event}: {events} events for {ops} operations"
    assert 0 < per_op <= BOUNDS[event][1]


SHADOW_EVENTS = sorted({event for event, _, _, _, _ in SHADOW_ROWS})
SHADOW_BOUNDS = {event: bound for event, _, _, _, bound in SHADOW_ROWS if bound is not None}
# A T32 page-table write takes the same cached path as an A32 one: within this many
# instructions of it (uncached, one cost about 1500).
T32_EXTRA_MAX = 50


@pytest.mark.parametrize("sync", ["emulate", "unsync"])
def test_shadow_costs_are_exact_counts(sync):
    """Each measured shadow event happened exactly once per operation (every page-table
    write caught: shadow.flood=0), and the bounds the module meets stay met (exact
    instruction counts; the README records every cost against the issue's bounds)."""
    costs = measure_shadow(sync, n=300, flood=0)
    for event in SHADOW_EVENTS:
        per_op, ops, events = costs[event]
        if sync == "unsync" and event in ("pt_write", "pt_remap"):
            # The first write to the table makes it out of sync: the others are not caught.
            assert events == 1, f"{event}: {events} catches"
        else:
            assert events == ops, f"{event}: {events} events for {ops} operations"
        assert per_op > 0
        if event in SHADOW_MET:
            assert per_op <= SHADOW_BOUNDS[event], f"{event}: {per_op} instructions"


@pytest.mark.parametrize("sync", ["emulate", "unsync"])
def test_written_table_is_unshadowed_at_the_flood_threshold(sync):
    """With the default shadow.flood=4, the 300 writes to one guest table with no fill
    through it are caught until the 4th (emulate), or found at the resync (unsync): the
    table is then shadowed no more, and the writes after it are not caught."""
    costs = measure_shadow(sync, n=300)
    per_op, ops, events = costs["pt_write"]
    assert events == (4 if sync == "emulate" else 1), f"{events} catches"
    for event in SHADOW_MET:
        assert costs[event][0] <= SHADOW_BOUNDS[event]


def test_shadow_t32_writes_take_the_cached_path():
    """Page-table writes made by T32 STRD.W (a Thumb-2 kernel's) are caught and emulated one
    by one, as A32 ones are, through the decode cache: each costs about what an A32 one does."""
    a32 = measure_shadow("emulate", n=300, flood=0)
    t32 = measure_shadow("emulate", n=300, flood=0, isa="t32")
    for event in ("pt_write", "pt_remap"):
        per_op, ops, events = t32[event]
        assert events == ops, f"{event}: {events} events for {ops} operations"
        a32_per_op = a32[event][0]
        assert per_op <= a32_per_op + T32_EXTRA_MAX, f"{event}: T32 {per_op}, A32 {a32_per_op}"


def test_pmu_count_matches_the_instruction_trace():
    """The Hyp-instruction counter the costs come from (a PMU counter the hypervisor keeps
    above HDCR.HPMN) counts exactly the instructions QEMU's trace shows the hypervisor
    running for an event (analysis/trace_event.py, make trace-event): two independent
    measurements of one shadow miss agree."""
    p = subprocess.run([sys.executable, str(ROOT / "analysis" / "trace_event.py"),
                        "--event", "shadow_miss"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    m = re.search(r"one event is (\d+) Hyp instructions", p.stdout)
    assert m is not None, p.stdout
    per_op, ops, events = measure_shadow("emulate", n=200, flood=0)["shadow_miss"]
    assert events == ops
    assert int(m.group(1)) == per_op, p.stdout
