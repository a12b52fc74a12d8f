"""The exchange package file: gzip'd JSON with a header, the events, the plan's amendments and the sending device's
signature; reading refuses bad ones.

A package is read whole and checked before anything is merged: a damaged, truncated, tampered or
foreign file is refused with a message and no change to the database. The signature (Ed25519, by
the key of the device the header names, over everything else in the file) proves the file is as
that key made it; whether this database trusts that key is tracker.exchange.trust's question.
Packages of format 1 (0.2, before signing) carry a checksum only, and are marked unsigned.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TrackerError
from ..files import not_a_file, not_a_target, os_reason, write_whole
from ..i18n import tr
from ..progress import fields
from ..text import MAX_LABEL, MAX_NAME, MAX_TEXT, clean_name, has_control

FORMAT = "lutsk-tracker-exchange"
# 3: signed by the sending device; measures named by uid (and code, for people); the plan's amendments travel too
VERSION = 3
READABLE = (1, 3)  # 1: a laptop still on 0.2 — unsigned, measures by the code of the plan as first imported
MAX_FILE_BYTES = 100 * 1024 * 1024
# A year of the whole plan is ~1.2 MB of JSON; these bounds keep what a hostile file can make us hold
# (the JSON, then the objects parsed from it) well under 200 MB, and are checked before parsing.
MAX_JSON_BYTES = 32 * 1024 * 1024
MAX_CONTAINERS = 400_000  # JSON objects and arrays: two per event, and a few in the header
_UID = re.compile(r"^[0-9a-f]{32}$")
MAX_PARENTS = 64
_GZIP_MAGIC = b"\x1f\x8b"
_CODE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){1,3}$")  # a goal's «1.2» or a measure's «1.2.8»
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(r"^[0-9a-f]{64}$")  # an Ed25519 public key, 32 bytes
_SIGNATURE = re.compile(r"^[0-9a-f]{128}$")


class PackageError(TrackerError):
    """The file is not a whole, untouched exchange package for this plan."""


@dataclass(frozen=True)
class Event:
    """One field change as it travels between databases; measures are named by uid (the code is for people)."""

    uid: str
    parents: tuple[str, ...]  # the events whose value it replaced; first the one it was typed over
    device: str | None  # uid of the device it was made on («site» in the file)
    measure: str  # measure code within the plan, e.g. "1.2.8"
    year: int
    quarter: int
    field: str
    old: str | None
    new: str | None
    by: str
    at: _dt.datetime
    change_set: str
    measure_uid: str | None = None  # None only in packages of format 1: resolved by the first version's code
    # the signature of signed_body() by the device it was made on (tracker.exchange.provenance), hex; None: not
    # signed there (made before changes were signed, or by a device whose key is not known)
    signature: str | None = None

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.measure, self.year, self.quarter, self.field)

    def signed_body(self) -> dict:
        """What the device the change was made on signs: what the change is, wherever it is kept — which value of
        which field it replaced with which, who made it where and when. Not what a database files it under: the
        measure's code (an amendment may change it; its uid names the measure), the value shown as the old one and
        the change set (a database that applies a change it had recorded files it anew with its own), nor the
        signature."""
        return {"uid": self.uid, "parents": list(self.parents), "site": self.device,
                "measure": self.measure_uid or self.measure, "year": self.year, "quarter": self.quarter,
                "field": self.field, "new": self.new, "by": self.by, "at": self.at.isoformat(timespec="seconds")}

    def to_json(self) -> dict:
        return {"uid": self.uid, "parents": list(self.parents), "site": self.device,
                "measure": self.measure, "year": self.year, "quarter": self.quarter, "field": self.field,
                "old": self.old, "new": self.new, "by": self.by, "at": self.at.isoformat(timespec="seconds"),
                "change_set": self.change_set, **({"measure_uid": self.measure_uid} if self.measure_uid else {}),
                **({"signature": self.signature} if self.signature else {})}

    @classmethod
    def from_json(cls, data) -> "Event":
        """Parse and check one event; ValueError says what is wrong with it."""
        if not isinstance(data, dict):
            raise ValueError(tr("подія не є об'єктом"))
        uid, parents = data.get("uid"), data.get("parents")
        if not (isinstance(uid, str) and _UID.fullmatch(uid)):
            raise ValueError(tr("неправильний ідентифікатор зміни"))
        if (not isinstance(parents, list) or len(parents) > MAX_PARENTS or len(set(parents)) != len(parents)
                or not all(isinstance(p, str) and _UID.fullmatch(p) and p != uid for p in parents)):
            raise ValueError(tr("неправильні попередні зміни"))
        name = data.get("field")
        kind = fields.find(name) if isinstance(name, str) else None
        if kind is None:
            raise ValueError(tr("невідоме поле «{name}»", name=name))
        year, quarter = data.get("year"), data.get("quarter")
        if type(year) is not int or type(quarter) is not int or not 1 <= quarter <= 4 or not 1 <= year <= 9999:
            raise ValueError(tr("неправильний квартал"))
        texts = {k: data.get(k) for k in ("site", "measure", "old", "new", "by", "change_set")}
        for k, value in texts.items():
            if value is not None and not isinstance(value, str):
                raise ValueError(tr("поле «{name}» має бути текстом", name=k))
            limit = MAX_TEXT if k in ("old", "new") else MAX_NAME
            if value is not None and (has_control(value) or len(value) > limit):
                raise ValueError(tr("неприпустимий текст у полі «{name}»", name=k))
        if not texts["measure"] or not texts["change_set"]:
            raise ValueError(tr("немає коду заходу або набору змін"))
        if texts["site"] is not None and not _UID.fullmatch(texts["site"]):  # «027C…» passed for no device known
            raise ValueError(tr("неправильний ідентифікатор пристрою"))
        measure_uid = data.get("measure_uid")
        if measure_uid is not None and not (isinstance(measure_uid, str) and _UID.fullmatch(measure_uid)):
            raise ValueError(tr("неправильний ідентифікатор заходу"))
        signed = data.get("signature")
        if signed is not None and not (isinstance(signed, str) and _SIGNATURE.fullmatch(signed)):
            raise ValueError(tr("неправильний підпис зміни"))
        kind.check_stored(texts["new"])
        try:
            at = _dt.datetime.fromisoformat(data.get("at"))
        except (TypeError, ValueError):
            raise ValueError(tr("неправильний час зміни")) from None
        if at.tzinfo is not None:  # the program writes local time, never an offset: «+14:00» had been dropped unsaid
            raise ValueError(tr("неправильний час зміни"))
        return cls(uid, tuple(parents), texts["site"], texts["measure"], year, quarter, name,
                   texts["old"], texts["new"], texts["by"] or "", at, texts["change_set"],
                   measure_uid, signed)


@dataclass(frozen=True)
class Mark:
    """A point in a database's own sequence of history rows: its id and the event uid there."""

    seq: int = 0
    uid: str | None = None

    def to_json(self) -> dict:
        return {"seq": self.seq, "uid": self.uid}

    @classmethod
    def from_json(cls, data) -> "Mark":
        if not isinstance(data, dict) or type(data.get("seq")) is not int or not 0 <= data["seq"] < 2 ** 62:
            raise ValueError(tr("неправильна позначка послідовності"))
        uid = data.get("uid")
        if uid is not None and not isinstance(uid, str):
            raise ValueError(tr("неправильна позначка послідовності"))
        return cls(data["seq"], uid)


