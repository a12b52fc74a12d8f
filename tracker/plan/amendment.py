"""What an amended plan file changes in the plan a database holds: a diff to review, measures matched by content.

A measure is the same measure when it says the same thing, wherever it stands and whatever its
code: the council removes 1.1.3 and renumbers 1.1.4–1.1.6, and the old 1.1.4 is the new 1.1.3.
Measures are paired by their text — the same words first, then close wording (difflib) — and a
pairing the program is not sure of is a question for a person, never a guess:

* the same text (spelling-insensitively) → the same measure, certainly;
* wording at least ``CERTAIN`` alike (``SAME_PLACE`` for a measure that kept its code), under the
  same operational goal, and no rival close to it → the same measure, reworded;
* at least ``CANDIDATE`` alike otherwise → a question («is this the same measure?»);
* anything else → a measure removed, or a measure added — unless it says what a measure an earlier amendment
  removed said: then that measure is brought back (``bring_back``), its records and history with it.

A person settles a question with a forced pairing (old code → new code) or by declaring a new
code a new measure; the other measures are then paired as before. Nothing here writes.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from dataclasses import dataclass, field

from ..errors import ValidationError
from ..i18n import tr
from ..text import Subsequences, name_key, search_key
from .parser import ParsedPlan

CERTAIN = 0.85  # reworded, not replaced: «Сприяння запровадженню нових спеціальностей» and its longer first form
CANDIDATE = 0.5  # below this, two texts are two measures
SAME_PLACE = 0.7  # enough for a measure that kept its code and operational goal: a clarification added
RIVAL_MARGIN = 0.1  # a second candidate this close makes the best one a question


@dataclass(frozen=True)
class MeasureEntry:
    """A measure as a version of the plan states it."""

    code: str
    title: str
    goal: str  # the operational goal's code, "1.2"
    task: str  # the task's title
    executors: tuple[str, ...]
    funding: tuple[str, ...]
    uid: str = ""  # set for measures the database holds


RENUMBERED, REWORDED, MOVED, EXECUTORS, FUNDING = "renumbered", "reworded", "moved", "executors", "funding"


@dataclass(frozen=True)
class Pairing:
    old: MeasureEntry
    new: MeasureEntry
    similarity: float  # of the two titles, 0–1
    settled: bool = False  # a person paired them
    moved: bool = False  # to another operational goal, or to a task its old task's other measures did not go to

    def changes(self) -> list[str]:
        old, new = self.old, self.new
        found = []
        if old.code != new.code:
            found.append(RENUMBERED)
        if search_key(old.title) != search_key(new.title):
            found.append(REWORDED)
        if self.moved:
            found.append(MOVED)
        if old.executors != new.executors:
            found.append(EXECUTORS)
        if old.funding != new.funding:
            found.append(FUNDING)
        return found


@dataclass(frozen=True)
class TitleChange:
    kind: str  # plan | strategic | operational | task
    where: str  # "№1", "1.2", "1.2: завдання 3"
    old: str
    new: str


@dataclass
class Amendment:
    pairs: list[Pairing]  # the same measure in both versions (certain, or settled by a person)
    questions: list[Pairing]  # perhaps the same measure: a person decides before anything is applied
    added: list[MeasureEntry]
    removed: list[MeasureEntry]
    titles: list[TitleChange] = field(default_factory=list)
    reinstated: list[Pairing] = field(default_factory=list)  # a measure removed earlier (old) back in the plan (new)

    @property
    def changed(self) -> list[Pairing]:
        return [p for p in self.pairs if p.changes()]

    @property
    def empty(self) -> bool:
        return not (self.changed or self.questions or self.added or self.removed or self.titles or self.reinstated)


def entries_from_parsed(parsed: ParsedPlan) -> list[MeasureEntry]:
    """The file's measures, executors named as the import would store them."""
    return [MeasureEntry(m.code, m.title, og.code, task.title,
                         tuple(dict.fromkeys(x.entry.name if x.entry else x.text[:1].upper() + x.text[1:]
                                             for x in m.executors)),
                         tuple(dict.fromkeys(f.name for f in m.funding)))
            for sg in parsed.strategic_goals for og in sg.operational_goals
            for task in og.tasks for m in task.measures]


