"""Checks an .xlsx archive before openpyxl inflates anything: damaged, disguised or hostile files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import TrackerError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBER_RATIO = 150  # real sheets compress ~10:1; bombs compress 1000:1
MAX_MEMBERS = 5000
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
        raise UnsafeFileError(f"Не вдалося прочитати файл «{name}»: {exc.strerror}.") from exc
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(f"Файл «{name}» завеликий ({size // 1_048_576} МБ) для таблиці плану чи звіту.")
    if head.startswith(_OLE_MAGIC):
        raise UnsafeFileError(
            f"Файл «{name}» захищений паролем або збережений у старому форматі .xls. "
            "Зніміть пароль і збережіть його як «Книга Excel (.xlsx)»."
        )
    if not head.startswith(b"PK"):
        raise UnsafeFileError(
            f"Файл «{name}» не є книгою Excel .xlsx (можливо, це перейменований .csv чи .xls). "
            "Відкрийте його в Excel чи LibreOffice і збережіть як .xlsx."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnsafeFileError(f"Файл «{name}» містить підозріло багато частин ({len(members)}).")
            total = 0
            for member in members:
                if member.flag_bits & 0x1:
                    raise UnsafeFileError(f"Файл «{name}» зашифровано. Зніміть пароль і збережіть як .xlsx.")
                total += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 1_000_000 and ratio > MAX_MEMBER_RATIO:
                    raise UnsafeFileError(
                        f"Файл «{name}» схожий на «zip-бомбу» (частина {member.filename} стискається "
                        f"у {ratio:.0f} разів). Його не відкрито."
                    )
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise UnsafeFileError(
                    f"Файл «{name}» після розпакування займав би {total // 1_048_576} МБ. Його не відкрито."
                )
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise UnsafeFileError(f"Файл «{name}» — zip-архів, але не книга Excel .xlsx.")
    except zipfile.BadZipFile as exc:
        raise UnsafeFileError(
            f"Файл «{name}» пошкоджений або обрізаний: це не цілий архів .xlsx ({exc})."
        ) from exc