@dataclass(frozen=True)
class Header:
    plan_uid: str
    plan_title: str
    device_uid: str
    device_name: str
    created_at: _dt.datetime
    base: Mark  # events after this point of the device's sequence, with the whole history of their fields
    top: Mark  # the device's sequence when the package was made
    acks: dict[str, Mark] = field(default_factory=dict)  # how far the device has each peer's changes
    devices: dict[str, str] = field(default_factory=dict)  # names of the devices the events came from
    device_key: str = ""  # the sending device's public key (hex); empty in format 1

    def to_json(self, count: int) -> dict:
        return {"plan": {"uid": self.plan_uid, "title": self.plan_title},
                "device": {"uid": self.device_uid, "name": self.device_name, "key": self.device_key},
                "created_at": self.created_at.isoformat(timespec="seconds"),
                "base": self.base.to_json(), "top": self.top.to_json(),
                "acks": {uid: mark.to_json() for uid, mark in sorted(self.acks.items())},
                "sites": dict(sorted(self.devices.items())), "events": count}  # «sites»: the file's own key

    @classmethod
    def from_json(cls, data) -> tuple["Header", int]:
        plan, device = data.get("plan"), data.get("device")
        if not isinstance(plan, dict) or not isinstance(device, dict):
            raise ValueError(tr("немає плану або пристрою"))
        texts = (plan.get("uid"), plan.get("title"), device.get("uid"), device.get("name"))
        if not all(isinstance(t, str) for t in texts) or not texts[0] or not _UID.fullmatch(texts[2]):
            raise ValueError(tr("неправильний план або пристрій"))
        acks, devices = data.get("acks"), data.get("sites")
        if not isinstance(acks, dict) or not isinstance(devices, dict) or type(data.get("events")) is not int:
            raise ValueError(tr("неправильний заголовок"))
        if not all(isinstance(k, str) and _UID.fullmatch(k) and isinstance(v, str) for k, v in devices.items()):
            raise ValueError(tr("неправильні назви пристроїв"))  # a key not a device's uid, 5,000 characters, stood
        names = [texts[1], texts[3], *devices.values()]
        if any(has_control(n) for n in names) or any(len(n) > MAX_NAME for n in [texts[3], *devices.values()]):
            raise ValueError(tr("неправильні назви пристроїв"))
        try:
            created = _dt.datetime.fromisoformat(data.get("created_at"))
        except (TypeError, ValueError):
            raise ValueError(tr("неправильний час створення")) from None
        key = device.get("key", "")
        if not isinstance(key, str) or (key and not _KEY.fullmatch(key)):
            raise ValueError(tr("неправильний ключ пристрою"))
        # the devices' names as names enter here: no marks turning their direction («Фантом\u202eсіфо» was kept, sent on
        # to every laptop, and written into the history's «пакет «…»» as its sender)
        header = cls(texts[0], texts[1], texts[2], clean_name(texts[3]), created.replace(tzinfo=None),
                     Mark.from_json(data.get("base")), Mark.from_json(data.get("top")),
                     {str(k): Mark.from_json(v) for k, v in acks.items()},
                     {uid: clean_name(name) for uid, name in devices.items()}, key)
        return header, data["events"]


