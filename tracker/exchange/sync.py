"""Exchange packages between databases of one plan: export, import, the conflicts, and resolving them.

A package carries every progress change the receivers have not confirmed yet — at least all made
since this database's last export — with the whole history of each field it touches, so a
receiver that missed an older package still has every parent. Receivers confirm in their own
packages how far they have ours (``acks``): that moves the base of the next export forward.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import platform
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peewee import PostgresqlDatabase

from ..access.rights import may, require
from ..errors import NotFoundError, TrackerError, ValidationError
from ..files import file_label
from ..i18n import quarter_label, tr
from ..logs import log
from ..plan.amend import (
    PACKAGE,
    applied_with_results,
    apply_version,
    check_decision,
    current_fingerprint,
    fingerprint,
)
from ..plan.store import current_plan, plan_uid
from ..plan.versions import amendments as amendments_of
from ..plan.versions import codes_in_force, version_measures
from ..progress import fields
from ..progress.rules import SPANNED
from ..quarters import Quarter, check_in_plan
from ..storage.backup import copied_meanwhile, own_uid, refuse_target
from ..storage.device import COPY_TRUST, new_device_identity, signing_key, this_device
from ..storage.locking import write_transaction
from ..storage.models import (
    Conflict,
    Device,
    ExchangeLog,
    ExchangePeer,
    History,
    Measure,
    PendingEvent,
    Plan,
    PlanAmendment,
    TrustedDevice,
    database,
)
from ..text import clean_name, code_order
from .merge import KEPT, Merger, chosen_value, event_from_row, known_events, record_states, resolve
from .package import (
    Event,
    Header,
    Mark,
    PackageError,
    PlanChange,
    package_device,
    read_package,
    signature,
    signature_holds,
    write_package,
)
from .aside import codes_here, what_becomes_of
from .provenance import sign_own
from .trust import check_sender, note_sender

CHOICES = ("local", "incoming", "value")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    device_name: str
    events: int
    base_seq: int  # the package holds changes after this point of our history (0: all of it)
    top_seq: int

    @property
    def full(self) -> bool:
        return self.base_seq == 0


@dataclass(frozen=True)
class PackageImportResult:
    device_name: str
    created_at: _dt.datetime
    events: int
    applied: int
    skipped: int
    pending: int
    conflicts: int  # newly listed
    recorded: int = 0  # changes new to this database (applied or not)
    updated: int = 0  # listed conflicts that got a newer value from elsewhere
    resolved: int = 0  # listed conflicts the package settled
    set_aside: int = 0  # changes for measures the plan here does not have: kept aside until it has them
    unknown_measures: tuple[str, ...] = ()  # their codes
    plan_amendments: int = 0  # amendments of the plan that came with the package and were applied here
    # decisions of amendments in the package made on another version of the plan than this database's: not applied
    plan_amendments_passed: tuple[str, ...] = ()
    out_of_plan: tuple[str, ...] = ()  # codes of removed measures the package changed for quarters they are out of
    plan_amendments_withheld: tuple[str, ...] = ()  # decisions not applied: the login may not change the plan
    # decisions not applied: made elsewhere than where this database was copied from, and not asked for (plan_changes)
    plan_amendments_unasked: tuple[str, ...] = ()
    put_back: bool = False  # this database was found put back from an older copy of itself: it took a new identity
    full: bool = False  # the package held all of its sender's changes, not only those not confirmed
    restored: int = 0  # its changes from before that the copy lacked, brought back by this package
    disowned: int = 0  # changes said to be made here that this database does not have: not taken
    restored_measures: int = 0  # the measures the changes brought back are of
    unproven: int = 0  # changes said to be made on another known device, not signed by it: not taken
    taken_from_aside: int = 0  # changes kept aside before, for measures the plan here has now: merged
    plan_amendments_same: tuple[str, ...] = ()  # decisions not applied: the plan here was amended the same way
    # measures the amendments applied removed that have records here for the quarters they are out: code, from, count
    records_left_out: tuple[tuple[str, Quarter, int], ...] = ()
    set_aside_same_code: tuple[str, ...] = ()  # codes kept aside that a measure here has too (another measure)
    revoked: int = 0  # changes made on a device no longer trusted here, relayed by the sender: not taken
    revoked_devices: tuple[str, ...] = ()  # those devices' names
    own: bool = False  # the package was made by this very database
    odd_times: int = 0  # changes dated when none can have been made (a device's clock wrong): taken, said
    odd_time: _dt.datetime | None = None  # the one furthest off

    @property
    def changed(self) -> bool:
        return bool(self.recorded or self.applied or self.pending or self.conflicts or self.updated
                    or self.resolved or self.plan_amendments or self.set_aside)


@dataclass(frozen=True)
class ConflictSide:
    value: str | None  # stored form, as in history: status code, "55", "12.5", text
    by: str
    at: _dt.datetime | None
    device: str


@dataclass(frozen=True)
class ConflictInfo:
    id: int
    measure_code: str
    measure_title: str
    quarter: Quarter
    field: str
    local: ConflictSide  # what the record holds here now
    incoming: ConflictSide  # the latest change elsewhere with another value
    reason: str  # set when the incoming change followed ours but breaks a rule of the plan here (translated)
    detected_at: _dt.datetime
    others: tuple[ConflictSide, ...] = ()  # more values, when three or more databases disagree
    code_now: str = ""  # the measure's code today, when the plan in force in that quarter gave it another
    in_plan_then: bool = True  # False: the measure was out of the plan in that quarter (its record is not shown)

    @property
    def label(self) -> str:
        """The measure's code as in that quarter's plan, and today's when it differs: «1.1.4 (тепер 1.1.3)»."""
        return tr("{code} (тепер {now})", code=self.measure_code, now=self.code_now) if self.code_now \
            else self.measure_code


