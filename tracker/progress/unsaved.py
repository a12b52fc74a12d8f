"""A form's values typed and not yet saved, kept in a file of their own while they are typed.

A blackout, a crash or a killed process took a coordinator's half-written quarter with it: the form lives in
memory until «Зберегти». Kept here (a second after the last keystroke, written whole and synced), the values are
offered back at the next opening of the same database by the same person — into the form, still unsaved: saving
them stays theirs to do, under their name, and over a record changed since they were typed it is a conflict as for
any form (the version they were typed over is kept with them). Saved, reverted or thrown away, they are forgotten.

One form per database and person (a window has one form). The file is the program's own, but a blackout may leave
it cut short or another hand may change it: whatever cannot be read as such a form is passed over, never fatal.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ..errors import TrackerError
from ..files import write_whole
from ..paths import user_data_dir
from ..quarters import Quarter
from ..storage.models import Measure
from . import fields
from .records import draft_values
from .rules import differs
from .status import Status

log = logging.getLogger(__name__)

FILE_NAME = "unsaved-forms.json"
FORMAT = "lutsk-tracker-unsaved-forms"
_TEXT_LIMIT = 100_000  # characters of one value: a form's note is far shorter; a file that says more is not ours


@dataclass(frozen=True)
class UnsavedForm:
    database: str  # the database as the window names it (a path, a server's address without the password)
    author: str  # who typed them: offered back to that person only
    measure_uid: str  # the measure, whatever its code is by then
    code: str  # its code when typed, to say which it was
    quarter: Quarter
    version: int  # the record's version the values were typed over (0: there was none)
    values: dict  # as the form gives them (tracker.progress.records.save_progress takes them)
    typed_at: _dt.datetime

    def to_json(self) -> dict:
        return {"database": self.database, "author": self.author, "measure_uid": self.measure_uid, "code": self.code,
                "quarter": str(self.quarter), "version": self.version, "values": self.values,
                "typed_at": self.typed_at.isoformat(timespec="seconds")}

    @classmethod
    def from_json(cls, data) -> UnsavedForm | None:
        """The form a file's entry holds, or None when the entry is not one (cut short, changed by hand)."""
        try:
            values = data["values"]
            texts = [data[key] for key in ("database", "author", "measure_uid", "code", "quarter", "typed_at")]
            if not all(isinstance(text, str) for text in texts) or not isinstance(values, dict) \
                    or not isinstance(data["version"], int) or isinstance(data["version"], bool) \
                    or data["version"] < 0 or set(values) != {f.name for f in fields.FIELDS} \
                    or not all(_as_a_form_gives(fields.get(name), value) for name, value in values.items()):
                return None
            return cls(data["database"], data["author"], data["measure_uid"], data["code"],
                       Quarter.parse(data["quarter"]), data["version"], dict(values),
                       _dt.datetime.fromisoformat(data["typed_at"]))
        except (KeyError, TypeError, ValueError, AttributeError, TrackerError) as exc:  # a quarter not one
            log.info("an unsaved form passed over: %s", exc)
            return None

    def same_place(self, database: str, author: str) -> bool:
        return self.database == database and self.author == author


def _as_a_form_gives(field: fields.Field, value) -> bool:
    """Whether ``value`` is one the form's widget for ``field`` gives (ui.measure.editor: values()): a status's code
    from the list, a whole percent, a text — or none."""
    if value is None:
        return True
    if field.kind is fields.Kind.CHOICE:
        return value in {status.value for status in Status}
    if field.kind is fields.Kind.PERCENT:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100
    return isinstance(value, str) and len(value) <= _TEXT_LIMIT


def _file(folder: Path | None) -> Path:
    return (folder or user_data_dir()) / FILE_NAME


def _read(folder: Path | None) -> list[UnsavedForm]:
    path = _file(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:  # cut short by a blackout, unreadable: nothing there to offer
        log.warning("unsaved forms not read from %s: %s", path, exc)
        return []
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("forms"), list):
        return []
    return [form for form in map(UnsavedForm.from_json, data["forms"]) if form is not None]


def _write(forms: list[UnsavedForm], folder: Path | None) -> None:
    """The whole file written beside and put in place (a blackout leaves the old one or the new one), synced."""
    path = _file(folder)
    if not forms:
        path.unlink(missing_ok=True)
        return
    text = json.dumps({"format": FORMAT, "forms": [form.to_json() for form in forms]}, ensure_ascii=False, indent=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, text.encode("utf-8"), ".unsaved-", shared=False)


def keep(form: UnsavedForm, folder: Path | None = None) -> bool:
    """Keep ``form`` in place of the one kept for its database and person; False when the file cannot be written
    (a full disk, a read-only folder): typing goes on, the values stay in the form."""
    try:
        _write([f for f in _read(folder) if not f.same_place(form.database, form.author)] + [form], folder)
        return True
    except OSError as exc:
        log.warning("unsaved form not kept: %s", exc)
        return False


def kept(database: str, author: str, folder: Path | None = None) -> UnsavedForm | None:
    """The form kept for this database and person, if any."""
    return next((f for f in _read(folder) if f.same_place(database, author)), None)


def forget(database: str, author: str, folder: Path | None = None) -> None:
    """The form kept for this database and person, saved or thrown away: gone from the file."""
    forms = _read(folder)
    rest = [f for f in forms if not f.same_place(database, author)]
    if len(rest) != len(forms):
        try:
            _write(rest, folder)
        except OSError as exc:
            log.warning("unsaved form not forgotten: %s", exc)


def what_became_of(form: UnsavedForm) -> tuple[Measure | None, bool]:
    """The form's measure in the open database (None: it has none with that identity) and whether the values still
    differ from what the database holds for that quarter — False when they were saved after all (the save landed,
    the program went before it could forget them), and then there is nothing to offer."""
    measure = Measure.get_or_none(Measure.uid == form.measure_uid)
    if measure is None:
        return None, False
    loaded, _ = draft_values(measure, form.quarter)
    return measure, differs(loaded, form.values)