@dataclass(frozen=True)
class PlanChange:
    """An amendment of the plan as it travels from the office: the plan after it, measures by uid."""

    uid: str
    decision: str
    effective: str  # "2026Q1"
    applied_at: _dt.datetime
    applied_by: str
    changes: tuple[str, ...]
    base: str  # the fingerprint of the version it was applied to (tracker.plan.amend.fingerprint)
    after: dict  # tracker.plan.amend's version form
    made_on: str = ""  # the device uid of the database that took it on its own authority ("": not known)
    made_on_signature: str = ""  # that device's signature of what it took (authority_body), hex ("": none)

    def authority_body(self) -> dict:
        """What the device named in ``made_on`` signs: the amendment, the version it was made on and the one it
        makes (by fingerprint), and the device — a relay cannot move an amendment to another device's name."""
        return {"uid": self.uid, "decision": self.decision, "effective": self.effective, "base": self.base,
                "after": hashlib.sha256(_canonical(self.after)).hexdigest(), "made_on": self.made_on}

    def to_json(self) -> dict:
        return {"uid": self.uid, "decision": self.decision, "effective": self.effective,
                "applied_at": self.applied_at.isoformat(timespec="seconds"), "applied_by": self.applied_by,
                "changes": list(self.changes), "base": self.base, "after": self.after,
                **({"made_on": self.made_on} if self.made_on else {}),
                **({"made_on_signature": self.made_on_signature} if self.made_on_signature else {})}

    @classmethod
    def from_json(cls, data) -> "PlanChange":
        if not isinstance(data, dict):
            raise ValueError(tr("зміни до плану не є об'єктом"))
        uid, texts = data.get("uid"), [data.get(k) for k in ("decision", "effective", "applied_by")]
        changes, base, made_on = data.get("changes"), data.get("base"), data.get("made_on", "")
        signed = data.get("made_on_signature", "")
        if (not (isinstance(uid, str) and _UID.fullmatch(uid)) or not all(isinstance(t, str) for t in texts)
                or not (made_on == "" or (isinstance(made_on, str) and _UID.fullmatch(made_on)))
                or not (signed == "" or (isinstance(signed, str) and _SIGNATURE.fullmatch(signed)))
                or not (isinstance(base, str) and _FINGERPRINT.fullmatch(base))
                or not isinstance(changes, list) or not all(isinstance(c, str) for c in changes)
                or any(has_control(t) or len(t) > MAX_NAME for t in texts)
                or any(len(c) > MAX_TEXT or "\r" in c for c in changes)):
            raise ValueError(tr("неправильні зміни до плану"))
        try:
            applied_at = _dt.datetime.fromisoformat(data.get("applied_at"))
        except (TypeError, ValueError):
            raise ValueError(tr("неправильний час змін до плану")) from None
        return cls(uid, texts[0], texts[1], applied_at.replace(tzinfo=None), texts[2], tuple(changes), base,
                   _checked_version(data.get("after")), made_on, signed)


