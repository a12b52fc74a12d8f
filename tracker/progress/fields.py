"""The progress fields of a measure's quarter record: one table that every part of the program asks.

Each field knows its name, its Ukrainian label, how to read what a person typed, how it is stored
(in the record, in the history and in exchange packages), how it is shown, whether it carries into
the next quarter's record, and when two stored values are the same. The write path, the history,
packages, the command line, reports and the window take all of that from here.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..errors import ValidationError
from ..i18n import N_, language, tr
from ..text import MAX_TEXT, has_control, without_control
from .status import Status

RECORD = "record"  # history rows about the record itself (created / deleted), not about a field
_RECORD_VALUES = {"created": N_("створено"), "deleted": N_("вилучено")}
_MONEY_STEP = Decimal("0.1")
_MONEY_LIMIT = Decimal("1e12")
_NOISE = Decimal("1e-6")  # a float's binary noise under it: 125.55000000000001 typed as 125,55
_STATUSES = {status.value: status for status in Status}


class Carry(enum.Enum):
    """What a new quarter's record takes from the quarter before."""

    NEVER = "never"  # one quarter's own words: the new record starts empty
    ALWAYS = "always"  # the measure's cumulative state
    WITHIN_YEAR = "within_year"  # the year's sums: carried inside the same year only


class Kind(enum.Enum):
    """How a person enters the value; the window picks its widget by it."""

    CHOICE = "choice"
    PERCENT = "percent"
    TEXT = "text"
    MONEY = "money"


@dataclass(frozen=True)
class Field:
    """One progress field. Values come in three forms: *typed* (Status, int, str, Decimal or None,
    what ``parse`` returns), *stored* (the text the history and packages hold, or None) and *shown*."""

    name: str
    label: str  # marked with N_: tr(field.label) where it is shown
    form_label: str  # the form's label, with its keyboard mnemonic
    kind: Kind
    carry: Carry
    required: bool = False  # every record has a value (the rules span these fields)
    placeholder: str = ""  # an example of what to type
    short: str = ""  # a short name where the full one is long: the command line's --planned
    word: str = ""  # the label in a word, for a narrow column (the history's changes: «Інформа…» cut the label)

    @property
    def option(self) -> str:
        """The command-line option that sets it: ``--status``, ``--planned``."""
        return "--" + (self.short or self.name).replace("_", "-")

    @property
    def empty(self):
        return "" if self.kind is Kind.TEXT else None

    # -- typed values ------------------------------------------------------------------------

    def parse(self, value):
        """What a person typed (or an already typed value) as a typed value; ValidationError if it is not one."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.empty
        return str(value).strip()

    def is_empty(self, value) -> bool:
        return value is None or value == ""

    def read(self, record):
        """The typed value a peewee record row holds."""
        return self.parse_stored(getattr(record, self.name))

    def write(self, record, value) -> None:
        setattr(record, self.name, value.value if isinstance(value, enum.Enum) else value)

    # -- stored values -----------------------------------------------------------------------

    def store(self, value) -> str | None:
        """A typed value as the history and packages keep it."""
        if value is None:
            return None
        return value.value if isinstance(value, enum.Enum) else str(value)

    def load(self, text: str | None):
        """A stored value back as a typed value."""
        return self.empty if text is None else self.parse_stored(text)

    def parse_stored(self, value):
        return "" if value is None else value

    def check_stored(self, text: str | None) -> None:
        """Refuse (ValueError) a stored value the write path could not have written."""

    def same(self, a: str | None, b: str | None) -> bool:
        """Two stored values are the same value."""
        return a == b

    # -- shown values ------------------------------------------------------------------------

    def show(self, value) -> str:
        """A typed or stored value as people read it; «—» for none."""
        if self.is_empty(value):
            return "—"
        return str(value)

    def as_typed(self, value) -> str:
        """A typed or stored value as a person types it in the form; empty for none."""
        return "" if self.is_empty(value) else str(value)


class _TextField(Field):
    def parse(self, value):
        if value is None:
            return ""
        text = without_control(str(value)).strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(tr("Текст поля «{field}» задовгий: {length} символів, а вміщається {limit}. "
                                     "Скоротіть його.", field=tr(self.label), length=len(text), limit=MAX_TEXT))
        return text

    def check_stored(self, text):
        if text is not None and (has_control(text) or len(text) > MAX_TEXT):
            raise ValueError(tr("неприпустимий текст у полі «{field}»", field=self.name))

    def same(self, a, b) -> bool:
        return (a or "") == (b or "")  # an empty text and no text are the same note


class _StatusField(Field):
    def parse(self, value):
        if isinstance(value, Status):
            return value
        if value is None:  # not chosen yet; a record cannot be saved so (the field is required)
            return None
        return Status.parse(value)

    def parse_stored(self, value):
        return (_STATUSES.get(value) or Status(value)) if value else None  # a dict first: Status() is slow in bulk

    def check_stored(self, text):
        if text is not None and text not in _STATUSES:
            raise ValueError(tr("невідомий стан «{value}»", value=text))

    def show(self, value) -> str:
        if self.is_empty(value):
            return "—"
        return tr((value if isinstance(value, Status) else Status(value)).label)

    def as_typed(self, value) -> str:
        return "" if self.is_empty(value) else (value.value if isinstance(value, Status) else str(value))

    def choices(self) -> list[tuple[str, Status]]:
        """(shown label, value) for every status, in the plan's order."""
        return [(tr(status.label), status) for status in Status]