def _plan() -> Plan:
    plan = current_plan()
    if plan is None:
        raise TrackerError(tr("У базі ще немає плану. Спершу створіть базу з планом."), hint="init")
    return plan


# -- export ------------------------------------------------------------------------------------

def export_package(path: str | Path, device_name: str | None = None, *, full: bool = False,
                   now: _dt.datetime | None = None, replace: bool = False) -> ExportResult:
    """Write the changes the receivers have not confirmed (``full``: all of them) to ``path``; a file there that is
    not a package is replaced only when ``replace`` says the person chose to."""
    require("exchange")
    # this database's earlier package is replaced; another device's, not yet taken in, is not
    uid = None if replace else own_uid(database.obj)
    refuse_target(path, tr("пакет змін цієї бази"),
                  None if replace else lambda found: uid is not None and package_device(found) == uid)
    plan = _plan()
    now = now or _dt.datetime.now().replace(microsecond=0)
    with write_transaction(database):
        if isinstance(database.obj, PostgresqlDatabase):
            # ids are handed out before commit: wait for saves in flight, or one could fall behind the top
            database.execute_sql("LOCK TABLE history IN SHARE MODE")
        device = this_device()
        device_name = clean_name(device_name)
        if device_name and device_name != device.name:
            device.name = device_name
            device.save(only=[Device.name])
        name = device.name or platform.node() or "пристрій"  # travels in the package as data
        last = History.select(History.id, History.event_uid).order_by(History.id.desc()).first()
        top = Mark(last.id, last.event_uid) if last is not None else Mark()
        base = Mark() if full else _base()
        events = _events(plan, base.seq)
        events += [Event.from_json(json.loads(row.payload))
                   for row in PendingEvent.select().where((PendingEvent.plan_uid == plan.uid)
                                                          & PendingEvent.reason.not_in(KEPT))
                   .order_by(PendingEvent.id)]
        key = signing_key(device)
        events = sign_own(events, device.uid, key)  # each change signed where it was made, once
        peers = list(ExchangePeer.select())
        header = Header(plan.uid, plan.title, device.uid, name, now, base, top,
                        acks={p.device_uid: Mark(p.received_seq, p.received_uid) for p in peers if p.last_seen},
                        devices={device.uid: name,
                                 **{p.device_uid: p.name for p in peers if p.device_uid != device.uid}},
                        device_key=device.public_key)
        written = write_package(path, header, events, _plan_changes(plan, device), private_key=key)
        ExchangeLog.create(direction="export", plan_uid=plan.uid, peer_uid=device.uid, peer_name=name,
                           file_name=file_label(written), base_seq=base.seq, top_seq=top.seq, events=len(events),
                           created_at=now)
    log.info("package exported: %s, %d changes", written, len(events))
    return ExportResult(written, name, len(events), base.seq, top.seq)