def compare(old: list[MeasureEntry], new: list[MeasureEntry], *, matches: dict[str, str] | None = None,
            new_codes: set[str] | None = None) -> Amendment:
    """Pair the measures of two versions; ``matches`` (old code → new code) and ``new_codes`` settle questions."""
    matches, new_codes = dict(matches or {}), set(new_codes or ())
    old_by_code, new_by_code = {m.code: m for m in old}, {m.code: m for m in new}
    _check_settlements(matches, new_codes, old_by_code, new_by_code)
    pairs = [Pairing(old_by_code[a], new_by_code[b], _similarity(old_by_code[a], new_by_code[b]), settled=True)
             for a, b in matches.items()]
    left_old = [m for m in old if m.code not in matches]
    left_new = [m for m in new if m.code not in set(matches.values()) | new_codes]
    exact, left_old, left_new = _same_text(left_old, left_new)
    pairs += exact
    questions = []
    for pairing, certain in _close_wording(left_old, left_new):
        (pairs if certain else questions).append(pairing)
    questions += _same_place(left_old, left_new, {p.old.code for p in pairs + questions},
                             {p.new.code for p in pairs + questions})
    paired_old = {p.old.code for p in pairs + questions}
    paired_new = {p.new.code for p in pairs + questions}
    tasks = task_map(pairs)
    pairs = [dataclasses.replace(p, moved=p.old.goal != p.new.goal
                                 or tasks.get(_task(p.old)) != _task(p.new)) for p in pairs]
    order = {m.code: i for i, m in enumerate(new)}
    pairs.sort(key=lambda p: order[p.new.code])
    questions.sort(key=lambda p: order[p.new.code])
    return Amendment(pairs, questions,
                     added=[m for m in new if m.code not in paired_new],
                     removed=[m for m in old if m.code not in paired_old])


def bring_back(amendment: Amendment, removed: list[MeasureEntry], new_codes: set[str] | None = None) -> None:
    """Added measures that say what a measure removed by an earlier amendment said (spelling-insensitively) are that
    measure back in the plan, not new ones: taken for new, its records and history stayed on the removed one, unseen.
    A measure a person declared new (``new_codes``) stays new; of removed measures with the same text, the one that
    had the same code is taken, else the one removed last."""
    waiting: dict[str, list[MeasureEntry]] = {}
    for m in reversed(removed):  # the one removed last first
        waiting.setdefault(name_key(m.title), []).append(m)
    added = []
    for m in amendment.added:
        candidates = waiting.get(name_key(m.title), []) if m.code not in (new_codes or ()) else []
        if not candidates:
            added.append(m)
            continue
        chosen = next((c for c in candidates if c.code == m.code), candidates[0])
        candidates.remove(chosen)
        amendment.reinstated.append(Pairing(chosen, m, 1.0))
    amendment.added = added


def _check_settlements(matches, new_codes, old_by_code, new_by_code) -> None:
    for a, b in matches.items():
        if a not in old_by_code:
            raise ValidationError(tr("Заходу {code} немає в плані, що зараз у базі.", code=a), hint="plan_codes")
        if b not in new_by_code:
            raise ValidationError(tr("Заходу {code} немає у файлі зі змінами.", code=b))
    twice = [b for b, n in Counter(matches.values()).items() if n > 1]
    if twice:
        raise ValidationError(tr("Захід {code} з файла зіставлено з кількома заходами плану.", code=twice[0]))
    for b in new_codes:
        if b not in new_by_code:
            raise ValidationError(tr("Заходу {code} немає у файлі зі змінами.", code=b))
        if b in matches.values():
            raise ValidationError(tr("Захід {code} з файла вказано і як новий, і як зіставлений.", code=b))


