"""The cost bounds of the hypervisor, as exact instruction counts (never durations)."""

import pytest

from perf import BOUNDS, SHADOW_MET, SHADOW_ROWS, measure, measure_shadow


@pytest.fixture(scope="module")
def costs():
    return measure(n=500)


@pytest.mark.parametrize("event", sorted(BOUNDS))
def test_cost_within_bound(costs, event):
    per_op, ops, events = costs[event]
    assert events == ops, f"{event}: {events} events for {ops} operations"
    assert 0 < per_op <= BOUNDS[event][1]


SHADOW_EVENTS = sorted({event for event, _, _, _ in SHADOW_ROWS})
SHADOW_BOUNDS = {event: bound for event, _, _, bound in SHADOW_ROWS if bound is not None}


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
