"""The cost bounds of the hypervisor, as exact instruction counts (never durations)."""

import pytest

from perf import BOUNDS, SHADOW_BOUNDS, SHADOW_MET, measure, measure_shadow


@pytest.fixture(scope="module")
def costs():
    return measure(n=500)


@pytest.mark.parametrize("event", sorted(BOUNDS))
def test_cost_within_bound(costs, event):
    per_op, ops, events = costs[event]
    assert events == ops, f"{event}: {events} events for {ops} operations"
    assert 0 < per_op <= BOUNDS[event][1]


@pytest.mark.parametrize("sync", ["emulate", "unsync"])
def test_shadow_costs_are_exact_counts(sync):
    """Each measured shadow event happened exactly once per operation, and the bounds the
    module meets stay met (exact instruction counts; the README records every cost against
    the issue's bounds)."""
    costs = measure_shadow(sync, n=300)
    for event in SHADOW_BOUNDS:
        per_op, ops, events = costs[event]
        if sync == "unsync" and event == "pt_write":
            # The first write to the table makes it out of sync: the others are not caught.
            assert events == 1, f"{event}: {events} catches"
        else:
            assert events == ops, f"{event}: {events} events for {ops} operations"
        assert per_op > 0
        if event in SHADOW_MET:
            assert per_op <= SHADOW_BOUNDS[event][1], f"{event}: {per_op} instructions"
