"""The cost bounds of the hypervisor, as exact instruction counts (never durations)."""

import pytest

from perf import BOUNDS, measure


@pytest.fixture(scope="module")
def costs():
    return measure(n=500)


@pytest.mark.parametrize("event", sorted(BOUNDS))
def test_cost_within_bound(costs, event):
    per_op, ops, events = costs[event]
    assert events == ops, f"{event}: {events} events for {ops} operations"
    assert 0 < per_op <= BOUNDS[event][1]
