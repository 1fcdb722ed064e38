"""A batch of any size takes a bounded number of advisory locks (an import once ran out)."""

from uuid import uuid4

from gateway.adapters.overview_writes import LOCK_BUCKETS, lock_key


def test_a_large_batch_needs_at_most_one_lock_per_bucket() -> None:
    ids = [uuid4() for _ in range(16_000)]
    keys = {lock_key(customer_id) for customer_id in ids}
    assert len(keys) <= LOCK_BUCKETS
    assert all(0 <= key < LOCK_BUCKETS for key in keys)
    assert lock_key(ids[0]) == lock_key(ids[0]), "one customer always maps to one lock"