class _PercentField(Field):
    def parse(self, value):
        if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 3 and int(value) <= 100:
            return int(value)  # the stored form, as a merge parses it thousands of times; the same as below
        wrong = tr("Відсоток виконання «{value}» має бути цілим числом від 0 до 100.", value=value)
        if isinstance(value, bool):
            raise ValidationError(wrong)
        text = str(value).strip().rstrip("%").strip().replace(",", ".")
        if not text.isascii():  # «١٢» or «１２» read as 12: a value stored as no other program writes it
            raise ValidationError(wrong)
        if isinstance(value, str) and not _PLAIN_NUMBER.fullmatch(text):  # «1e1» and «1_0» were taken as 10
            raise ValidationError(wrong)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(wrong) from None
        if not number.is_finite() or number != number.to_integral_value() or not 0 <= number <= 100:
            raise ValidationError(tr("Відсоток виконання має бути цілим числом від 0 до 100, а не «{value}».",
                                     value=value))
        return int(number)

    def parse_stored(self, value):
        return None if value is None else int(value)

    def check_stored(self, text):
        if text is not None and (not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 100):
            raise ValueError(tr("неправильний відсоток «{value}»", value=text))

    def show(self, value) -> str:
        return "—" if self.is_empty(value) else f"{value} %"


# a number as people type it (digits, one decimal mark, a sign): Decimal also reads «1e3», «1_000», «Infinity»
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


def _sum_text(value) -> str:
    """A sum as typed, in the form Decimal reads: spaces (also non-breaking) gone, the decimal comma a point."""
    return str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")


class _MoneyField(Field):
    def parse(self, value):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, Decimal):
            number = value
        else:
            text = _sum_text(value)
            try:
                if not text.isascii():  # other scripts' digits, as for the percent
                    raise InvalidOperation
                if isinstance(value, str) and not _PLAIN_NUMBER.fullmatch(text):  # «1e3», «1_000»: as typed, 1000
                    raise InvalidOperation
                number = Decimal(text)
            except InvalidOperation:
                raise ValidationError(tr("Сума «{value}» має бути числом у тисячах гривень, наприклад 125,5.",
                                         value=value)) from None
        if not number.is_finite() or number < 0:
            raise ValidationError(tr("Сума «{value}» має бути невід'ємним числом у тисячах гривень.", value=value))
        if number >= _MONEY_LIMIT:  # «1e308» was told to be «non-negative»
            raise ValidationError(tr("Сума «{value}» завелика: у тисячах гривень вона має бути меншою за "
                                     "1 000 000 000 000.", value=value))
        # to the hundred hryvnias as a bookkeeper and Excel's ROUND do, half up: decimal's own half-to-even made 0,25
        # 0,2 and 0,05 nothing (a typed 50 грн «the same values, nothing changed»)
        return number.quantize(_MONEY_STEP, rounding=ROUND_HALF_UP)

    def rounds(self, value) -> bool:
        """A typed sum finer than the report's 0,1 тис. грн (100 грн), which parse rounds: said where it is typed."""
        return self.before_rounding(value) is not None

    def rounded_text(self, typed: str) -> str:
        """What a sum that ``rounds`` is saved as, said where it was typed (the form, ``tracker set``)."""
        return tr("Суми зберігаються з точністю до 0,1 тис. грн (100 грн), як у звіті: «{typed}» округлено до "
                  "«{shown}».", typed=str(typed).strip(), shown=self.as_typed(self.parse(typed)))

    def before_rounding(self, value) -> str | None:
        """A sum as typed, «125,55», when parse rounds it (None when it does not, or is not a sum). A float cell's
        binary noise (0.30000000000000004) is not a sum finer than 100 грн."""
        try:
            parsed = self.parse(value)
            exact = Decimal(_sum_text(value)).quantize(_NOISE)
        except (ValidationError, InvalidOperation):
            return None
        if parsed is None or parsed == exact:
            return None
        return _in_language(f"{exact.normalize():f}")

    def parse_stored(self, value):
        return None if value is None else Decimal(value).quantize(_MONEY_STEP)

    def check_stored(self, text):
        if text is None:
            return
        try:
            if not text.isascii():
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(tr("неправильна сума «{value}»", value=text)) from None
        # the limit first: quantizing 1e300 raised decimal's own error, and «[<class 'decimal.InvalidOperation'>]»
        # was the message of a package refused for it
        if not number.is_finite() or number < 0 or number >= _MONEY_LIMIT or number != number.quantize(_MONEY_STEP):
            raise ValueError(tr("неправильна сума «{value}»", value=text))

    def show(self, value) -> str:
        if self.is_empty(value):
            return "—"
        return _in_language(str(value))

    def as_typed(self, value) -> str:
        return "" if self.is_empty(value) else _in_language(f"{Decimal(value):.1f}")