def _same_text(old: list[MeasureEntry], new: list[MeasureEntry]):
    """Pairs of measures whose text is the same; the code breaks a tie between repeated texts."""
    waiting: dict[str, list[MeasureEntry]] = {}
    for m in new:
        waiting.setdefault(name_key(m.title), []).append(m)
    pairs, unpaired = [], []
    for m in old:
        candidates = waiting.get(name_key(m.title), [])
        if not candidates:
            unpaired.append(m)
            continue
        chosen = next((c for c in candidates if c.code == m.code), candidates[0])
        candidates.remove(chosen)
        pairs.append(Pairing(m, chosen, 1.0))
    taken = {p.new.code for p in pairs}
    return pairs, unpaired, [m for m in new if m.code not in taken]


def _similarity(a: MeasureEntry, b: MeasureEntry) -> float:
    return difflib.SequenceMatcher(None, search_key(a.title), search_key(b.title), autojunk=False).ratio()


def _close_wording(old: list[MeasureEntry], new: list[MeasureEntry]):
    """(pairing, certain) for measures worded alike, best first; each measure in one pairing at most.

    Each pair's ratio is worked out only where the longest common subsequence of the two texts lets it reach
    CANDIDATE (tracker.text.Subsequences: an upper bound, so the same pairs score as before): difflib's own quick
    bounds let 87 % of pairs through, and a plan with every measure reworded took 37 s to preview."""
    scores: dict[tuple[str, str], float] = {}
    keyed = [(b, key, Subsequences(key)) for b in new for key in [search_key(b.title)]]
    for a in old:
        key = search_key(a.title)
        for b, other, subsequences in keyed:
            total = len(key) + len(other)
            if 2 * min(len(key), len(other)) < CANDIDATE * total:  # the lengths alone keep it under
                continue
            if 2 * subsequences.longest_with(key) < CANDIDATE * total:
                continue
            score = difflib.SequenceMatcher(None, key, other, autojunk=False).ratio()
            if score >= CANDIDATE:
                scores[(a.code, b.code)] = score
    old_by_code, new_by_code = {m.code: m for m in old}, {m.code: m for m in new}
    used_old, used_new = set(), set()
    for (a, b), score in sorted(scores.items(), key=lambda item: (-item[1], item[0][0] != item[0][1])):
        if a in used_old or b in used_new:
            continue
        used_old.add(a)
        used_new.add(b)
        rivals = [s for (x, y), s in scores.items() if (x == a) != (y == b) and s > score - RIVAL_MARGIN]
        same_goal = old_by_code[a].goal == new_by_code[b].goal
        # wording alike, or a little less alike where it stood (same code, same goal): the same measure
        certain = not rivals and same_goal and (score >= CERTAIN or (a == b and score >= SAME_PLACE))
        yield Pairing(old_by_code[a], new_by_code[b], score), certain


def _same_place(old: list[MeasureEntry], new: list[MeasureEntry], paired_old: set[str],
                paired_new: set[str]) -> list[Pairing]:
    """A question for a measure worded anew where one stood — the same code in the same task — however little alike
    the words: taken for one removed and one added, it left every record of the measure on the removed one, and the
    preview did not say so."""
    waiting = {m.code: m for m in new if m.code not in paired_new}
    found = []
    for m in old:
        other = waiting.get(m.code)
        if m.code not in paired_old and other is not None and _task(other) == _task(m):
            found.append(Pairing(m, other, _similarity(m, other)))
    return found


def _task(m: MeasureEntry) -> tuple[str, str]:
    return m.goal, name_key(m.task)