def rename_device(name: str) -> bool:
    """The name this database goes by in the packages it exports from now on (others see it beside its changes and
    in conflicts); asked at the first export, mended here when mistyped. False when it is the same; an empty name is
    refused. The packages already sent keep the name they carried."""
    require("exchange")
    name = clean_name(name)
    if not name:
        raise ValidationError(tr("Вкажіть назву цього комп'ютера: її бачать поруч зі змінами, зробленими тут."))
    with write_transaction(database):
        device = this_device()
        if device.name == name:
            return False
        device.name = name
        device.save(only=[Device.name])
    log.info("this device is now named %r in packages", name)
    return True


def _base() -> Mark:
    """The point every database we exchange with has confirmed; before any confirmation, nothing."""
    marks = []
    for peer in ExchangePeer.select().where(ExchangePeer.last_seen.is_null(False)):
        marks.append(peer.acked_seq if _still_ours(peer.acked_seq, peer.acked_uid) else 0)
    seq = min(marks, default=0)
    row = History.get_or_none(History.id == seq) if seq else None
    return Mark(seq, row.event_uid if row is not None else None)


def _still_ours(seq: int, uid: str | None) -> bool:
    """A confirmation counts only while that point of our history is unchanged (not restored over)."""
    if seq == 0:
        return True
    row = History.get_or_none(History.id == seq)
    return row is not None and row.event_uid == uid


def _events(plan: Plan, base_seq: int) -> list[Event]:
    """Events after ``base_seq`` and every other event of the fields they touch."""
    query = (History.select(History, Measure.id, Measure.code, Measure.uid).join(Measure)
             .where((Measure.plan == plan) & History.field.in_(fields.names()) & History.event_uid.is_null(False))
             .order_by(History.id))
    if base_seq:
        touched = {(r.measure_id, r.year, r.quarter, r.field) for r in query.where(History.id > base_seq)}
        measure_ids = sorted({key[0] for key in touched})
        rows = [r for start in range(0, len(measure_ids), 500)
                for r in query.where(History.measure.in_(measure_ids[start:start + 500]))
                if (r.measure_id, r.year, r.quarter, r.field) in touched]
        rows.sort(key=lambda r: r.id)
    else:
        rows = list(query)
    return [event_from_row(r, r.measure.code, r.measure.uid) for r in rows]


def _plan_changes(plan: Plan, device: Device) -> list[PlanChange]:
    """The plan's amendments, to travel with every package: the office is the authority on the plan, and a
    laptop set up before an amendment receives it with the next package. One this database took on its own
    authority goes signed by it (PlanChange.authority_body); one it received, with the signature it came with."""
    changes, key = [], None
    for row, base, after in applied_with_results(plan):
        change = PlanChange(row.uid, row.decision, str(Quarter.from_index(row.effective)), row.applied_at,
                            row.applied_by, tuple(json.loads(row.changes)), base, after, row.made_on,
                            row.made_on_signature)
        if row.made_on == device.uid and not row.made_on_signature:
            key = key or signing_key(device)
            change = dataclasses.replace(change, made_on_signature=signature(change.authority_body(), key))
        changes.append(change)
    return changes


@dataclass
class _PlanChangesTaken:
    """What became of a package's amendments of the plan (the decisions' texts)."""
    applied: int = 0
    passed: list[str] = dataclasses.field(default_factory=list)  # made on another version: amended otherwise here
    withheld: list[str] = dataclasses.field(default_factory=list)  # the login may not change the plan
    unasked: list[str] = dataclasses.field(default_factory=list)  # not made where copied from, not allowed by a person
    same: list[str] = dataclasses.field(default_factory=list)  # amended the very same way here, from the same quarter
    # measures an applied one removed that have records here for the quarters they are out: (code, from, records)
    left_out: list[tuple[str, Quarter, int]] = dataclasses.field(default_factory=list)


