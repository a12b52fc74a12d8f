"""Files the program hands to people: written whole (a temporary file, then renamed), readable as any other."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .errors import TrackerError
from .i18n import N_, tr
from .logs import log
from .text import storable


def usual_permissions(path: str | Path) -> None:
    """The permissions a new file gets by the user's umask (usually 0644).

    tempfile.mkstemp makes 0600 files, private to their owner: a report or a package put in a shared
    folder could then not be opened by the colleague it was meant for.
    """
    if os.name == "nt":
        return  # Windows has no mode bits to speak of: the folder's rights decide
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


STALE_AFTER = 3600  # seconds: a temporary file this old is no running program's work in progress


def write_whole(path: Path, data: bytes, prefix: str, suffix: str = "", *, shared: bool = True) -> None:
    """``data`` into ``path``, whole: written beside it under a hidden temporary name (``prefix``…``suffix``), synced
    and moved over it, so a blackout or a kill leaves the old file or the new one, never half of one. The temporary
    files of that name a killed run left in the folder (older than STALE_AFTER) go first: they had piled up.
    ``shared``: the file gets the usual permissions (usual_permissions), else it stays its owner's alone.
    OSError as it comes; the temporary file is gone either way."""
    folder = path.parent
    _remove_stale(folder, prefix, suffix)
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if shared:
            usual_permissions(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_stale(folder: Path, prefix: str, suffix: str) -> None:
    """Only names tempfile.mkstemp gives (the prefix, eight of its letters, the suffix): nobody's own file."""
    name = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}" + re.escape(suffix))
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if name.fullmatch(entry.name) and entry.is_file() and now - entry.stat().st_mtime > STALE_AFTER:
                os.remove(entry.path)
        except OSError:  # taken by another run in between, or not ours to remove: left
            continue


def file_label(path: str | Path) -> str:
    """A file's name as the database keeps it — the origin of a report's changes, a package's in the exchange log, the
    source of a plan — whatever bytes the name is made of (tracker.text.storable)."""
    return storable(Path(path).name)


def not_a_file(path: str | Path) -> str:
    """Why ``path`` cannot be read as a file someone chose — there is none, or it is a folder, a device (/dev/zero
    reads forever) or a pipe (opening it waits for a writer that never comes) — or "" for an ordinary file."""
    path = Path(path)
    if path.is_file():
        return ""
    if not path.exists():
        return tr("Файлу «{path}» немає. Перевірте шлях.", path=path)
    return tr("«{path}» — не звичайний файл (а тека, пристрій чи канал). Оберіть файл.",
              path=path)


def not_a_target(path: str | Path) -> str:
    """Why a file cannot be written at ``path`` — no name given, a folder there, or a device or pipe (a copy «saved»
    over /dev/full replaced the device with a file) — or "" when a file may be written there."""
    text = str(path)
    path = Path(path)
    if not text.strip() or path.name in ("", ".", ".."):
        return tr("Не вказано ім'я файла, у який записати. Вкажіть шлях до файла.")
    if path.is_dir():
        return tr("«{path}» — тека. Вкажіть файл у ній.", path=path)
    if path.exists() and not path.is_file():
        return tr("«{path}» — не звичайний файл (а пристрій чи канал); його не замінено. Вкажіть інший файл.",
                  path=path)
    return ""



def refuse_other_file(path: str | Path, kind: str, of_kind: Callable[[Path], bool]) -> None:
    """TrackerError (hint "overwrite") when a file is at ``path`` and it is not a ``kind`` (the noun, translated) —
    a document of the same name, another program's database — so it is not replaced unasked. A file of the same
    kind is replaced as before: this week's package written over last week's on the same stick."""
    path = Path(path)
    if path.is_file() and not of_kind(path):
        raise TrackerError(tr("Файл «{path}» уже існує, і це не {kind}: його не замінено, щоб не знищити чужий файл.",
                              path=path, kind=kind), hint="overwrite")

# the system's words for a failed read or write, which it gives in English («No space left on device»), in Ukrainian
_REASONS = {
    errno.ENOSPC: N_("на диску скінчилося місце"),
    errno.EDQUOT: N_("вичерпано відведене на диску місце"),
    errno.EACCES: N_("немає доступу (або файл відкрито в іншій програмі)"),
    errno.EPERM: N_("немає дозволу"),
    errno.ENOENT: N_("такого файла чи теки немає"),
    errno.ENOTDIR: N_("частина шляху — не тека"),
    errno.EISDIR: N_("це тека, а не файл"),
    errno.EROFS: N_("диск лише для читання"),
    errno.EBUSY: N_("файл зайнятий іншою програмою"),
    errno.EIO: N_("помилка читання чи запису диска"),
    errno.ENAMETOOLONG: N_("задовгий шлях чи назва файла"),
    errno.EEXIST: N_("такий файл уже є"),
}
_WINDOWS_REASONS = {32: N_("файл відкрито в іншій програмі (наприклад, в Excel)"),  # a sharing violation
                    33: N_("частину файла заблокувала інша програма")}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in the program's language; the system's own words for what is not listed."""
    known = _WINDOWS_REASONS.get(getattr(exc, "winerror", None)) or _REASONS.get(exc.errno)
    return tr(known) if known else (exc.strerror or str(exc))


# what a reader's exception says of a damaged file, by its class's name (the readers — zipfile, lxml, expat,
# openpyxl, python-docx — raise their own): the message had said «(OSError)», «(XMLSyntaxError)»
_DAMAGE = {"BadZipFile": N_("архів усередині пошкоджено"), "KeyError": N_("бракує частини файла"),
           "XMLSyntaxError": N_("пошкоджено розмітку XML"), "ParseError": N_("пошкоджено розмітку XML"),
           "ExpatError": N_("пошкоджено розмітку XML"), "UnicodeDecodeError": N_("текст у незнайомому кодуванні"),
           "EOFError": N_("файл обривається"), "OSError": N_("частину файла не прочитано"),
           "RecursionError": N_("вкладеність глибша, ніж буває в справжньому файлі"),
           "MemoryError": N_("файл розгортається в завеликий обсяг")}


def damage_reason(exc: BaseException) -> str:
    """What a reader's failure on a damaged file says, in words; the exception's class and text go to the journal."""
    log.warning("a damaged file's reader failed: %s: %s", type(exc).__name__, str(exc)[:500])
    for kind in type(exc).__mro__:
        if kind.__name__ in _DAMAGE:
            return tr(_DAMAGE[kind.__name__])
    return tr("вміст не відповідає формату")