def _checked_version(data) -> dict:
    """A version of the plan from a package: the shape tracker.plan.amend writes, a plan a council could adopt —
    goals, tasks and measures, numbers and codes unique, texts one line and bounded."""
    def text(value, limit=MAX_TEXT, code=False) -> str:
        if (not isinstance(value, str) or has_control(value) or "\n" in value or len(value) > limit
                or not value.strip() or (code and not _CODE.fullmatch(value))):
            raise ValueError(tr("неправильний текст плану в змінах до плану"))
        return value

    def items(node, key, at_least_one=True) -> list:
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, list) or (at_least_one and not value):
            raise ValueError(tr("неправильна будова плану в змінах до плану"))
        return value

    uids, codes, goal_codes, numbers = set(), set(), set(), set()
    result = {"title": text(data.get("title") if isinstance(data, dict) else None), "strategic_goals": []}
    for sg in items(data, "strategic_goals"):
        number = sg.get("number") if isinstance(sg, dict) else None
        if type(number) is not int or not 1 <= number <= 999 or number in numbers:
            raise ValueError(tr("неправильна будова плану в змінах до плану"))
        numbers.add(number)
        goals = []
        for og in items(sg, "operational_goals"):
            goal_code = text(og.get("code") if isinstance(og, dict) else None, MAX_NAME, code=True)
            if goal_code in goal_codes:
                raise ValueError(tr("неправильна будова плану в змінах до плану"))
            goal_codes.add(goal_code)
            tasks = []
            for task in items(og, "tasks"):
                measures = []
                for m in items(task, "measures"):
                    uid = m.get("uid") if isinstance(m, dict) else None
                    if not (isinstance(uid, str) and _UID.fullmatch(uid)) or uid in uids:
                        raise ValueError(tr("неправильний ідентифікатор заходу в змінах до плану"))
                    uids.add(uid)
                    code = text(m.get("code"), MAX_NAME, code=True)
                    if code in codes:
                        raise ValueError(tr("неправильна будова плану в змінах до плану"))
                    codes.add(code)
                    measures.append({"uid": uid, "code": code, "title": text(m.get("title")),
                                     "executors": [text(x, MAX_LABEL) for x in items(m, "executors", False)],
                                     "funding": [text(x, MAX_LABEL) for x in items(m, "funding", False)]})
                tasks.append({"title": text(task.get("title")), "measures": measures})
            goals.append({"code": goal_code, "title": text(og.get("title")), "tasks": tasks})
        result["strategic_goals"].append({"number": number, "title": text(sg.get("title")), "operational_goals": goals})
    return result