def _take_plan_changes(plan: Plan, changes: list[PlanChange], name: str, made_there: Callable[[PlanChange], bool],
                       allowed: bool) -> _PlanChangesTaken:
    """Apply, in order, the amendments this database lacks that were made on the very version it holds, inside the
    import's transaction; those not applied are listed with why: made on another version of the plan, the login may
    not change the plan, neither ``made_there`` — on the database this one is a copy of — nor ``allowed`` by a
    person, or the plan here was amended the very same way.
    One a person allowed is taken on this database's authority: its copies take it from here by themselves.
    A package whose amendment is not a plan of this plan is refused."""
    known = {uid for (uid,) in PlanAmendment.select(PlanAmendment.uid).tuples()}
    result = _PlanChangesTaken()
    passed, withheld, unasked, same = result.passed, result.withheld, result.unasked, result.same
    here = None
    for change in changes:
        if change.uid in known:
            continue
        if plan_uid(change.after["title"], plan.first_year, plan.last_year) != plan.uid:
            raise PackageError(tr("Пакет «{name}» має зміни до плану ({decision}), що роблять із нього інший план. "
                                  "Такий пакет не приймається. Нічого не змінено.", name=name,
                                  decision=change.decision))
        try:  # malformed, it refuses the package whoever made it (not listed as waiting for a person)
            check_decision(change.decision)
            check_in_plan(Quarter.parse(change.effective), plan.first_year, plan.last_year)
        except ValidationError as exc:
            raise PackageError(tr("Пакет «{name}» має зміни до плану ({decision}), яких тут не застосувати: {reason} "
                                  "Нічого не змінено.", name=name, decision=change.decision, reason=exc)) from None
        if not may("plan"):  # the plan is the admin's: the progress in the package still merges
            withheld.append(change.decision)
            continue
        here = here or current_fingerprint(plan)
        if change.base != here:
            # the same council file applied here and there on its own: not «amended otherwise»
            latest = amendments_of(plan)[-1:] if fingerprint(change.after) == here else []
            same_quarter = latest and latest[0].effective == Quarter.parse(change.effective).index
            (same if same_quarter else passed).append(change.decision)
            continue
        there = made_there(change)
        if not there and not allowed:
            unasked.append(change.decision)
            continue
        try:
            effective = Quarter.parse(change.effective)
            applied = apply_version(plan, change.after, decision=change.decision, effective=effective,
                                   author=change.applied_by, source_name=name, came_in=PACKAGE,
                                   uid=change.uid, applied_at=change.applied_at, backup=False,
                                   made_on=change.made_on if there else None,
                                   made_on_signature=change.made_on_signature if there else "")
        except ValidationError as exc:
            raise PackageError(tr("Пакет «{name}» має зміни до плану ({decision}), яких тут не застосувати: {reason} "
                                  "Нічого не змінено.", name=name, decision=change.decision, reason=exc)) from None
        result.applied += applied.amendment is not None
        result.left_out += [(code, effective, count) for code, count in applied.records_left_out.items()]
        here = None  # the plan is the new version now
    return result


def _put_back(header: Header, events: list[Event], own_uid: str) -> bool:
    """Was this database's file put back from an older copy of itself (in its own place, so it kept its identity)?
    The office it was copied from has a change of this database that the database does not — it confirms having it,
    or sends it (after the put-back copy had sent a package, its confirmation named a change the copy has again):
    its word only (another trusted device's word made the office take changes in its own name and a new identity).
    It then takes a new identity, as a restore gives one — what others confirmed of the old one no longer describes
    it — and its changes the office has come back as the old identity's: with this package, or with a full one."""
    if not _from_where_copied(header):
        return False
    mark = header.acks.get(own_uid)
    wanted = {e.uid for e in events if e.device == own_uid} | ({mark.uid} if mark is not None and mark.uid else set())
    return len(known_events(wanted)) < len(wanted)


def _from_where_copied(header: Header) -> bool:
    """The package comes from the database this one is a copy of — under the identity it had then, or a new one it
    took with its key (the office restored from a backup: its copies had taken nothing from it as the office)."""
    copied = _copied_from()
    return header.device_uid in copied or (bool(header.device_key) and header.device_key in copied.values())


def _copied_from() -> dict[str, str]:
    """The databases this one is a copy of (the office a laptop was set up from), still trusted: uid → public key."""
    return dict(TrustedDevice.select(TrustedDevice.device_uid, TrustedDevice.public_key)
                .where((TrustedDevice.trusted_by == COPY_TRUST) & TrustedDevice.revoked_at.is_null()).tuples())


def _made_where_copied(header: Header) -> Callable[[PlanChange], bool]:
    """Was an amendment made on the database this one is a copy of (the office a laptop was set up from), whoever
    passed it on — signed there (a trusted laptop naming the office as its maker made other laptops take its own)?
    One not signed where it was made (from an earlier version): was its package sent from there?"""
    keys = _copied_from()

    def made_there(change: PlanChange) -> bool:
        if change.made_on_signature:
            key = keys.get(change.made_on)
            return key is not None and signature_holds(change.authority_body(), key, change.made_on_signature)
        return header.device_uid in keys
    return made_there


# -- import ------------------------------------------------------------------------------------

