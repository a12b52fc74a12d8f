"""Reading an exchange package file: hostile shapes are refused before they can cost memory or time."""

from __future__ import annotations

import gzip
import json
import tracemalloc

import pytest

from tracker.exchange.package import MAX_JSON_BYTES, PackageError, checksum, read_package


def _write(path, document: bytes, compress: bool = True):
    path.write_bytes(gzip.compress(document, compresslevel=9) if compress else document)
    return path


def test_a_decompression_bomb_is_refused_before_it_is_inflated(tmp_path):
    """388 KB that inflate to 400 MB of JSON once took 10.9 GB of memory to refuse."""
    bomb = _write(tmp_path / "bomb.trackerpkg", b"[" + b"0," * 200_000_000 + b"0]")
    assert bomb.stat().st_size < 500_000
    tracemalloc.start()
    try:
        with pytest.raises(PackageError, match="підозріло великий обсяг"):
            read_package(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MAX_JSON_BYTES  # the capped output and the decompressor's buffer: ~100 MB at most


def test_a_workbook_given_as_a_package_is_called_a_workbook_not_damaged(tmp_path):
    """A report picked in the package's dialog was «пошкоджений або обрізаний: попросіть надіслати пакет ще раз»."""
    import zipfile

    with zipfile.ZipFile(tmp_path / "Звіт_2025_3кв.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
    with pytest.raises(PackageError, match="«Звіт_2025_3кв.xlsx» — книга Excel чи документ Word, а не пакет змін"):
        read_package(tmp_path / "Звіт_2025_3кв.xlsx")


def test_many_small_containers_under_the_size_cap_are_refused_unparsed(tmp_path):
    path = _write(tmp_path / "p.trackerpkg", b"[" + b"{}," * 1_000_000 + b"{}]")
    with pytest.raises(PackageError, match="підозріло великий обсяг"):
        read_package(path)


@pytest.mark.parametrize("document", [b"[" * 100_000 + b"]" * 100_000, b'{"format": NaN}', b'{"a": Infinity}'],
                         ids=["nested", "nan", "infinity"])
def test_json_a_package_never_holds_is_called_damaged(tmp_path, document):
    for compress in (True, False):
        with pytest.raises(PackageError, match="пошкоджений або обрізаний"):
            read_package(_write(tmp_path / "p.trackerpkg", document, compress))


@pytest.mark.parametrize("events", [
    [{"uid": "a" * 32, "parents": [], "site": None, "measure": "1.1.1", "year": 10 ** 400, "quarter": 1,
      "field": "percent", "old": None, "new": "5", "by": "", "at": "2025-01-01T00:00:00", "change_set": "c"}],
    [{"uid": "a" * 32, "parents": [], "site": None, "measure": "1.1.1", "year": 2025, "quarter": 1,
      "field": "planned_financing", "old": None, "new": "1e999999999", "by": "", "at": "2025-01-01T00:00:00",
      "change_set": "c"}],
    [{"uid": "a" * 32, "parents": [], "site": None, "measure": "1.1.1", "year": 2025, "quarter": 1,
      "field": ["percent"], "old": None, "new": "5", "by": "", "at": "2025-01-01T00:00:00", "change_set": "c"}],
    [["not", "an", "event"]],
    # a trusted device's uid in capitals (or with a space) passed the check of who may send its changes
    [{"uid": "a" * 32, "parents": [], "site": "C" * 32, "measure": "1.1.1", "year": 2025, "quarter": 1,
      "field": "percent", "old": None, "new": "5", "by": "", "at": "2025-01-01T00:00:00", "change_set": "c"}],
    [{"uid": "a" * 32, "parents": [], "site": " " + "c" * 32, "measure": "1.1.1", "year": 2025, "quarter": 1,
      "field": "percent", "old": None, "new": "5", "by": "", "at": "2025-01-01T00:00:00", "change_set": "c"}],
    [{"uid": "a" * 32, "parents": [], "site": "c" * 32, "measure": "1.1.1", "year": 2025, "quarter": 1,
      "field": "percent", "old": None, "new": "5", "by": "", "at": "2025-01-01T00:00:00", "change_set": "c",
      "signature": "ab" * 63}],  # a signature of the wrong length
    [{"uid": "a" * 32, "parents": [], "site": "c" * 32, "measure": "1.1.1", "year": 2025, "quarter": 1,
      "field": "percent", "old": None, "new": "5", "by": "", "at": "2025-01-01T00:00:00", "change_set": "c",
      "signature": {"hex": "ab" * 64}}],
], ids=["huge-year", "huge-sum", "field-not-text", "event-not-object", "site-in-capitals", "site-with-space",
        "signature-short", "signature-not-text"])
def test_odd_numbers_and_types_inside_a_sound_package_are_refused(tmp_path, events):
    body = {"format": "lutsk-tracker-exchange", "version": 1,
            "header": {"plan": {"uid": "p", "title": "План"}, "device": {"uid": "b" * 32, "name": "ноутбук"},
                       "created_at": "2025-03-01T10:00:00", "base": {"seq": 0, "uid": None},
                       "top": {"seq": 1, "uid": "a" * 32}, "acks": {}, "sites": {}, "events": len(events)},
            "events": events}
    path = _write(tmp_path / "p.trackerpkg", json.dumps(dict(body, checksum=checksum(body))).encode())
    with pytest.raises(PackageError, match="неправильний вміст|неправильний квартал"):
        read_package(path)
