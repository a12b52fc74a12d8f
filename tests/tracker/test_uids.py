"""New uids: the 32 hex digits every uid has, a UUID of version 7, in the order they were made across milliseconds."""

from __future__ import annotations

import time
import uuid

from tracker.exchange.package import _UID
from tracker.uids import new_uid


def test_a_new_uid_is_a_version_7_uuid_in_the_uid_form():
    made = new_uid()
    assert _UID.fullmatch(made)
    assert uuid.UUID(made).version == 7 and uuid.UUID(made).variant == uuid.RFC_4122


def test_uids_follow_each_other_across_milliseconds_and_never_repeat():
    earlier = new_uid()
    time.sleep(0.003)
    later = [new_uid() for _ in range(20_000)]
    assert all(earlier < uid for uid in later) and len(set(later)) == len(later)
    assert abs(int(later[0][:12], 16) - time.time_ns() // 1_000_000) < 60_000  # the time in it is now's