def import_package(path: str | Path, author: str = "", *, now: _dt.datetime | None = None,
                   allow_unsigned: bool = False, plan_changes: bool = False) -> PackageImportResult:
    """Merge a package into this database, in one transaction; a package that fails a check changes nothing.

    Only a package signed by a device this database trusts is taken (tracker.exchange.trust);
    ``allow_unsigned``: a person accepted a format-1 package (0.2, before signing).

    The office amends the plan: amendments in a package are applied by themselves only when made and signed on the
    database this one is a copy of (the office a laptop was set up from), whoever passes them on; any other — a
    laptop's own amendment at the office, which had cut the office's plan in half unasked — only when
    ``plan_changes`` (a person read them and said so), else they are listed in the result and the progress merges.
    """
    require("exchange")
    package = read_package(path)
    header = package.header
    plan = Plan.get_or_none(Plan.uid == header.plan_uid)
    if plan is None:
        here = current_plan()
        if here is None:
            raise PackageError(tr("Пакет «{name}» зроблено для іншого плану («{title}»), а в цій базі плану "
                                  "немає. Нічого не змінено.", name=Path(path).name, title=header.plan_title))
        raise PackageError(tr("Пакет «{name}» зроблено для іншого плану («{title}»), а в цій базі — «{here}». "
                              "Нічого не змінено.", name=Path(path).name, title=header.plan_title, here=here.title))
    outside = [e for e in package.events if not plan.first_year <= e.year <= plan.last_year]
    if outside:
        raise PackageError(tr("Пакет «{name}» має зміни за {year} рік, поза межами плану ({first}–{last}). "
                              "Нічого не змінено.", name=Path(path).name, year=outside[0].year,
                              first=plan.first_year, last=plan.last_year))
    now = now or _dt.datetime.now().replace(microsecond=0)
    # changes dated before the program could have made them or after today: a device's clock was wrong (a flat CMOS
    # battery, a hand-set year) or the package was forged. Taken — refused, a laptop's every update would be lost for
    # good, its changes keep their dates — but said: in a conflict the date decides which side is the newest
    odd = [e.at for e in package.events if e.at.year < EARLIEST_YEAR or e.at > now + _dt.timedelta(days=1)]
    # a merge touches many records: a copy of what was there is kept, made while the package is merged
    with write_transaction(database), copied_meanwhile("import"):
        device = this_device()  # first: a copy of a database takes its own identity before it judges the sender
        own_package = header.device_uid == device.uid
        check_sender(header, package.signed, Path(path).name, allow_unsigned)  # refused: rolled back, as if never
        taken = _take_plan_changes(plan, package.plan_changes, file_label(path),
                                   _made_where_copied(header), plan_changes)
        restored_from = device.uid if package.signed and _put_back(header, package.events, device.uid) else None
        if restored_from:
            new_device_identity()
        counts = Merger(plan, header.device_name, author, now, unsigned=not package.signed,
                        restored_from=restored_from, sender=header.device_uid, sender_key=header.device_key,
                        vouched=_from_where_copied(header),
                        titles={m["uid"]: m["title"] for change in package.plan_changes
                                for m in version_measures(change.after)}).merge(package.events)
        _remember(header, this_device().uid, now)  # (a file put back from an older copy has a new one now)
        note_sender(header, now)
        ExchangeLog.create(direction="import", plan_uid=plan.uid, peer_uid=header.device_uid,
                           peer_name=header.device_name, file_name=file_label(path), base_seq=header.base.seq,
                           top_seq=header.top.seq, events=len(package.events), applied=counts.applied,
                           skipped=counts.skipped, pending=counts.pending, conflicts=counts.conflicts,
                           dropped=counts.set_aside, author=author, created_at=now)
    log.info("package imported: %s from %s: %d changes, %d applied, %d conflicts, %d set aside", Path(path).name,
             header.device_name, len(package.events), counts.applied, counts.conflicts, counts.set_aside)
    return PackageImportResult(header.device_name, header.created_at, len(package.events), counts.applied,
                               counts.skipped, counts.pending, counts.conflicts, counts.recorded, counts.updated,
                               counts.resolved, counts.set_aside, tuple(sorted(counts.unknown_measures, key=code_order)),
                               taken.applied, tuple(taken.passed), tuple(sorted(counts.out_of_plan, key=code_order)),
                               tuple(taken.withheld), tuple(taken.unasked), bool(restored_from), header.base.seq == 0,
                               counts.restored, counts.disowned, counts.restored_measures, counts.unproven,
                               counts.taken_from_aside, tuple(taken.same), tuple(taken.left_out),
                               tuple(sorted(counts.unknown_measures & codes_here(plan), key=code_order))
                               if counts.unknown_measures else (),
                               revoked=counts.revoked, revoked_devices=tuple(sorted(counts.revoked_devices)),
                               own=own_package, odd_times=len(odd), odd_time=max(odd, key=lambda at: abs(at - now),
                                                                                 default=None))