def task_map(pairs: list[Pairing]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each old task → the new task most of its measures went to (a task has no code: it is where its measures are)."""
    votes: dict[tuple[str, str], Counter] = {}
    for p in pairs:
        votes.setdefault(_task(p.old), Counter())[_task(p.new)] += 1
    return {task: counter.most_common(1)[0][0] for task, counter in votes.items()}


def title_changes(old_plan, new_plan: ParsedPlan, pairs: list[Pairing]) -> list[TitleChange]:
    """Titles changed: the plan's, goals' (by number and code) and tasks' (a task is where its measures went)."""
    changes = []
    if search_key(old_plan.title) != search_key(new_plan.title):
        changes.append(TitleChange("plan", "", old_plan.title, new_plan.title))
    new_strategic = {sg.number: sg for sg in new_plan.strategic_goals}
    new_operational = {og.code: og for og in new_plan.operational_goals()}
    for sg in old_plan.strategic_goals:
        other = new_strategic.get(sg.number)
        if other is not None and search_key(sg.title) != search_key(other.title):
            changes.append(TitleChange("strategic", f"№{sg.number}", sg.title, other.title))
        for og in sg.operational_goals:
            other = new_operational.get(og.code)
            if other is not None and search_key(og.title) != search_key(other.title):
                changes.append(TitleChange("operational", og.code, og.title, other.title))
    titles = {_task(m): m.task for p in pairs for m in (p.old, p.new)}
    for old_task, new_task in task_map(pairs).items():
        if old_task[0] == new_task[0] and old_task[1] != new_task[1]:
            changes.append(TitleChange("task", old_task[0], titles[old_task], titles[new_task]))
    return changes


def describe(amendment: Amendment) -> list[str]:
    """The amendment line by line, as a person reviews it (codes old → new, texts quoted)."""
    lines = []
    for change in amendment.titles:
        what = {"plan": tr("назва плану"), "strategic": tr("стратегічна ціль {where}", where=change.where),
                "operational": tr("оперативна ціль {where}", where=change.where),
                "task": tr("завдання (оперативна ціль {where})", where=change.where)}[change.kind]
        lines.append(tr("{what}: «{old}» → «{new}»", what=what, old=change.old, new=change.new))
    for m in amendment.removed:
        lines.append(tr("вилучено {code}: «{title}»", code=m.code, title=m.title))
    for m in amendment.added:
        lines.append(tr("додано {code}: «{title}» (оперативна ціль {goal})", code=m.code, title=m.title, goal=m.goal))
    for p in amendment.reinstated:
        lines.append(tr("повернуто до плану {code}: «{title}» (оперативна ціль {goal}) — захід, вилучений раніше "
                        "(тоді {old}); його записи й історія знову з ним", code=p.new.code, title=p.new.title,
                        goal=p.new.goal, old=p.old.code))
    for p in amendment.changed:
        lines += _pairing_lines(p)
    return lines


def _pairing_lines(p: Pairing) -> list[str]:
    old, new = p.old, p.new
    changes = p.changes()
    lines = []
    if RENUMBERED in changes:
        lines.append(tr("перенумеровано {old} → {new}: «{title}»", old=old.code, new=new.code, title=new.title))
    if REWORDED in changes:
        lines.append(tr("змінено текст {code}: «{old}» → «{new}» (схожість {percent} %)", code=new.code,
                        old=old.title, new=new.title, percent=round(p.similarity * 100)))
    if MOVED in changes:
        lines.append(tr("перенесено {code}: з «{old_task}» (оперативна ціль {old_goal}) до «{new_task}» "
                        "(оперативна ціль {new_goal})", code=new.code, old_task=old.task, old_goal=old.goal,
                        new_task=new.task, new_goal=new.goal))
    if EXECUTORS in changes:
        lines.append(tr("виконавці {code}: {change}", code=new.code, change=_list_change(old.executors, new.executors)))
    if FUNDING in changes:
        lines.append(tr("джерела фінансування {code}: {change}", code=new.code,
                        change=_list_change(old.funding, new.funding)))
    return lines


def _list_change(old: tuple[str, ...], new: tuple[str, ...]) -> str:
    gone = [f"− «{x}»" for x in old if x not in new]
    came = [f"+ «{x}»" for x in new if x not in old]
    return "; ".join(gone + came) or tr("інший порядок")


def describe_question(p: Pairing) -> str:
    return tr("{old} «{old_title}» (оперативна ціль {old_goal}) ↔ {new} «{new_title}» (оперативна ціль {new_goal}): "
              "схожість {percent} %", old=p.old.code, old_title=p.old.title, old_goal=p.old.goal, new=p.new.code,
              new_title=p.new.title, new_goal=p.new.goal, percent=round(p.similarity * 100))
