"""The council's Word file read directly: the same plan, the same repairs, as the bundled text.

The document is built with python-docx in the shape the council publishes: the title above the
table, goal rows spanning all five columns, each task cell merged down over its measures, the
table split where the text has its page breaks, and the header row repeated at the top of each part.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import fuzz_settings, plan_file_read_or_refused
from tests.tracker.plan.test_store import plan_content, plan_lines
from tracker.errors import TrackerError
from tracker.paths import BUNDLED_PLAN
from tracker.plan.store import current_plan, import_plan, read_plan
from tracker.progress.tree import load_tree, tree_json
from tracker.storage.db import close_database, open_database
from tracker.xlsx_guard import UnsafeFileError

GOAL = re.compile(r"^(стратегічна|оперативна)\s+ціль", re.IGNORECASE)
CODE = re.compile(r"^\d+\.\d+\.\d+")


def council_docx(target, *, numbering_row: bool = False):
    """The bundled table as the council's .docx; returns (path, the text's line of each table row)."""
    lines = [line.split("\t") for line in plan_lines()]
    filled = [i for i, cells in enumerate(lines) if any(c.strip() for c in cells)]
    title, header = lines[filled[0]], lines[filled[1]]
    parts, part = [], []
    for cells in lines[filled[1] + 1:]:
        if not any(c.strip() for c in cells):
            parts.append(part)
            part = []
        else:
            part.append((cells + [""] * 5)[:5])
    parts.append(part)
    document = docx.Document()
    document.add_paragraph(" ".join(c for c in title if c.strip()))
    for part in (p for p in parts if p):
        table = document.add_table(rows=0, cols=5)
        for cells in [header] + ([[str(n) for n in range(1, 6)]] if numbering_row else []) + part:
            row = table.add_row()
            for cell, text in zip(row.cells, cells):
                cell.text = text
            if GOAL.match(cells[0].strip()) and not any(c.strip() for c in cells[1:]):
                row.cells[0].merge(row.cells[4])  # a goal spans the table
        _merge_tasks(table, part, skip=1 + numbering_row)
        document.add_page_break()
    document.save(target)
    return target


def _merge_tasks(table, part, skip):
    """Merge each task cell down over the measure rows below it whose task cell is empty."""
    start = None
    for index, cells in enumerate(part + [["", "", "", "", ""]]):
        measure = CODE.match(cells[0].strip())
        if measure and not cells[1].strip() and start is not None:
            continue
        if start is not None and index - 1 > start:
            table.rows[start + skip].cells[1].merge(table.rows[index - 1 + skip].cells[1])
        start = index if measure and cells[1].strip() else None


def test_the_council_docx_gives_the_same_plan_and_the_same_repairs(tmp_path):
    from_text = read_plan(BUNDLED_PLAN)
    path = council_docx(tmp_path / "План заходів.docx")
    merged = docx.Document(str(path)).tables[0]._tbl.xpath(".//w:vMerge")
    assert merged and len(docx.Document(str(path)).tables) > 5  # really merged, really split
    from_docx = read_plan(path)
    assert (from_docx.title, from_docx.first_year, from_docx.last_year) == (
        from_text.title, from_text.first_year, from_text.last_year)
    assert len(from_docx.measures()) == 233
    assert plan_content(from_docx) == plan_content(from_text)
    # the same repairs and anomalies, in the same words (line numbers count table rows here)
    assert [(f.kind, f.message) for f in from_docx.findings] == [(f.kind, f.message) for f in from_text.findings]


def test_a_column_numbering_row_is_not_a_measure(tmp_path):
    from_docx = read_plan(council_docx(tmp_path / "plan.docx", numbering_row=True))
    assert plan_content(from_docx) == plan_content(read_plan(BUNDLED_PLAN))
    assert not [f for f in from_docx.findings if f.kind == "unexpected_row"]


def test_docx_import_gives_the_same_database(tmp_path):
    trees = []
    for source in (BUNDLED_PLAN, council_docx(tmp_path / "plan.docx")):
        open_database(tmp_path / f"{source.suffix[1:]}.sqlite3")
        try:
            import_plan(source)
            trees.append(tree_json(load_tree(current_plan())))
        finally:
            close_database()
    assert trees[0] == trees[1]


def _renamed_doc(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    return path


def _zip_without_document(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/styles.xml", b"<styles/>")
    return path


def _broken_document_xml(path):
    good = council_docx(path.with_name("good.docx"))
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item.filename, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    return path


def _entity_bomb(path):
    good = council_docx(path.with_name("good.docx"))
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            b'<w:t>&c;</w:t></w:r></w:p></w:body></w:document>')
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            new.writestr(item.filename, bomb if item.filename == "word/document.xml" else old.read(item.filename))
    return path


@pytest.mark.parametrize("make, words", [
    (_renamed_doc, "старому форматі .doc"),
    (_zip_without_document, "не документ Word"),
    (_broken_document_xml, "пошкоджений"),
    (_entity_bomb, "не схожий на план"),
], ids=["old-doc", "zip-not-docx", "cut-xml", "entities"])
def test_a_damaged_or_hostile_docx_is_refused_and_changes_nothing(plan, tmp_path, make, words):
    before = tree_json(load_tree(current_plan()))
    path = make(tmp_path / "план.docx")
    with pytest.raises(TrackerError) as refused:
        import_plan(path)
    assert words in str(refused.value) and "Traceback" not in str(refused.value)
    assert isinstance(refused.value, (UnsafeFileError, TrackerError))
    assert tree_json(load_tree(current_plan())) == before


@pytest.fixture(scope="module")
def council_bytes(tmp_path_factory):
    return council_docx(tmp_path_factory.mktemp("docx") / "plan.docx").read_bytes()


DOCX_FUZZ = fuzz_settings(15)


@DOCX_FUZZ
@given(data=st.data())
def test_a_damaged_docx_is_read_or_refused_cleanly(plan, tmp_path, council_bytes, data):
    """Bytes flipped, cut or parts rewritten: read, or refused with a TrackerError; the database unchanged."""
    body = bytearray(council_bytes)
    kind = data.draw(st.sampled_from(["flip", "cut", "part"]), label="kind")
    if kind == "flip":
        for _ in range(data.draw(st.integers(1, 20), label="flips")):
            body[data.draw(st.integers(0, len(body) - 1), label="at")] ^= data.draw(st.integers(1, 255), label="x")
    elif kind == "cut":
        del body[data.draw(st.integers(0, len(body) - 1), label="at"):]
    else:
        with zipfile.ZipFile(io.BytesIO(council_bytes)) as old:
            names = old.namelist()
            name = data.draw(st.sampled_from(names), label="part")
            text = old.read(name)
            start = data.draw(st.integers(0, len(text)), label="start")
            text = text[:start] + data.draw(st.binary(max_size=40), label="typed") + text[start + 20:]
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as new:
                for other in names:
                    new.writestr(other, text if other == name else old.read(other))
            body = bytearray(out.getvalue())
    path = tmp_path / "план.docx"
    path.write_bytes(bytes(body))
    plan_file_read_or_refused(path)
