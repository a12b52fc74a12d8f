"""The directory of responsible executors and funding sources, and reading them from plan cells."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TrackerError
from ..i18n import N_, tr
from ..paths import DIRECTORY_FILE
from ..text import clean, is_dash, join_broken_hyphens, name_key, starts_lowercase

KINDS = ("council_department", "municipal_enterprise", "partner")
KIND_LABELS = {
    "council_department": N_("структурний підрозділ міської ради"),
    "municipal_enterprise": N_("комунальне підприємство чи заклад"),
    "partner": N_("зовнішній партнер"),
}
# How similar a misspelt name must be to a known one to be taken for it.
FUZZY_CUTOFF = 0.9
_COUNCIL_HEADS = ("департамент", "управління", "відділ", "служба у справах", "центр надання")
_ENTERPRISE_HEADS = ("кп ", "дкп ", "лксап ", "кз ", "ку ", "кнп ", "комунальн")


@dataclass
class ExecutorEntry:
    name: str
    short: str
    kind: str
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    """One executor read from a cell: the directory entry, or an unknown name, and how it was read."""

    text: str
    entry: ExecutorEntry | None
    how: str  # exact | alias | fuzzy | unknown
    missing_comma_before: bool = False


@dataclass(frozen=True)
class FundingMention:
    text: str
    name: str
    how: str  # exact | alias | fuzzy | unknown


def guess_kind(name: str) -> str:
    low = name.casefold()
    if low.startswith(_ENTERPRISE_HEADS):
        return "municipal_enterprise"
    if low.startswith(_COUNCIL_HEADS):
        return "council_department"
    return "partner"


class Directory:
    def __init__(self, executors: list[ExecutorEntry], funding: dict[str, list[str]]):
        self.executors = executors
        self._by_key: dict[str, tuple[ExecutorEntry, str]] = {}
        for entry in executors:
            self._by_key[name_key(entry.name)] = (entry, "exact")
        for entry in executors:
            for alias in entry.aliases:
                self._by_key.setdefault(name_key(alias), (entry, "alias"))
        self.funding_names = list(funding)
        self._funding_by_key: dict[str, tuple[str, str]] = {}
        for name, aliases in funding.items():
            self._funding_by_key[name_key(name)] = (name, "exact")
            for alias in aliases:
                self._funding_by_key.setdefault(name_key(alias), (name, "alias"))
        self._max_words = max((len(n.split()) for n in self._all_spellings()), default=1) + 2
        # cells read so far: a plan names the same executors and sources over and over (the bundled plan's 241
        # executor cells are 122 texts), and reading one tries every run of its words against the directory
        self._executor_cells: dict[str, tuple[Mention, ...]] = {}
        self._funding_cells: dict[str, tuple[FundingMention, ...]] = {}

    @classmethod
    def load(cls, path: Path = DIRECTORY_FILE) -> "Directory":
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            executors = [
                ExecutorEntry(d["name"], d.get("short", ""), d["kind"], list(d.get("aliases", [])))
                for d in raw["departments"]
            ]
            funding = {f["name"]: list(f.get("aliases", [])) for f in raw["funding_sources"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise TrackerError(tr(
                "Довідник виконавців «{path}» пошкоджено або не знайдено ({reason}). "
                "Перевстановіть програму або відновіть файл data/departments.json.", path=path, reason=exc)) from exc
        for entry in executors:
            if entry.kind not in KINDS:
                raise TrackerError(tr("У довіднику виконавців невідомий вид «{kind}» для «{name}».",
                                      kind=entry.kind, name=entry.name))
        return cls(executors, funding)

    def _all_spellings(self):
        for entry in self.executors:
            yield entry.name
            yield from entry.aliases

    def lookup(self, text: str) -> tuple[ExecutorEntry, str] | None:
        """Exact or alias match of a whole name, then a close misspelling."""
        key = name_key(text)
        if not key:
            return None
        if key in self._by_key:
            return self._by_key[key]
        best = difflib.get_close_matches(key, self._by_key.keys(), n=1, cutoff=FUZZY_CUTOFF)
        if best:
            return self._by_key[best[0]][0], "fuzzy"
        return None

    # -- executors -------------------------------------------------------------------------

    def split_executors(self, cell: str) -> list[Mention]:
        """Read a cell of responsible executors into directory entries (each text read once: see __init__).

        Names themselves contain commas («Департамент містобудування, земельних ресурсів та
        реклами»), and sometimes the commas between names are missing. The cell is read word by
        word, taking at each point the longest run of words that names a known executor; a run
        that ends where no comma stands is reported as a missing comma. A lone dash means none.
        """
        known = self._executor_cells.get(cell)
        if known is None:
            known = self._executor_cells[cell] = tuple(self._read_executors(cell))
        return list(known)

    def _read_executors(self, cell: str) -> list[Mention]:
        if is_dash(cell):
            return []
        words = _words_with_commas(join_broken_hyphens(clean(cell)))
        mentions: list[Mention] = []
        i = 0
        while i < len(words):
            found = self._longest_known(words, i)
            if found:
                end, entry, how = found
                text = _join(words[i:end])
                missing = i > 0 and not words[i - 1][1]
                mentions.append(Mention(text, entry, how, missing))
                i = end
                continue
            end = self._unknown_extent(words, i)
            text = _join(words[i:end])
            mentions.append(Mention(text, None, "unknown", i > 0 and not words[i - 1][1]))
            i = end
        return [m for m in mentions if m.text]

    def _longest_known(self, words, start):
        best = None
        limit = min(len(words), start + self._max_words)
        for end in range(start + 1, limit + 1):
            text = _join(words[start:end])
            key = name_key(text)
            if key in self._by_key:
                entry, how = self._by_key[key]
                best = (end, entry, how)
        if best:
            return best
        # A misspelt name: only whole comma-separated pieces are compared, to keep it honest.
        end = start
        while end < len(words):
            end += 1
            if words[end - 1][1]:
                break
        while True:
            match = self.lookup(_join(words[start:end]))
            if match and match[1] == "fuzzy":
                return end, match[0], "fuzzy"
            # try joining the next piece too (names with commas)
            nxt = end
            while nxt < len(words):
                nxt += 1
                if words[nxt - 1][1]:
                    break
            if nxt == end or nxt - start > self._max_words:
                return None
            end = nxt

    def _unknown_extent(self, words, start):
        """An unknown name runs to its comma, and over following pieces that cannot start a name."""
        end = start
        while end < len(words):
            end += 1
            if words[end - 1][1]:
                break
        while end < len(words) and starts_lowercase(words[end][0]) and not self._longest_known(words, end):
            piece_end = end
            while piece_end < len(words):
                piece_end += 1
                if words[piece_end - 1][1]:
                    break
            if _starts_new_executor(words[end][0]):
                break
            end = piece_end
        return end

    def looks_like_executors(self, cell: str) -> bool:
        mentions = self.split_executors(cell)
        return bool(mentions) and sum(m.entry is not None for m in mentions) * 2 >= len(mentions)

    # -- funding ---------------------------------------------------------------------------

    def split_funding(self, cell: str) -> list[FundingMention]:
        """Funding sources separated by commas or semicolons; a lone dash means none (each text read once)."""
        known = self._funding_cells.get(cell)
        if known is None:
            known = self._funding_cells[cell] = tuple(self._read_funding(cell))
        return list(known)

    def _read_funding(self, cell: str) -> list[FundingMention]:
        text = clean(cell)
        if not text or is_dash(text):
            return []
        result = []
        for part in re.split(r"\s*[,;]\s*", text):
            part = part.strip(" .")
            if not part:
                continue
            key = name_key(part)
            if key in self._funding_by_key:
                name, how = self._funding_by_key[key]
            else:
                best = difflib.get_close_matches(key, self._funding_by_key.keys(), n=1, cutoff=0.8)
                if best:
                    name, how = self._funding_by_key[best[0]][0], "fuzzy"
                else:
                    name, how = part[:1].lower() + part[1:], "unknown"
            result.append(FundingMention(part, name, how))
        return result

    def looks_like_funding(self, cell: str) -> bool:
        text = clean(cell)
        if is_dash(text):
            return True
        mentions = self.split_funding(text)
        return bool(mentions) and all(m.how != "unknown" for m in mentions)


_NEW_EXECUTOR_WORDS = {
    "департамент", "управління", "відділ", "служба", "центр", "кп", "дкп", "кз", "ку", "кнп",
    "громадські", "заклади", "вищі", "навчальні", "суб'єкти", "комунальні", "старости",
    "промислові", "міжнародні", "спортивні", "фіскальна", "головне", "луцька", "волинська",
}


def _starts_new_executor(piece: str) -> bool:
    first = piece.split()[0].casefold().strip("«\"") if piece.split() else ""
    return first in _NEW_EXECUTOR_WORDS


def _words_with_commas(text: str) -> list[tuple[str, bool]]:
    """Words of a cell, each with whether a comma follows it; commas inside quotes are kept."""
    result: list[tuple[str, bool]] = []
    depth = 0
    for raw in text.split():
        depth += raw.count("«") + raw.count("“") - raw.count("»") - raw.count("”")
        if raw.endswith((",", ";")) and depth <= 0:
            word = raw.rstrip(",;")
            if word:
                result.append((word, True))
            elif result:
                result[-1] = (result[-1][0], True)
        else:
            result.append((raw, False))
    return result


def _join(words: list[tuple[str, bool]]) -> str:
    parts = []
    for index, (word, comma) in enumerate(words):
        parts.append(word + ("," if comma and index < len(words) - 1 else ""))
    return " ".join(parts)