def passed_text(result: PackageImportResult) -> str:
    """Amendments in the package that were not applied here, and why."""
    return tr("Зміни до плану з пакета ({decisions}) не застосовано: їх зроблено до іншої редакції плану, ніж у цій "
              "базі (план тут змінено інакше). План вносить офіс; щоб узгодити план, візьміть копію бази з офісу.",
              decisions="; ".join(result.plan_amendments_passed))


def same_text(result: PackageImportResult) -> str:
    return tr("Зміни до плану з пакета ({decisions}) тут уже є: план у цій базі змінено так само й з того самого "
              "кварталу.", decisions="; ".join(result.plan_amendments_same))


def withheld_text(result: PackageImportResult) -> str:
    return tr("Зміни до плану з пакета ({decisions}) не застосовано: план змінює лише адміністратор. Зміни стану "
              "виконання з пакета прийнято; попросіть адміністратора імпортувати цей пакет ще раз, щоб застосувати "
              "й зміни до плану.", decisions="; ".join(result.plan_amendments_withheld))


def restored_text(result: PackageImportResult) -> str:
    text = tr("Цю базу, схоже, повернуто з давнішої копії її файла: «{device}», з копії якої її зроблено, має її "
              "зміни, яких у ній уже немає. Пакет повернув їх: змін — {count}, заходів — {measures}.",
              device=result.device_name, count=result.restored, measures=result.restored_measures)
    if not result.full:
        text += " " + tr("Решту поверне пакет з усіма змінами звідти.")
    return text + " " + tr("Як після відновлення з резервної копії, база отримала новий ідентифікатор пристрою "
                           "(ключ той самий): там її наступний пакет попросить довіритися їй ще раз — відбиток ключа "
                           "не змінився.")


def unproven_text(result: PackageImportResult) -> str:
    return tr("Змін, нібито зроблених на іншому пристрої, але не підписаних ним, у пакеті: {count}. Їх не прийнято: "
              "пристрій-відправник видає свої зміни за чужі (пакет підроблено або зроблено зі зміненої бази). Решту "
              "змін з пакета прийнято; справжні зміни того пристрою прийдуть у його власному пакеті.",
              count=result.unproven)


EARLIEST_YEAR = 2020  # no change of this program's can be older: the plan it tracks was adopted in 2024


def odd_times_text(result: PackageImportResult) -> str:
    return tr("Увага: змін, датованих часом, коли їх не могли зробити (напр. {when:%d.%m.%Y %H:%M}), у пакеті: "
              "{count}. Годинник пристрою, на якому їх зроблено, показував неправильну дату (або пакет підроблено). "
              "Зміни прийнято з їхніми датами, але в конфліктах дата вирішує, яка зміна новіша: виправте дату й час "
              "на тому пристрої.", when=result.odd_time, count=result.odd_times)


def own_package_text(result: PackageImportResult) -> str:
    return tr("Цей пакет зроблено цією ж базою ({when:%d.%m.%Y %H:%M}), а не на іншому пристрої: чи той файл ви "
              "вибрали?", when=result.created_at)


def revoked_text(result: PackageImportResult) -> str:
    return tr("Змін, зроблених на пристроях, яким ця база більше не довіряє ({devices}), у пакеті: {count}. Їх не "
              "прийнято, як не приймаються й власні пакети цих пристроїв: довіру до них відкликано. Зміни, що прийшли "
              "до відкликання, залишилися. Решту змін з пакета прийнято.",
              devices=", ".join(f"«{name}»" for name in result.revoked_devices), count=result.revoked)


def disowned_text(result: PackageImportResult) -> str:
    return tr("Пакет містить змін, нібито зроблених у цій базі, яких у ній немає: {count}. Їх не взято: їх підроблено, "
              "або їх зробила копія цієї бази без власного пристрою, або саму цю базу повернуто з давнішої копії її "
              "файла (тоді візьміть свіжу копію бази з офісу). Решту змін з пакета прийнято.", count=result.disowned)


