"""Checks an .xlsx archive before openpyxl inflates anything: damaged, disguised or hostile files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import TrackerError
from .i18n import tr

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBER_RATIO = 150  # real sheets compress ~10:1; bombs compress 1000:1
MAX_MEMBERS = 5000
# openpyxl holds every shared string in memory, even when reading a sheet row by row (~3.3 bytes of
# memory per byte of XML). The whole plan with every note and remark at the 32,767-character limit
# would be ~30 MB; this keeps a workbook read within ~200 MB.
MAX_SHARED_STRINGS = 32 * 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsafeFileError(TrackerError):
    """The file is not a readable, harmless .xlsx workbook."""


def check_xlsx(path: str | Path) -> None:
    """Raise UnsafeFileError unless ``path`` looks like an ordinary .xlsx archive."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnsafeFileError(tr("Не вдалося прочитати файл «{name}»: {reason}.",
                                 name=name, reason=exc.strerror)) from exc
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(tr("Файл «{name}» завеликий ({size} МБ) для таблиці плану чи звіту.",
                                 name=name, size=size // 1_048_576))
    if head.startswith(_OLE_MAGIC):
        raise UnsafeFileError(tr(
            "Файл «{name}» захищений паролем або збережений у старому форматі .xls. "
            "Зніміть пароль і збережіть його як «Книга Excel (.xlsx)».", name=name))
    if not head.startswith(b"PK"):
        raise UnsafeFileError(tr(
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
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 1_000_000 and ratio > MAX_MEMBER_RATIO:
                    raise UnsafeFileError(tr(
                        "Файл «{name}» схожий на «zip-бомбу» (частина {part} стискається "
                        "у {ratio:.0f} разів). Його не відкрито.", name=name, part=member.filename, ratio=ratio))
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise UnsafeFileError(tr("Файл «{name}» після розпакування займав би {size} МБ. Його не відкрито.",
                                         name=name, size=total // 1_048_576))
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise UnsafeFileError(tr("Файл «{name}» — zip-архів, але не книга Excel .xlsx.", name=name))
    except zipfile.BadZipFile as exc:
        raise UnsafeFileError(tr("Файл «{name}» пошкоджений або обрізаний: це не цілий архів .xlsx ({reason}).",
                                 name=name, reason=exc)) from exc
