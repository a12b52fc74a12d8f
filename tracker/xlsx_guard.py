"""Checks an .xlsx (or .docx) archive before openpyxl or python-docx inflates anything: damaged, disguised or hostile files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import DefusedXmlException

from .errors import TrackerError
from .files import not_a_file, os_reason
from .i18n import tr
from .logs import log

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBER_RATIO = 150  # real sheets compress ~10:1; bombs compress 1000:1
MAX_MEMBERS = 5000
# openpyxl holds every shared string in memory, even when reading a sheet row by row (~3.3 bytes of
# memory per byte of XML). The whole plan with every note and remark at the 32,767-character limit
# would be ~30 MB; this keeps a workbook read within ~200 MB.
MAX_SHARED_STRINGS = 32 * 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
# python-docx parses the whole document part into a tree; the plan's is ~1 MB
MAX_DOCUMENT_XML = 32 * 1024 * 1024
DOCUMENT_XML = "word/document.xml"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsafeFileError(TrackerError):
    """The file is not a readable, harmless .xlsx workbook."""


def check_docx(path: str | Path) -> None:
    """Raise UnsafeFileError unless ``path`` looks like an ordinary .docx archive."""
    _check(Path(path), word=True)


def check_xlsx(path: str | Path) -> None:
    """Raise UnsafeFileError unless ``path`` looks like an ordinary .xlsx archive."""
    _check(Path(path), word=False)


def _check(path: Path, word: bool) -> None:
    name = path.name
    unreadable = not_a_file(path)
    if unreadable:
        raise UnsafeFileError(unreadable)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnsafeFileError(tr("Не вдалося прочитати файл «{name}»: {reason}.",
                                 name=name, reason=os_reason(exc))) from exc
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(tr("Файл «{name}» завеликий ({size} МБ) для таблиці плану чи звіту.",
                                 name=name, size=size // 1_048_576))
    if head.startswith(_OLE_MAGIC):
        raise UnsafeFileError(tr(
            "Файл «{name}» захищений паролем або збережений у старому форматі .doc. "
            "Зніміть пароль і збережіть його як «Документ Word (.docx)».", name=name) if word else tr(
            "Файл «{name}» захищений паролем або збережений у старому форматі .xls. "
            "Зніміть пароль і збережіть його як «Книга Excel (.xlsx)».", name=name))
    if not word and head.startswith(b"\x1f\x8b"):  # gzip: what the tracker's packages of changes are
        raise UnsafeFileError(tr(
            "Файл «{name}» — пакет змін трекера, а не звіт. Його імпортують як пакет змін (Файл → Імпорт пакета "
            "змін…).", name=name))
    if not head.startswith(b"PK"):
        raise UnsafeFileError(tr(
            "Файл «{name}» не є документом Word .docx (можливо, це перейменований .doc чи .rtf). "
            "Відкрийте його в Word чи LibreOffice і збережіть як .docx.", name=name) if word else tr(
            "Файл «{name}» не є книгою Excel .xlsx (можливо, це перейменований .csv чи .xls). "
            "Відкрийте його в Excel чи LibreOffice і збережіть як .xlsx.", name=name))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnsafeFileError(tr("Файл «{name}» містить підозріло багато частин ({count}).",
                                         name=name, count=len(members)))
            total = 0
            for member in members:
                if member.flag_bits & 0x1:
                    raise UnsafeFileError(tr("Файл «{name}» зашифровано. Зніміть пароль і збережіть як .xlsx.",
                                             name=name))
                total += member.file_size
                if member.filename.lower() == SHARED_STRINGS.lower() and member.file_size > MAX_SHARED_STRINGS:
                    raise UnsafeFileError(tr(
                        "Файл «{name}» містить {size} МБ тексту в спільних рядках — більше, ніж може мати "
                        "план чи звіт. Його не відкрито.", name=name, size=member.file_size // 1_048_576))
                if member.filename == DOCUMENT_XML and member.file_size > MAX_DOCUMENT_XML:
                    raise UnsafeFileError(tr(
                        "Документ «{name}» після розпакування займав би {size} МБ — більше, ніж може мати "
                        "план. Його не відкрито.", name=name, size=member.file_size // 1_048_576))
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 1_000_000 and ratio > MAX_MEMBER_RATIO:
                    raise UnsafeFileError(tr(
                        "Файл «{name}» схожий на «zip-бомбу» (частина {part} стискається "
                        "у {ratio:.0f} разів). Його не відкрито.", name=name, part=member.filename, ratio=ratio))
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise UnsafeFileError(tr("Файл «{name}» після розпакування займав би {size} МБ. Його не відкрито.",
                                         name=name, size=total // 1_048_576))
            names = {m.filename for m in members}
            if not word and "xl/workbook.bin" in names:
                raise UnsafeFileError(tr("Файл «{name}» — двійкова книга Excel (.xlsb). Відкрийте його в Excel чи "
                                         "LibreOffice і збережіть як .xlsx.", name=name))
            if word and ("[Content_Types].xml" not in names or DOCUMENT_XML not in names):
                raise UnsafeFileError(tr("Файл «{name}» — zip-архів, але не документ Word .docx.", name=name))
            if not word and ("[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names)):
                raise UnsafeFileError(tr("Файл «{name}» — zip-архів, але не книга Excel .xlsx (можливо, це таблиця "
                                         "LibreOffice .ods). Відкрийте його в Excel чи LibreOffice і збережіть як "
                                         ".xlsx.", name=name))
    except zipfile.BadZipFile as exc:  # zipfile's own words («File is not a zip file») are English: the journal's
        log.info("%s is no whole zip archive: %s", name, exc)
        raise UnsafeFileError(tr("Файл «{name}» пошкоджений або обрізаний: це не цілий архів .xlsx.", name=name)
                              if not word else
                              tr("Файл «{name}» пошкоджений або обрізаний: це не цілий архів .docx.", name=name)) from exc


def hostile_xml(exc: BaseException | None) -> bool:
    """Was ``exc`` (or an exception it was raised from or while handling) an XML parser's refusal of hostile XML:
    defusedxml's, or lxml's (which openpyxl uses when installed), which says an entity bomb as a syntax error?"""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, DefusedXmlException) or (
                type(exc).__name__ == "XMLSyntaxError" and "entit" in str(exc).lower()):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
