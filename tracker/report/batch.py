"""Several filled-in reports at once — a folder of them, back from the collection round: one preview, one transaction.

Each file is read and compared as on its own (tracker.report.reimport). A file that cannot be read, or is
for another quarter, is listed and left out; the others go on. A measure with two responsible executors
comes back in both their files: filled alike, it is written once; filled differently, it is written from
neither, and the clash is listed, because picking one would silently drop the other department's words.
Applying writes every remaining change in one transaction; importing the same files again changes nothing.
"""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..access.rights import require
from ..errors import TrackerError
from ..i18n import quarter_label, tr
from ..logs import log
from ..quarters import Quarter
from ..storage.backup import copied_meanwhile
from ..storage.locking import write_transaction
from ..storage.models import Plan, database
from .layout import is_listing
from .preview import FieldChange, ImportPreview, Problem
from .reimport import read_report, write_changes


@dataclass(frozen=True)
class Refused:
    file_name: str
    message: str


@dataclass(frozen=True)
class Clash:
    code: str
    files: tuple[str, ...]

    @property
    def message(self) -> str:
        return tr("Захід {code}: файли {files} заповнюють його по-різному, тож його не імпортовано з жодного. "
                  "Узгодьте звіти й імпортуйте потрібний ще раз.", code=self.code,
                  files=", ".join(f"«{name}»" for name in self.files))


@dataclass
class BatchPreview:
    previews: list[ImportPreview] = field(default_factory=list)  # files read, blocked ones included
    refused: list[Refused] = field(default_factory=list)  # files that could not be read: nothing from them
    skipped: list[Refused] = field(default_factory=list)  # other files of the folders: not reports, named all the same
    clashes: list[Clash] = field(default_factory=list)
    # what applying writes: (quarter, measure id) → (the file it comes from, its changes)
    writes: dict[tuple[Quarter, int], tuple[str, list[FieldChange]]] = field(default_factory=dict)

    @property
    def measures(self) -> int:
        return len(self.writes)


# what a department may send back instead of the .xlsx it was sent: read from a folder too, each is listed — an
# .xlsm is read, the others refused with what to do — rather than left out unsaid (a reply saved as .xls was lost)
SPREADSHEETS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".fods", ".csv", ".numbers")


LOCK_FILE_BYTES = 1024  # Excel's «~$» lock file is ~165 bytes: a bigger «~$…» file is a workbook saved so


def report_files(paths: list[str | Path]) -> list[Path]:
    """The files named, and the spreadsheets of the folders named (not Excel's «~$» lock files nor the round's own
    list of files), in order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if _spreadsheet(p) and not _round_own(p))
        else:
            found.append(path)
    if not found:
        raise TrackerError(tr("У вказаній теці немає файлів звітів (.xlsx)."))
    return list(dict.fromkeys(found))


def _spreadsheet(path: Path) -> bool:
    if path.name.startswith(".") or not path.is_file():
        return False
    if path.suffix.lower() in SPREADSHEETS:
        return True
    if path.suffix:
        return False
    try:  # saved with no extension: a workbook by its first bytes
        with path.open("rb") as handle:
            return handle.read(2) == b"PK"
    except OSError:
        return False


def _round_own(path: Path) -> bool:
    """A file the round or Excel put in the folder, not a reply: a lock file, the round's list, its letters."""
    try:
        if path.name.startswith("~$"):
            return path.stat().st_size <= LOCK_FILE_BYTES
        if is_listing(path.name):
            with path.open("rb") as handle:
                return handle.read(2) != b"PK"  # a workbook saved under the list's name is read
    except OSError:
        return False
    return path.suffix.lower() == ".eml"


def _other_files(paths: list[str | Path]) -> list[Refused]:
    """The folders' files that are not read: each named, so that a reply saved oddly is not overlooked."""
    skipped = []
    for folder in (Path(p) for p in paths):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir() or _spreadsheet(path) or _round_own(path):
                continue
            skipped.append(Refused(path.name, tr("пропущено: це не таблиця звіту. Якщо це заповнений звіт, збережіть "
                                                 "його як книгу Excel .xlsx і імпортуйте ще раз.")
                                   if path.exists() else tr("пропущено: посилання на файл, якого немає.")))
    return skipped