def unasked_text(result: PackageImportResult) -> str:
    return tr("Пакет від «{device}» приніс зміни до плану ({decisions}), зроблені не в тій базі, з копії якої зроблено "
              "цю (не в офісі, звідки її взято), тож їх не застосовано: план вносить офіс. {progress} Якщо ці зміни до "
              "плану справді чинні (наприклад, офіс перенесено на інший комп'ютер), імпортуйте пакет ще раз і "
              "дозвольте їх.", device=result.device_name, decisions="; ".join(result.plan_amendments_unasked),
              progress=progress_taken_text(result))


def progress_taken_text(result: PackageImportResult) -> str:
    """What became of the package's progress while its amendments of the plan wait for a person."""
    if not result.set_aside:
        return tr("Зміни стану виконання з пакета прийнято.")
    return tr("Зміни стану виконання з пакета прийнято, крім змін для заходів, яких у плані тут немає ({count}): їх "
              "збережено окремо й буде застосовано разом зі змінами до плану, якщо їх дозволити.", count=result.set_aside)


def out_of_plan_text(result: PackageImportResult) -> str:
    # not «that device's plan is not amended yet»: the office's own resolution into such a quarter travels too
    return tr("Зміни для заходів, виключених з плану на ті квартали ({codes}), збережено в їхній історії, але в цих "
              "кварталах вони не показуються ні в переліку, ні у звіті — лише серед виключених заходів (Вигляд → "
              "Показувати виключені заходи) та в історії заходу.", codes=", ".join(result.out_of_plan))


def first_words(result: PackageImportResult) -> list[str]:
    """What an import says first, before its counts, the same in the window and on the command line."""
    return ([own_package_text(result)] if result.own else []) + ([odd_times_text(result)] if result.odd_times else [])


def left_out_words(result: PackageImportResult) -> list[str]:
    """What an import left out of the package, or kept out of the quarters' lists, and why — in this order, the same in
    the window and on the command line."""
    said = [(result.disowned, disowned_text), (result.unproven, unproven_text), (result.revoked, revoked_text),
            (result.out_of_plan, out_of_plan_text)]
    return [text(result) for present, text in said if present]


def set_aside_text(result: PackageImportResult, shown: int = 10) -> str:
    """What an import kept aside because the plan here lacks the measures, and when it is taken in."""
    codes = ", ".join(result.unknown_measures[:shown]) + (", …" if len(result.unknown_measures) > shown else "")
    return tr("Змін для заходів, яких немає в плані цієї бази: {count} (коди на тому пристрої: {codes}). Їх збережено "
              "окремо й не застосовано: у записах і звітах їх немає.", count=result.set_aside, codes=codes) + " " \
        + what_becomes_of(result.unknown_measures, result.set_aside_same_code)


def _remember(header: Header, own_device_uid: str, now: _dt.datetime) -> None:
    """What the sender confirms of ours, and how far we now have the sender's changes."""
    for uid, name in header.devices.items():
        if uid != own_device_uid and name and uid != header.device_uid:
            # a device first heard of through another: its name as told; a device known here keeps its own
            # name (only its own packages rename it), so no package renames other devices
            ExchangePeer.get_or_create(device_uid=uid, defaults={"name": name})
    if header.device_uid == own_device_uid:
        return  # our own package come back: nothing to learn
    peer, _ = ExchangePeer.get_or_create(device_uid=header.device_uid, defaults={"name": header.device_name})
    peer.name, peer.last_seen = header.device_name, now
    ack = header.acks.get(own_device_uid)
    if ack is not None and (ack.seq >= peer.acked_seq or not _still_ours(peer.acked_seq, peer.acked_uid)):
        peer.acked_seq, peer.acked_uid = ack.seq, ack.uid
    if header.base.seq == 0 or header.base.seq <= peer.received_seq:  # no gap before this package
        if header.base.seq == 0 or header.top.seq >= peer.received_seq:
            peer.received_seq, peer.received_uid = header.top.seq, header.top.uid
    peer.save()


# -- conflicts ---------------------------------------------------------------------------------

