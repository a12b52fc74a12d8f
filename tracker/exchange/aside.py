"""Changes from packages kept aside: their measures are not in the plan here — a laptop amended its plan on its own,
or the office amended it otherwise. Kept, listed and said until the plan here has their measure, then merged
(tracker.exchange.merge keeps them aside and takes them in; this module lists them and takes them in after an
amendment applied here)."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass

from peewee import Case

from ..access.rights import require
from ..errors import TrackerError
from ..i18n import quarter_label, tr
from ..logs import log
from ..plan.store import current_plan
from ..progress import fields
from ..quarters import Quarter
from ..storage.failures import database_errors
from ..storage.locking import write_transaction
from ..storage.models import ExchangePeer, Measure, PendingEvent, Plan, database
from ..text import code_order, shortened
from .merge import DISMISSED, NOT_IN_PLAN, Merger
from .package import Event


@dataclass(frozen=True)
class SetAside:
    """Changes from packages kept aside: their measures are not in the plan here (yet)."""
    count: int
    codes: tuple[str, ...]  # the measures' codes in the plans they were made in
    devices: tuple[str, ...]  # the names of the devices they were made on, as this database knows them
    # of those codes, the ones a measure of the plan here has too: another measure (another amendment made it), so
    # they are not merged by themselves — a person enters the values, if it is the same measure
    same_code: tuple[str, ...] = ()


@dataclass(frozen=True)
class AsideValue:
    """The latest value kept aside for one field of one quarter of a measure the plan here lacks."""
    code: str  # as the device it was made on names the measure
    title: str  # "" when the package's amendments did not name it
    device: str
    quarter: Quarter
    field: str
    value: str | None  # stored form
    by: str
    at: _dt.datetime


def set_aside_changes() -> SetAside:
    """What packages brought for measures the plan here does not have."""
    plan = current_plan()
    if plan is None:
        return SetAside(0, (), ())
    count = set_aside_count(plan)
    if not count:
        return SetAside(0, (), ())
    kept = PendingEvent.select().where(_listed(plan))
    codes = {code for (code,) in kept.select(PendingEvent.measure_code).distinct().tuples()}
    devices = {uid for (uid,) in kept.select(PendingEvent.device_uid).distinct().tuples()}
    names = _device_names()
    return SetAside(count, tuple(sorted(codes, key=code_order)),
                    tuple(sorted({names.get(uid) or uid[:8] or "?" for uid in devices})),
                    tuple(sorted(codes & codes_here(plan), key=code_order)))


def set_aside_count(plan: Plan) -> int:
    """How many changes are kept aside: one count (the window's status bar asks with every quarter it shows; the codes
    and devices of a trusted device's 320,000 for made-up measures are not read for it)."""
    return PendingEvent.select().where(_listed(plan)).count()


def _listed(plan: Plan):
    """The condition of the plan's changes kept aside and listed (not those a person took off the list)."""
    return (PendingEvent.plan_uid == plan.uid) & (PendingEvent.reason == NOT_IN_PLAN)


def set_aside_values(first: tuple[str, ...] = (), limit: int = 500) -> tuple[list[AsideValue], int]:
    """The values kept aside, the latest of each field of each quarter of each measure — to enter by hand into the
    measure they belong to, when the plan here has it under another amendment — and how many kept changes they are
    read from: the first ``limit``, those of the codes ``first`` before the rest (a trusted device's thousands for
    made-up measures had crowded out the three a person was told to enter). The codes ``first`` list first."""
    plan = current_plan()
    if plan is None:
        return [], 0
    names, latest, read = _device_names(), {}, 0
    ahead = PendingEvent.measure_code.in_(list(first)) if first else PendingEvent.id.is_null(False)
    for payload, title in (PendingEvent.select(PendingEvent.payload, PendingEvent.measure_title)
                           .where(_listed(plan))
                           .order_by(Case(None, [(ahead, 0)], 1), PendingEvent.id).limit(limit).tuples()):
        read += 1
        event = Event.from_json(json.loads(payload))
        key = (event.measure_uid or event.measure, event.year, event.quarter, event.field)
        if key not in latest or latest[key].at < event.at:
            latest[key] = AsideValue(event.measure, title, names.get(event.device) or event.device[:8],
                                     Quarter(event.year, event.quarter), event.field, event.new, event.by, event.at)
    order = {name: place for place, name in enumerate(fields.names())}
    return sorted(latest.values(), key=lambda v: (v.code not in first, code_order(v.code), v.quarter.index,
                                                  order.get(v.field, 99))), read


def listed_lines(aside: SetAside, shown: int, listed: tuple[list[AsideValue], int] | None = None) -> list[str]:
    """The values kept aside as lines (those to enter by hand first), at most ``shown``, and a last line saying how
    much the list left out — counted, not guessed: «… і ще 400» had stood under 320,000. ``listed``: the values read
    already (set_aside_values), for a second list of them."""
    values, read = listed or set_aside_values(aside.same_code)
    lines = [aside_value_line(value) for value in values[:shown]]
    if len(values) > shown or read < aside.count:
        lines.append(tr("… перелік скорочено: показано значень — {shown}; усього окремо збережено змін — {count}.",
                        shown=min(shown, len(values)), count=aside.count))
    return lines


def dismiss_set_aside(codes: list[str] | None = None, author: str = "") -> int:
    """Take changes kept aside off the list — all, or those of these codes (as the devices name their measures): a
    person entered their values by hand, or does not want them. They stay in the database, neither listed, nor merged
    when the plan gets their measure, nor sent on. How many."""
    require("conflicts")
    plan = current_plan()
    if plan is None:
        return 0
    with write_transaction(database):
        query = PendingEvent.update(reason=DISMISSED).where(_listed(plan))
        if codes:
            query = query.where(PendingEvent.measure_code.in_(codes))
        count = query.execute()
    log.info("changes kept aside taken off the list by %s: %d (%s)", author or "?", count, ", ".join(codes or ["all"]))
    return count


def codes_here(plan: Plan) -> set[str]:
    return {code for (code,) in Measure.select(Measure.code).where(
        (Measure.plan == plan) & Measure.removed_in.is_null()).tuples()}


def _device_names() -> dict[str, str]:
    return dict(ExchangePeer.select(ExchangePeer.device_uid, ExchangePeer.name).tuples())


def take_set_aside(author: str = "", now: _dt.datetime | None = None) -> int:
    """Merge the changes kept aside whose measures the plan has now (after an amendment applied here); how many."""
    plan = current_plan()
    if plan is None or not set_aside_count(plan):
        return 0
    with write_transaction(database):
        counts = Merger(plan, "", author, now).merge([])
    if counts.taken_from_aside:
        log.info("changes kept aside taken in: %d", counts.taken_from_aside)
    return counts.taken_from_aside


def take_set_aside_after_amendment(author: str = "") -> tuple[int, str]:
    """take_set_aside right after an amendment was written: how many were merged, and what kept them from it — said
    beside the amendment, which stands (a failure here had read as the amendment's own: «Зміни не записано»)."""
    try:
        with database_errors():
            return take_set_aside(author), ""
    except TrackerError as exc:
        log.warning("changes kept aside not taken after an amendment: %s", exc)
        return 0, tr("Зміни, збережені окремо з пакетів, зараз не застосовано ({reason}); їх застосує наступний імпорт "
                     "пакета змін.", reason=str(exc).rstrip("."))


def set_aside_line(aside: SetAside, shown: int = 10) -> str:
    """The changes kept aside, and what becomes of them (under the conflicts)."""
    codes = ", ".join(aside.codes[:shown]) + (", …" if len(aside.codes) > shown else "")
    text = tr("Окремо збережено змін для заходів, яких немає в плані цієї бази: {count} (коди: {codes}; від: "
              "{devices}).", count=aside.count, codes=codes, devices=", ".join(f"«{name}»" for name in aside.devices))
    return text + " " + what_becomes_of(aside.codes, aside.same_code)


def aside_value_line(value: AsideValue) -> str:
    """«1.1.7 «Створити…», I кв. 2026, Виконання, %: 35 (Петро, 03.12.2026 14:01, «ноут1»)»."""
    title = f" «{shortened(value.title, 90)}»" if value.title else ""
    return tr("{code}{title}, {quarter}, {field}: {value} ({by}, {at}, «{device}»)", code=value.code, title=title,
              quarter=quarter_label(value.quarter), field=fields.label(value.field),
              value=fields.show(value.field, value.value), by=value.by or "—", at=f"{value.at:%d.%m.%Y %H:%M}",
              device=value.device)


def what_becomes_of(codes: tuple[str, ...], same_code: tuple[str, ...], shown: int = 10) -> str:
    """What becomes of changes kept aside for these codes: merged by themselves once the plan here has their measures,
    except those of codes a measure here has already (another amendment made it): entered by hand, if the same."""
    if not same_code:
        return tr("Їх буде застосовано самі, щойно ці заходи з'являться в плані тут — коли тут приймуть ту саму зміну "
                  "до плану, що й на тому пристрої.")
    if len(same_code) == 1:
        other = tr("Захід із кодом {code} у плані тут є, але його внесено іншою зміною до плану (інше формулювання чи "
                   "квартал), тож це інший захід, і зміни для нього самі не застосуються. Якщо це той самий захід, "
                   "внесіть ці значення в нього вручну (їх перелік — під конфліктами обміну).", code=same_code[0])
    else:
        other = tr("Заходи з кодами {codes} у плані тут є, але їх внесено іншою зміною до плану (інше формулювання чи "
                   "квартал), тож це інші заходи, і зміни для них самі не застосуються. Якщо це ті самі заходи, внесіть "
                   "ці значення в них вручну (їх перелік — під конфліктами обміну).", codes=", ".join(same_code))
    waiting = [code for code in codes if code not in same_code]
    if not waiting:
        return other
    listed = ", ".join(waiting[:shown]) + (", …" if len(waiting) > shown else "")
    return tr("Зміни для заходів {codes} буде застосовано самі, щойно ці заходи з'являться в плані тут.",
              codes=listed) + " " + other


def taken_from_aside_text(count: int) -> str:
    return tr("Застосовано змін, збережених раніше окремо, бо їхніх заходів не було в плані цієї бази: {count}.",
              count=count)