def _folders_within(paths: list[str | Path]) -> list[Refused]:
    """The folders inside the folders named: not looked into (a round's folder may hold last quarter's), said."""
    return [Refused(p.name, tr("це тека; звітів у ній не переглянуто. Якщо в ній є заповнені звіти, імпортуйте "
                               "їх окремо."))
            for path in map(Path, paths) if path.is_dir()
            for p in sorted(path.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def read_reports(paths: list[str | Path], plan: Plan, expected_quarter: Quarter | None = None,
                 progress=None) -> BatchPreview:
    """Read and compare every file; nothing is written."""
    batch = BatchPreview(refused=_folders_within(paths), skipped=_other_files(paths))
    files = report_files(paths)
    for number, path in enumerate(files, start=1):
        try:
            batch.previews.append(read_report(path, plan, expected_quarter))
        except TrackerError as exc:
            batch.refused.append(Refused(path.name, str(exc)))
        if progress is not None:
            progress(number, len(files))
    if expected_quarter is None:
        _one_quarter(batch)
    _combine(batch)
    return batch


def _one_quarter(batch: BatchPreview) -> None:
    """Files of one round are of one quarter: with none chosen, a file of another quarter than most of them (last
    round's file, filled in again) is left out and said — it had gone into that quarter unsaid."""
    quarters = Counter(p.quarter for p in batch.previews)
    if len(quarters) < 2:
        return
    most = max(quarters.values())
    main = [quarter for quarter, count in quarters.items() if count == most]
    for preview in batch.previews:
        if len(main) > 1:  # as many of one quarter as of another: which is this round's is not for the program
            preview.problems.append(Problem(None, None, tr(
                "Вибрані звіти — за різні квартали ({quarters}), порівну за кожен, тож не видно, котрі — цього збору; "
                "не імпортовано жоден. Виберіть квартал або імпортуйте звіти кожного кварталу окремо.",
                quarters=", ".join(quarter_label(q) for q in sorted(quarters, key=lambda q: q.index))), blocking=True))
        elif preview.quarter != main[0]:
            preview.problems.append(Problem(None, None, tr(
                "Файл «{name}» — звіт за {quarter}, а більшість вибраних звітів — за {main}, тож його не імпортовано з "
                "ними. Якщо він справді за {quarter}, імпортуйте його окремо.", name=preview.file_name,
                quarter=quarter_label(preview.quarter), main=quarter_label(main[0])), blocking=True))


def _combine(batch: BatchPreview) -> None:
    by_measure: dict[tuple[Quarter, int], list[tuple[str, list[FieldChange]]]] = {}
    for preview in batch.previews:
        if preview.blocked:
            continue
        mine: dict[int, list[FieldChange]] = {}
        for change in preview.changes:
            mine.setdefault(change.measure_id, []).append(change)
        for measure_id, changes in mine.items():
            by_measure.setdefault((preview.quarter, measure_id), []).append((preview.file_name, changes))
    for key, sources in by_measure.items():
        wanted = {_values(changes) for _, changes in sources}
        if len(wanted) > 1:
            batch.clashes.append(Clash(sources[0][1][0].code, tuple(name for name, _ in sources)))
        else:
            batch.writes[key] = sources[0]


def _values(changes: list[FieldChange]) -> tuple:
    return tuple(sorted((c.field, repr(c.new)) for c in changes))


def apply_batch(batch: BatchPreview, author: str) -> int:
    """Write every change that is not in a clash, in one transaction; returns the number of measures changed."""
    require("reports")
    changed = 0
    # with a copy of what was there, made while the changes are written
    with write_transaction(database.obj), (copied_meanwhile("import") if batch.writes else nullcontext()):
        for (quarter, measure_id), (origin, changes) in batch.writes.items():
            changed += write_changes(measure_id, quarter, changes, author, origin)
    log.info("reports imported: %d files, %d measures changed", len(batch.previews), changed)
    return changed