@dataclass(frozen=True)
class Package:
    header: Header
    events: list[Event]
    plan_changes: list[PlanChange] = field(default_factory=list)
    version: int = VERSION

    @property
    def signed(self) -> bool:
        return self.version >= 3


def _canonical(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def checksum(body: dict) -> str:
    return "sha256:" + hashlib.sha256(_canonical(body)).hexdigest()


def signature(body: dict, private_key: str) -> str:
    """The Ed25519 signature of everything in the file but the signature itself, by ``private_key`` (hex)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # 40 ms: not at every start

    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_key)).sign(_canonical(body)).hex()


def signature_holds(body: dict, public_key: str, signed: str) -> bool:
    if not (isinstance(signed, str) and _SIGNATURE.fullmatch(signed) and _KEY.fullmatch(public_key or "")):
        return False
    from cryptography.exceptions import InvalidSignature  # as signature()
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey  # as signature()

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(bytes.fromhex(signed), _canonical(body))
    except (InvalidSignature, ValueError):
        return False
    return True


def package_device(path: Path) -> str | None:
    """The device uid the file at ``path`` names as its sender, when it begins as a tracker package does (one written
    over before, the usual way); None for any other file. Reads no further than its first bytes — the whole file is
    read and checked only when it is imported."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16384)
        if head.startswith(_GZIP_MAGIC):
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16384)
    except (OSError, zlib.error):
        return None
    if re.match(rb'\s*\{\s*"format"\s*:\s*"' + re.escape(FORMAT.encode()) + rb'"', head) is None:
        return None
    found = re.search(rb'"device"\s*:\s*\{\s*"uid"\s*:\s*"([0-9a-f]{32})"', head)
    return found.group(1).decode() if found else None