def _in_language(number: str) -> str:
    """A sum's digits with the language's decimal mark: the Ukrainian comma, the English point — the same in the form,
    the history and the messages (in English the history said «125.5» beside the form's «130,0»)."""
    return number if language() == "en" else number.replace(".", ",")


STATUS = _StatusField("status", N_("Стан"), N_("&Стан:"), Kind.CHOICE, Carry.ALWAYS, required=True)
PERCENT = _PercentField("percent", N_("Виконання, %"), N_("Вик&онання:"), Kind.PERCENT, Carry.ALWAYS, required=True,
                        word=N_("Виконання"))
NOTE = _TextField("note", N_("Інформація про виконання"), N_("&Інформація про виконання:"), Kind.TEXT, Carry.NEVER,
                  word=N_("Інформація"))
REMARKS = _TextField("remarks", N_("Примітки"), N_("При&мітки:"), Kind.TEXT, Carry.NEVER)
PLANNED = _MoneyField("planned_financing", N_("Передбачено, тис. грн"), N_("Перед&бачено на рік, тис. грн:"),
                      Kind.MONEY, Carry.WITHIN_YEAR, placeholder=N_("напр. 125,5"), short="planned",
                      word=N_("Передбачено"))
ACTUAL = _MoneyField("actual_financing", N_("Профінансовано, тис. грн"), N_("Профін&ансовано з початку року, тис. грн:"),
                     Kind.MONEY, Carry.WITHIN_YEAR, placeholder=N_("напр. 80"), short="actual",
                     word=N_("Профінансовано"))

FIELDS: tuple[Field, ...] = (STATUS, PERCENT, NOTE, REMARKS, PLANNED, ACTUAL)
_BY_NAME = {f.name: f for f in FIELDS}  # looked up for every history row and package event


def names() -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS)


def get(name: str) -> Field:
    """The field called ``name``; ValidationError for a name the record does not have."""
    f = find(name)
    if f is not None:
        return f
    raise ValidationError(tr("Невідоме поле «{name}». Можливі: {known}.", name=name, known=", ".join(names())))


def find(name: str) -> Field | None:
    return _BY_NAME.get(name) if isinstance(name, str) else None


def label(name: str) -> str:
    """The translated label of a field, or of a history row about the record itself."""
    if name == RECORD:
        return tr("Запис")
    f = find(name)
    return tr(f.label) if f is not None else name


def word(name: str) -> str:
    """The translated label of a field in a word, for a narrow column (its label when that is a word already)."""
    f = find(name)
    return tr(f.word) if f is not None and f.word else label(name)


def show(name: str, value) -> str:
    """A typed or stored value of field ``name`` (or of a record row: created / deleted) as people read it."""
    if name == RECORD:
        return "—" if value in (None, "") else tr(_RECORD_VALUES.get(value, value))
    f = find(name)
    return f.show(value) if f is not None else ("—" if value in (None, "") else str(value))


def same(name: str, a: str | None, b: str | None) -> bool:
    """Equal as stored values of field ``name`` (plain equality for a record row)."""
    f = find(name)
    return f.same(a, b) if f is not None else a == b


def parse_all(changes: dict) -> dict:
    """Typed values for what a person gave; an unknown field or a bad value is refused."""
    return {name: get(name).parse(value) for name, value in changes.items()}


def empty_values() -> dict:
    return {f.name: f.empty for f in FIELDS}


def money_fields() -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.kind is Kind.MONEY)