def list_conflicts() -> list[ConflictInfo]:
    """Open conflicts in plan order; the local side is what the record holds now.

    The window asks on every reload: with none open, this is one query.
    """
    conflicts = list(Conflict.select(Conflict, Measure).join(Measure).where(Conflict.resolved_at.is_null())
                     .order_by(Measure.position, Conflict.year, Conflict.quarter, Conflict.field))
    if not conflicts:
        return []
    names = {p.device_uid: p.name for p in ExchangePeer.select()}
    codes_then = codes_in_force(conflicts[0].measure.plan_id)
    device = this_device()
    names[device.uid] = device.name or tr("ця база")  # not the computer's network name («vm», «DESKTOP-4F8K2L»)
    result = []
    for conflict in conflicts:
        key = (conflict.measure_id, conflict.year, conflict.quarter, conflict.field)
        record, states = record_states(*key[:3])
        state = states[key]
        differing = state.differing
        if not differing:
            continue  # settled since by a save here; the next import or resolution closes it
        if state.top is not None:
            local = _side(state.top, names)
        else:
            local = ConflictSide(state.value, record.updated_by if record else "",
                                 record.updated_at if record else None, "")
        quarter = Quarter(conflict.year, conflict.quarter)
        measure = conflict.measure
        then = codes_then(quarter)
        if then is None:  # the plan as it stands
            code, in_plan = measure.code, measure.removed_in is None or quarter.index < measure.removed_in
        else:
            code, in_plan = then.get(measure.id, measure.code), measure.id in then
        result.append(ConflictInfo(
            conflict.id, code, measure.title, quarter, conflict.field, local, _side(differing[0], names),
            tr(conflict.reason) if conflict.reason else "", conflict.detected_at,
            tuple(_side(t, names) for t in differing[1:]), measure.code if measure.code != code else "", in_plan))
    return result


def out_of_plan_note(conflict: ConflictInfo) -> str:
    """Said beside a conflict on a measure that was out of the plan in that quarter."""
    return tr("у {quarter} захід був поза планом: цей запис не показується в переліку й звітах, рішення збережеться "
              "в історії заходу", quarter=quarter_label(conflict.quarter))


def _side(row: History, names: dict[str, str]) -> ConflictSide:
    return ConflictSide(row.new_value, clean_name(row.changed_by), row.changed_at, names.get(row.device_uid or "", ""))


def resolve_conflict(conflict_id: int, choice: str, value=None, *, author: str = "",
                     now: _dt.datetime | None = None) -> str:
    """Keep ``local``, take ``incoming``, or write ``value``; returns the uid of the resolving event.

    The resolution is itself a change that replaces every value in the conflict: each database
    it reaches takes it, and the conflict is settled there too.
    """
    require("conflicts")
    if choice not in CHOICES:
        raise ValidationError(tr("Невідомий спосіб розв'язання «{choice}». Можливі: local, incoming, value.",
                                 choice=choice))
    now = now or _dt.datetime.now().replace(microsecond=0)
    with write_transaction(database):
        conflict = Conflict.get_or_none(Conflict.id == conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            raise NotFoundError(tr("Конфлікту № {id} немає серед нерозв'язаних: його вже розв'язано або "
                                   "номер неправильний.", id=conflict_id), hint="exchange_conflicts")
        if choice == "value":
            if value is None:
                raise ValidationError(tr("Вкажіть значення, яке записати."), hint="value")
            field = fields.get(conflict.field)
            chosen = field.store(field.parse(value))
        else:
            chosen = chosen_value(conflict, choice)
        if chosen is None and choice != "local" and fields.get(conflict.field).required:
            raise ValidationError(tr(
                "На іншому пристрої цей запис за квартал скасовано, тож його значення порожнє і записати його "
                "не можна. Залиште своє значення або вкажіть нове."), hint="value")
        try:
            return resolve(conflict, chosen, choice, author, now)
        except ValidationError as exc:  # a rule across fields («Виконано» is 100 %): the other field may be in conflict
            # only a conflict of the other field the rules span can make it valid (pointing to the note's, resolving
            # that was refused again)
            others = list(Conflict.select().where(
                (Conflict.measure == conflict.measure) & (Conflict.year == conflict.year)
                & (Conflict.quarter == conflict.quarter) & Conflict.resolved_at.is_null() & (Conflict.id != conflict.id)
                & Conflict.field.in_(SPANNED)))
            if conflict.field in SPANNED and not others:  # the other field holds its value already: said where
                raise ValidationError(str(exc) + " " + tr(
                    "Інше поле цього запису змініть у формі заходу (або вкажіть тут інше значення), тоді розв'яжіть "
                    "цей конфлікт."), hint=exc.hint) from exc
            if not others or conflict.field not in SPANNED:
                raise
            raise ValidationError(str(exc) + " " + tr(
                "Того самого заходу за квартал є ще нерозв'язаний конфлікт {conflicts}: розв'яжіть спершу його, тоді "
                "цей.", conflicts=", ".join(tr("№ {id} ({field})", id=other.id, field=fields.label(other.field))
                                            for other in others)), hint=exc.hint) from exc
