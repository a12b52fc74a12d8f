"""Fuzzing the exchange package reader from a real package: every mutation imports or is refused cleanly.

A refusal is a TrackerError with a message and leaves the database exactly as it was; nothing else
escapes; reading stays within bounded memory. CI runs the same examples each time; explore new ones
with TRACKER_FUZZ_RANDOM=1 (and more with TRACKER_FUZZ_EXAMPLES=500).
"""

from __future__ import annotations

import gzip
import json
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.helpers import done_or_refused_cleanly, fuzz_settings, open_copy
from tests.tracker.exchange.exchange_devices import signing_key
from tracker.errors import TrackerError
from tracker.exchange.package import read_package, signature
from tracker.exchange.sync import export_package, import_package
from tracker.plan.store import current_plan
from tracker.progress.records import find_measure, save_progress
from tracker.quarters import Quarter
from tracker.storage.db import close_database
from tracker.storage.models import TrustedDevice

FUZZ = fuzz_settings(40)
MEMORY_LIMIT = 200 * 1024 * 1024
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8)


@pytest.fixture(scope="module")
def laptop_package(tmp_path_factory, plan_template):
    """A laptop's package: a few measures reported over two quarters, one note with a line break; and the laptop's
    key (public, private), to trust it and to sign a changed copy as the laptop would."""
    folder = tmp_path_factory.mktemp("package")
    open_copy(plan_template, folder / "laptop.sqlite3")
    try:
        plan = current_plan()
        for code, quarter, values in (
                ("1.1.1", Quarter(2025, 1), {"status": "in_progress", "percent": 20, "note": "етап 1\nетап 2"}),
                ("1.1.1", Quarter(2025, 2), {"status": "done", "percent": 100}),
                ("2.1.1", Quarter(2025, 2), {"status": "not_started", "percent": 0, "planned_financing": "125,5"})):
            save_progress(find_measure(plan, code), quarter, values, author="Петро")
        path = export_package(folder / "laptop.trackerpkg", "ноутбук").path
        key = signing_key()
    finally:
        close_database()
    return path.read_bytes(), key


@pytest.fixture
def real_package(plan, laptop_package):
    """The laptop's package, in a database that trusts the laptop: what stands between the file and the records
    is the reader and the merge."""
    data, (public, _private) = laptop_package
    header = read_package_bytes(data).header
    TrustedDevice.create(device_uid=header.device_uid, name=header.device_name, public_key=public)
    return data


def read_package_bytes(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.trackerpkg"
        path.write_bytes(data)
        return read_package(path)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


def _replace(node, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[head] = _replace(node[head], rest, value)
    return copy


def _import_or_refuse(path) -> None:
    """Import the file; a refusal must be a TrackerError that changed nothing."""
    tracemalloc.start()
    try:
        try:
            read_package(path)
        except TrackerError:
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT
    event("imported" if done_or_refused_cleanly(lambda: import_package(path, author="офіс")) else "refused")


@FUZZ
@given(data=st.data())
def test_bytes_flipped_inserted_or_cut_are_refused_cleanly(plan, tmp_path, real_package, data):
    raw = gzip.decompress(real_package) if data.draw(st.booleans(), label="plain JSON") else real_package
    mutated = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        position = data.draw(st.integers(0, len(mutated) - 1), label="position")
        kind = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]), label="kind")
        if kind == "flip":
            mutated[position] ^= data.draw(st.integers(1, 255), label="mask")
        elif kind == "insert":
            mutated[position:position] = data.draw(st.binary(min_size=1, max_size=8), label="inserted")
        elif kind == "delete":
            del mutated[position:position + data.draw(st.integers(1, 16), label="length")]
        else:
            del mutated[position:]
        if not mutated:
            break
    path = tmp_path / "mutated.trackerpkg"
    path.write_bytes(bytes(mutated))
    _import_or_refuse(path)


@FUZZ
@given(data=st.data())
def test_any_value_anywhere_signed_by_the_trusted_laptop_imports_or_is_refused_cleanly(plan, tmp_path, real_package,
                                                                                      laptop_package, data):
    """Signed again with the laptop's own key, so the checks after the signature are what stands between the file
    and the database."""
    document = json.loads(gzip.decompress(real_package))
    body = {k: v for k, v in document.items() if k != "signature"}
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = [p for p in _paths(body) if p]
        where = data.draw(st.sampled_from(paths), label="path")
        body = _replace(body, where, data.draw(JSON_VALUES, label="value"))
    path = tmp_path / "mutated.trackerpkg"
    path.write_bytes(gzip.compress(json.dumps(dict(body, signature=signature(body, laptop_package[1][1])),
                                              ensure_ascii=False).encode()))
    _import_or_refuse(path)


def test_the_real_package_imports(plan, tmp_path, real_package):
    path = tmp_path / "real.trackerpkg"
    path.write_bytes(real_package)
    result = import_package(path, author="офіс")
    assert result.applied == 8 and result.conflicts == 0  # 1.1.1: 3 + 2 fields, 2.1.1: 3 fields
