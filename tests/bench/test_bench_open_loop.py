"""Open-loop turns are due on a fixed schedule, each given to a conversation that is waiting."""

from collections import deque

import pytest

from bench.fixture import bench_customers
from bench.load import CustomerPool, conversation_for_slot, turn_offsets


def test_turns_are_evenly_spaced_at_the_requested_rate():
    offsets = turn_offsets(20.0, 2.0)

    assert len(offsets) == 40
    assert offsets[:3] == [0.0, 0.05, 0.1]
    assert offsets[-1] == pytest.approx(1.95)


def test_a_zero_rate_is_refused():
    with pytest.raises(ValueError):
        turn_offsets(0.0, 10.0)


def test_a_waiting_conversation_gets_the_next_slot_before_a_new_one_starts():
    pool = CustomerPool(bench_customers(3))
    waiting = deque([pool.new_conversation()])
    first = waiting[0]

    assert conversation_for_slot(waiting, pool) is first
    assert not waiting


def test_a_new_conversation_starts_when_none_is_waiting_with_the_next_customer():
    customers = bench_customers(3)
    pool = CustomerPool(customers)

    started = [conversation_for_slot(deque(), pool) for _ in range(4)]

    assert [c.customer for c in started] == [*customers, customers[0]]
    assert len({c.sender for c in started}) == 4  # a new conversation id each time