def write_package(path: str | Path, header: Header, events: list[Event],
                  plan_changes: list[PlanChange] = (), *, private_key: str) -> Path:
    """Sign the package with the device's ``private_key`` (the header names its public key), write it next to its
    final name and move it there, so no half file is left."""
    unwritable = not_a_target(path)
    if unwritable:
        raise PackageError(unwritable)
    path = Path(path)
    body = {"format": FORMAT, "version": VERSION, "header": header.to_json(len(events)),
            "events": [e.to_json() for e in events], "plan_amendments": [c.to_json() for c in plan_changes]}
    document = dict(body, signature=signature(body, private_key))
    data = gzip.compress(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"), mtime=0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, data, ".exchange-")
    except OSError as exc:
        raise PackageError(tr("Не вдалося записати пакет змін у «{path}»: {reason}. "
                              "Перевірте, що тека існує і в неї можна писати.",
                              path=path, reason=os_reason(exc))) from exc
    return path


def read_package(path: str | Path) -> Package:
    """Read and check a package file; PackageError, saying what to do, when it cannot be trusted."""
    path = Path(path)
    name = path.name
    damaged = tr("Файл «{name}» пошкоджений або обрізаний: це не цілий пакет змін. "
                 "Попросіть надіслати пакет ще раз. Нічого не змінено.", name=name)
    unreadable = not_a_file(path)
    if unreadable:
        raise PackageError(unreadable + " " + tr("Нічого не змінено."))
    try:
        with path.open("rb") as handle:  # no more than its size said (a file written meanwhile reads as damaged)
            raw = handle.read(min(path.stat().st_size, MAX_FILE_BYTES) + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise PackageError(tr("Файл «{name}» завеликий для пакета змін. Нічого не змінено.", name=name))
    except OSError as exc:
        raise PackageError(tr("Не вдалося прочитати файл «{name}»: {reason}.", name=name, reason=os_reason(exc))) from exc
    if raw.startswith(b"PK\x03\x04"):  # a zip: a workbook or a Word document, not damage
        raise PackageError(tr("Файл «{name}» — книга Excel чи документ Word, а не пакет змін. Заповнений звіт "
                              "імпортують як звіт (Звіт → Імпорт заповненого звіту…). Нічого не змінено.", name=name))
    if raw.startswith(_GZIP_MAGIC):
        raw = _gunzip(raw, damaged)
    if len(raw) > MAX_JSON_BYTES or raw.count(b"{") + raw.count(b"[") > MAX_CONTAINERS:
        raise PackageError(tr("Пакет змін розпаковується в підозріло великий обсяг; його не відкрито. "
                              "Нічого не змінено."))
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested past any real package
        raise PackageError(damaged) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PackageError(tr("Файл «{name}» не є пакетом змін трекера. Нічого не змінено.", name=name))
    if document.get("version") not in READABLE:
        raise PackageError(tr("Пакет «{name}» створено іншою версією програми (формат {version}); "
                              "оновіть програму на обох комп'ютерах. Нічого не змінено.",
                              name=name, version=repr(document.get("version"))))
    version = document["version"]
    if version >= 3:
        body = {k: v for k, v in document.items() if k != "signature"}
        header_data = document.get("header")
        device = header_data.get("device") if isinstance(header_data, dict) else None
        key = device.get("key", "") if isinstance(device, dict) else ""
        if not signature_holds(body, key if isinstance(key, str) else "", document.get("signature")):
            raise PackageError(tr("Пакет «{name}» змінено або пошкоджено після створення: підпис не збігається. "
                                  "Такий пакет не приймається; попросіть створити його ще раз. Нічого не змінено.",
                                  name=name))
    else:
        body = {k: v for k, v in document.items() if k != "checksum"}
        if document.get("checksum") != checksum(body):
            raise PackageError(tr("Пакет «{name}» змінено або пошкоджено після створення: контрольна сума не "
                                  "збігається. Такий пакет не приймається; попросіть створити його ще раз. "
                                  "Нічого не змінено.", name=name))
    try:
        header, count = Header.from_json(document.get("header") or {})
        items = document.get("events")
        if not isinstance(items, list) or len(items) != count:
            raise ValueError(tr("кількість подій не збігається із заголовком"))
        events = []
        for number, item in enumerate(items, 1):
            try:
                events.append(Event.from_json(item))
            except ValueError as exc:
                raise ValueError(tr("подія {number}: {reason}", number=number, reason=exc)) from None
        if len({e.uid for e in events}) != len(events):
            raise ValueError(tr("події повторюються"))
        if version >= 3 and not header.device_key:
            raise ValueError(tr("неправильний ключ пристрою"))
        if version >= 2 and any(e.measure_uid is None for e in events):
            raise ValueError(tr("подія без ідентифікатора заходу"))
        changes = document.get("plan_amendments", []) if version >= 2 else []
        if not isinstance(changes, list):
            raise ValueError(tr("неправильні зміни до плану"))
        plan_changes = [PlanChange.from_json(item) for item in changes]
    except (ValueError, AttributeError, TypeError, OverflowError, ArithmeticError) as exc:
        raise PackageError(tr("Пакет «{name}» має неправильний вміст ({reason}). Нічого не змінено.",
                              name=name, reason=exc)) from None
    return Package(header, events, plan_changes, version)


def _no_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are no JSON numbers, and no package writes them


def _gunzip(raw: bytes, damaged: str) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(raw, MAX_JSON_BYTES + 1)
    except zlib.error:
        raise PackageError(damaged) from None
    if len(data) > MAX_JSON_BYTES:
        raise PackageError(tr("Пакет змін розпаковується в підозріло великий обсяг; його не відкрито. "
                              "Нічого не змінено."))
    if not decompressor.eof or decompressor.unused_data:
        raise PackageError(damaged)  # truncated, or something glued after the end
    return data
