"""Signed packages and trusted devices: forgeries are refused with nothing written (tracker.exchange.trust)."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from tests.tracker.exchange.exchange_devices import nothing_changes, signing_key
from tests.tracker.exchange.test_sync import Q1, Q2, save, send, value
from tracker.cli.commands import main as cli_main
from tracker.errors import TrackerError
from tracker.exchange import package as P
from tracker.exchange.sync import export_package, import_package, restored_text
from tracker.exchange.trust import (
    UntrustedDevice,
    key_fingerprint,
    revoke,
    revoked_key_text,
    trust_package,
    trusted_devices,
)
from tracker.storage.backup import list_backups
from tracker.storage.device import new_device_identity, this_device
from tracker.storage.models import History, TrustedDevice


def _document(path):
    return json.loads(gzip.decompress(path.read_bytes()))


def _body(path):
    """The package's signed part, to be altered and signed again."""
    return {k: v for k, v in _document(path).items() if k != "signature"}


def _write(path, document):
    path.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode()))
    return path


def _signed(path, body, private_key):
    return _write(path, dict(body, signature=P.signature(body, private_key)))


def _other_key() -> tuple[str, str]:
    key = Ed25519PrivateKey.generate()
    return (key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex(),
            key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()).hex())


@pytest.fixture
def laptop_package(laptop, tmp_path):
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30)
        export_package(tmp_path / "laptop.pkg", "ноутбук")
    return tmp_path / "laptop.pkg"


def _refused(device, path, error, match):
    with device:
        with nothing_changes():
            with pytest.raises(error, match=match):
                import_package(path, "Оля")


def test_a_package_edited_and_given_a_recomputed_checksum_is_refused(office, laptop_package, tmp_path):
    document = _document(laptop_package)
    [event] = [e for e in document["events"] if e["field"] == "percent"]
    event["new"], event["by"] = "100", "Мер міста"  # the old attack: credit the mayor, recompute the checksum
    body = {k: v for k, v in document.items() if k != "signature"}
    _refused(office, _write(tmp_path / "a.pkg", dict(body, checksum=P.checksum(body))), TrackerError,
             "підпис не збігається")
    downgraded = dict(body, version=1)  # or claim to be an unsigned package of the old format
    _refused(office, _write(tmp_path / "b.pkg", dict(downgraded, checksum=P.checksum(downgraded))), TrackerError,
             "без підпису, але називає пристрій «ноутбук», що підписує свої пакети: це підробка")


def test_a_package_signed_by_another_key_than_the_device_it_names_is_refused(office, laptop_package, tmp_path):
    document = _document(laptop_package)
    body = {k: v for k, v in document.items() if k != "signature"}
    public, private = _other_key()
    _refused(office, _signed(tmp_path / "a.pkg", body, private), TrackerError, "підпис не збігається")  # key named
    body["header"]["device"]["key"] = public  # the forger's own key, under the laptop's name and uid
    _refused(office, _signed(tmp_path / "b.pkg", body, private), TrackerError, "не його ключем")


def test_an_acknowledgement_moved_between_packages_is_refused(office, laptop, standalone, laptop_package, tmp_path):
    """A forged «I have all your changes» made the office stop sending them to a real laptop."""
    with office:
        save("2.2.11", Q1, "Оля", status="in_progress", percent=5)
        export_package(tmp_path / "office.pkg", "офіс")
    with laptop:
        import_package(tmp_path / "office.pkg", "Петро")
        export_package(tmp_path / "laptop-acks.pkg", "ноутбук")
    with standalone:
        export_package(tmp_path / "standalone.pkg", "ноутбук Б")
    acks = _document(tmp_path / "laptop-acks.pkg")["header"]["acks"]
    forged = _document(tmp_path / "standalone.pkg")
    forged["header"]["acks"] = acks
    _refused(office, _write(tmp_path / "forged.pkg", forged), TrackerError, "підпис не збігається")


def test_an_unknown_device_is_refused_until_trusted_then_revoked(office, tmp_path, bundled_template):
    from tests.tracker.exchange.exchange_devices import device_from

    stranger = device_from(bundled_template, "stranger", tmp_path)  # set up on its own: nobody trusts it
    with stranger:
        save("1.2.8", Q1, "Ірина", status="in_progress", percent=40)
        export_package(tmp_path / "stranger.pkg", "ноутбук В")
        fingerprint = key_fingerprint(this_device().public_key)
    with office:
        copies = list_backups()
        with nothing_changes():
            with pytest.raises(UntrustedDevice) as refused:
                import_package(tmp_path / "stranger.pkg", "Оля")
        assert list_backups() == copies  # refused: no «перед імпортом» copy left to push older ones out
        assert refused.value.fingerprint == fingerprint and fingerprint in str(refused.value)
        assert "ноутбук В" in str(refused.value)
        info = trust_package(tmp_path / "stranger.pkg", "Оля")
        assert info.fingerprint == fingerprint and info.trusted_by == "Оля"
        assert import_package(tmp_path / "stranger.pkg", "Оля").applied == 2
        assert value("1.2.8", Q1, "percent") == 40
        listed = {d.name: d for d in trusted_devices()}
        assert listed["ноутбук В"].last_package_at is not None and next(d for d in trusted_devices()).own
        revoke("ноутбук В", "Оля")
    with stranger:
        save("1.2.8", Q1, "Ірина", percent=60)
        export_package(tmp_path / "later.pkg", "ноутбук В")
    _refused(office, tmp_path / "later.pkg", TrackerError, "більше не довіряє")


def test_a_copy_trusts_its_original_and_a_restored_device_is_asked_about_again(office, laptop, tmp_path):
    with office:
        office_uid = this_device().uid
    with laptop:
        assert office_uid in {d.uid for d in trusted_devices() if not d.own}  # from the start
        fingerprint = key_fingerprint(this_device().public_key)
        new_device_identity()  # as after a restore: a new uid, the same key
        save("1.2.8", Q1, "Петро", status="in_progress", percent=35)
        export_package(tmp_path / "after-restore.pkg", "ноутбук")
    with office:
        # a trusted key under another uid could as well be a trusted device posing as another: asked again,
        # with the same fingerprint to compare
        with pytest.raises(UntrustedDevice) as asked:
            import_package(tmp_path / "after-restore.pkg", "Оля")
        assert asked.value.fingerprint == fingerprint
        trust_package(tmp_path / "after-restore.pkg", "Оля")
        assert import_package(tmp_path / "after-restore.pkg", "Оля").applied == 2


def test_a_trusted_device_cannot_take_another_devices_place(office, laptop, standalone, tmp_path):
    """Signed by the standalone laptop's own (trusted) key, a package naming the other laptop's uid and claiming to
    have all of the office's changes is refused: the office goes on sending them to the real laptop."""
    with laptop:
        laptop_uid = this_device().uid
    with standalone:
        public, private = signing_key()
        export_package(tmp_path / "standalone.pkg", "ноутбук Б")
    body = _body(tmp_path / "standalone.pkg")
    body["header"]["device"].update(uid=laptop_uid, key=public)
    _refused(office, _signed(tmp_path / "posing.pkg", body, private), TrackerError, "не його ключем")


def test_an_unsigned_package_under_a_signing_devices_name_is_a_forgery(office, laptop_package, tmp_path):
    body = _body(laptop_package)
    body["version"] = 1
    body["header"]["device"].pop("key")
    for event in body["events"]:
        event.pop("measure_uid")
    path = _write(tmp_path / "old.pkg", dict(body, checksum=P.checksum(body)))
    with office:
        with nothing_changes():
            with pytest.raises(TrackerError, match="підробка"):
                import_package(path, "Оля", allow_unsigned=True)  # even when a person would let it in


def test_an_unsigned_package_cannot_carry_a_signing_devices_changes(office, laptop, laptop_package, tmp_path):
    """An unsigned package under a name of its own, its change said to be made on the trusted laptop: taken, it
    stood in the office's history as the laptop's, travelled on under the office's signature, and the laptop then
    refused every office package for a change «made here» it did not have."""
    with laptop:
        laptop_uid = this_device().uid
    body = _body(laptop_package)
    body["version"] = 1
    body["header"]["device"] = {"uid": "f" * 32, "name": "Старий ноутбук"}
    body["header"]["sites"] = {"f" * 32: "Старий ноутбук"}
    body["header"]["base"] = {"seq": 0, "uid": None}
    for event in body["events"]:
        event.pop("measure_uid")
        event.update(uid=event["uid"][::-1], parents=[], by="Петро з ноутбука")
    assert {e["site"] for e in body["events"]} == {laptop_uid}
    path = _write(tmp_path / "old.pkg", dict(body, checksum=P.checksum(body)))
    with office:
        with nothing_changes():
            with pytest.raises(TrackerError, match="нібито зроблених на пристроях, що підписують свої пакети"):
                import_package(path, "Оля", allow_unsigned=True)


def test_a_package_cannot_rename_other_devices(office, laptop, standalone, tmp_path):
    with laptop:
        laptop_uid = this_device().uid
        export_package(tmp_path / "laptop.pkg", "ноутбук А")
    with office:
        import_package(tmp_path / "laptop.pkg", "Оля")
    with standalone:
        public, private = signing_key()
        export_package(tmp_path / "standalone.pkg", "ноутбук Б")
    body = _body(tmp_path / "standalone.pkg")
    body["header"]["sites"][laptop_uid] = "Невідомий ноутбук"
    with office:
        import_package(_signed(tmp_path / "renaming.pkg", body, private), "Оля")
        assert {d.uid: d.name for d in trusted_devices()}[laptop_uid] == "ноутбук А"
        from tracker.storage.models import ExchangePeer
        assert ExchangePeer.get(ExchangePeer.device_uid == laptop_uid).name == "ноутбук А"


@pytest.mark.parametrize("where", ["top", "base"])
def test_a_sequence_number_past_any_database_is_refused(office, laptop, laptop_package, tmp_path, where):
    with laptop:
        _, private = signing_key()
    body = _body(laptop_package)
    body["header"][where]["seq"] = 2 ** 70  # signed by the trusted laptop itself
    _refused(office, _signed(tmp_path / "odd.pkg", body, private), TrackerError, "неправильний вміст")


def test_a_signature_with_anything_added_is_refused(office, laptop_package, tmp_path):
    document = _document(laptop_package)
    document["signature"] += "\n"
    _refused(office, _write(tmp_path / "padded.pkg", document), TrackerError, "підпис не збігається")


def test_a_revoked_device_can_be_trusted_again_and_revoking_needs_a_name(office, laptop, laptop_package, tmp_path):
    with laptop:
        laptop_uid = this_device().uid
    with office:
        with pytest.raises(TrackerError, match="немає"):
            revoke("  ", "Оля")
        revoke(laptop_uid[:6], "Оля")
        with pytest.raises(TrackerError, match="більше не довіряє"):
            import_package(laptop_package, "Оля")
        trust_package(laptop_package, "Оля")
        assert import_package(laptop_package, "Оля").applied == 2


def test_a_package_naming_this_very_database_but_signed_otherwise_is_refused(office, laptop_package, tmp_path):
    with office:
        own = this_device()
    body = _body(laptop_package)
    public, private = _other_key()
    body["header"]["device"].update(uid=own.uid, key=public)
    _refused(office, _signed(tmp_path / "a.pkg", body, private), TrackerError, "підробка")


def test_the_command_line_trusts_lists_and_revokes(office, tmp_path, bundled_template, capsys):
    from tests.tracker.exchange.exchange_devices import device_from

    stranger = device_from(bundled_template, "stranger", tmp_path)
    assert cli_main(["--db", str(stranger.path), "exchange", "devices"]) == 0
    out = capsys.readouterr().out  # it had said «Ця база: «—»»
    assert "Ця база: ще без назви" in out and "Довірених пристроїв ще немає" not in out  # it trusts the office
    with stranger:
        export_package(tmp_path / "stranger.pkg", "ноутбук В")
    office_db = str(office.path)
    assert cli_main(["--db", office_db, "exchange", "import", str(tmp_path / "stranger.pkg")]) == 1
    assert "tracker exchange trust" in capsys.readouterr().err
    assert cli_main(["--db", office_db, "exchange", "trust", str(tmp_path / "stranger.pkg"), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Відбиток ключа" in out and "довіряємо" in out
    assert cli_main(["--db", office_db, "exchange", "import", str(tmp_path / "stranger.pkg")]) == 0
    assert cli_main(["--db", office_db, "exchange", "devices"]) == 0
    assert "«ноутбук В»" in capsys.readouterr().out
    assert cli_main(["--db", office_db, "exchange", "revoke", "ноутбук В"]) == 0
    assert cli_main(["--db", office_db, "exchange", "import", str(tmp_path / "stranger.pkg")]) == 1
    assert "більше не довіряє" in capsys.readouterr().err


def test_signing_keys_are_made_once_and_anew_for_a_copy(office, laptop):
    with office:
        first = signing_key()
        assert signing_key() == first
    with laptop:
        assert signing_key()[0] != first[0]


def test_a_copy_of_the_office_file_takes_its_own_key_when_opened_before_any_backup_copies_it(plan, tmp_path):
    import sqlite3

    from tracker.storage.backup import auto_backup
    from tracker.storage.db import close_database, open_database

    def keys(path):
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT uid, private_key FROM site").fetchall()

    office = this_device()
    close_database()
    [(office_uid, office_key)] = keys(tmp_path / "tracker.sqlite3")
    laptop = tmp_path / "laptop" / "tracker.sqlite3"
    laptop.parent.mkdir()
    shutil.copyfile(tmp_path / "tracker.sqlite3", laptop)
    open_database(laptop)
    start_copy = auto_backup("start")  # what the window does right after opening
    close_database()
    for path in (laptop, start_copy):
        [(uid, key)] = keys(path)
        assert uid != office_uid and key and key != office_key
    open_database(laptop)
    assert TrustedDevice.get(TrustedDevice.device_uid == office.uid).public_key == office.public_key


def _office_package_is_taken(office_file, laptop_file, tmp_path, capsys) -> None:
    """The office saves 1.2.8 for 2025Q1 and sends a package; the laptop takes it (the command line, as a clerk)."""
    assert cli_main(["--db", str(office_file), "set", "1.2.8", "--quarter", "2025Q1", "--status", "in_progress",
                     "--percent", "40"]) == 0
    package = tmp_path / "office.pkg"
    assert cli_main(["--db", str(office_file), "exchange", "export", "-o", str(package)]) == 0
    capsys.readouterr()
    assert cli_main(["--db", str(laptop_file), "exchange", "import", str(package)]) == 0, capsys.readouterr().err


def test_a_laptop_copied_from_the_office_file_right_after_init_trusts_the_office(tmp_path, capsys):
    """``tracker init``, then the file copied to the laptops before anything was saved: the office's identity was
    made at its first save, so the copy knew no office, and the office's first package was refused as a stranger's."""
    office_file = tmp_path / "office.sqlite3"
    assert cli_main(["--db", str(office_file), "init"]) == 0
    laptop_file = tmp_path / "laptop" / "office.sqlite3"
    laptop_file.parent.mkdir()
    shutil.copyfile(office_file, laptop_file)
    _office_package_is_taken(office_file, laptop_file, tmp_path, capsys)
    from tracker.plan.store import current_plan
    from tracker.progress.records import find_measure, quarter_record
    from tracker.storage.db import close_database, open_database

    open_database(laptop_file)
    try:
        assert quarter_record(find_measure(current_plan(), "1.2.8"), Q1).percent == 40
    finally:
        close_database()



def test_changes_said_to_be_made_here_that_this_database_does_not_have_are_not_taken(office, laptop, laptop_package,
                                                                                       tmp_path):
    """A trusted laptop's key signed events under the office's own device uid — their acknowledgement pointing at
    one of them, as a laptop put back from an older copy of itself receives from its office: a conflict showed them
    as the office's own side; then the office took them and a new identity. Not taken; nor the rest refused."""
    from tracker.exchange.sync import disowned_text
    from tracker.storage.models import History

    with office:
        office_uid = this_device().uid
    document = _document(laptop_package)
    body = {k: v for k, v in document.items() if k != "signature"}
    posing = body["events"][:2]
    for event in posing:
        event["site"] = office_uid
    body["header"]["acks"][office_uid] = {"seq": 1, "uid": posing[-1]["uid"]}
    with laptop:
        public, private = signing_key()
    with office:
        result = import_package(_signed(tmp_path / "posing.pkg", body, private), "Оля")
        assert result.disowned == 2 and not result.restored and this_device().uid == office_uid
        assert "Їх не взято" in disowned_text(result)
        assert not History.select().where(History.event_uid.in_([e["uid"] for e in posing])).exists()
        assert result.recorded == len(body["events"]) - 2  # the laptop's own changes: taken


class _OlderCopy:
    """A copy of a device's file (closed: whole by itself) kept aside, to be put back in its place later by hand, as
    a clerk does with Explorer, «Previous Versions» or a stick."""

    def __init__(self, device, folder):
        self.device, self.path = device, folder / f"{device.name}-older.sqlite3"
        shutil.copyfile(device.path, self.path)

    def put_back(self) -> None:
        shutil.copyfile(self.path, self.device.path)


def test_a_laptop_put_back_from_an_older_copy_of_its_file_takes_back_what_it_had_sent(office, laptop, tmp_path):
    """A clerk's «restore» by copying the file back (Explorer, «Previous Versions»): the copy kept its identity, and
    every office package since carried this laptop's later changes it no longer had — refused as forged, for good."""
    with laptop:
        save("1.5.1", Q1, "Петро", status="in_progress", percent=10)
    send(laptop, office, tmp_path)
    send(office, laptop, tmp_path)
    older = _OlderCopy(laptop, tmp_path)
    with laptop:
        old_uid, old_key = this_device().uid, this_device().public_key
        save("1.5.2", Q1, "Петро", status="in_progress", percent=20)
    send(laptop, office, tmp_path)
    older.put_back()
    with office:
        save("1.5.3", Q1, "Оля", status="in_progress", percent=30)
    result = send(office, laptop, tmp_path)
    assert result.put_back and result.restored == 2 and result.applied == 4  # 1.5.2's status and percent; 1.5.3's
    assert "Пакет повернув їх: змін — 2, заходів — 1." in restored_text(result)  # it counted changes as if measures
    with laptop:
        assert (value("1.5.2", Q1, "percent"), value("1.5.3", Q1, "percent")) == (20, 30)
        assert this_device().uid != old_uid and this_device().public_key == old_key
        save("1.5.4", Q1, "Петро", status="in_progress", percent=40)
        export_package(tmp_path / "after.pkg", "laptop")
    with office:  # a new identity under the same key: asked about again, the same fingerprint shown
        with pytest.raises(UntrustedDevice) as asked:
            import_package(tmp_path / "after.pkg", "Оля")
        assert asked.value.fingerprint == key_fingerprint(old_key)
        trust_package(tmp_path / "after.pkg", "Оля")
        assert import_package(tmp_path / "after.pkg", "Оля").applied == 2
        assert value("1.5.4", Q1, "percent") == 40 and value("1.5.2", Q1, "percent") == 20


def test_a_laptop_put_back_after_it_had_confirmed_the_office_s_package_is_told_and_takes_a_full_one(office, laptop,
                                                                                                     tmp_path):
    """Put back after a round trip, the office's next package held none of the lost changes: the laptop said «all of
    it is here already», kept its identity, and its lost changes never came back."""
    older = _OlderCopy(laptop, tmp_path)
    with laptop:
        old_uid = this_device().uid
        save("1.1.1", Q1, "Петро", status="in_progress", percent=10)
    send(laptop, office, tmp_path)
    with office:
        save("1.1.2", Q1, "Оля", status="in_progress", percent=20)
    send(office, laptop, tmp_path)
    send(laptop, office, tmp_path)  # the office now has the laptop's confirmation of its package
    older.put_back()
    result = send(office, laptop, tmp_path)
    assert result.put_back and result.restored == 0
    with laptop:
        assert this_device().uid != old_uid and value("1.1.1", Q1, "percent") is None
    with office:
        export_package(tmp_path / "full.pkg", "office", full=True)
    with laptop:
        again = import_package(tmp_path / "full.pkg", "Петро")
        assert not again.put_back and not again.disowned
        assert (value("1.1.1", Q1, "percent"), value("1.1.2", Q1, "percent")) == (10, 20)


def test_a_laptop_put_back_that_sends_a_package_first_is_told_by_the_office_s_next_one(office, laptop, tmp_path):
    """Put back, it went on working and sent its package before taking one: the office's confirmation then named
    a change the copy has again, the lost ones were refused for good — even from a package with all changes."""
    with laptop:
        save("1.1.1", Q1, "Петро", status="in_progress", percent=10)
    send(laptop, office, tmp_path)
    send(office, laptop, tmp_path)
    older = _OlderCopy(laptop, tmp_path)
    with laptop:
        old_uid = this_device().uid
        save("1.1.2", Q1, "Петро", status="in_progress", percent=30)
    send(laptop, office, tmp_path)
    older.put_back()
    with laptop:
        save("1.1.5", Q1, "Петро", status="in_progress", percent=35)  # on it goes, not knowing
    send(laptop, office, tmp_path)
    result = send(office, laptop, tmp_path)
    assert result.put_back and not result.disowned
    with laptop:
        assert this_device().uid != old_uid
        assert [value(code, Q1, "percent") for code in ("1.1.1", "1.1.2", "1.1.5")] == [10, 30, 35]


def test_changes_posing_as_another_laptop_s_are_not_taken_nor_relayed_to_it(office, laptop, standalone, tmp_path):
    """A trusted laptop's key signed changes under another laptop's uid: the office took them as that laptop's
    (under a name of the forger's choosing, over the office's value with no conflict), and relayed them to it —
    where they had stood as its own, or cut it off every office package after. Not signed by that laptop, they
    are left out at the office, said; the rest of the package is taken."""
    from tracker.exchange.sync import unproven_text

    with standalone:
        victim = this_device().uid
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30)
        save("1.1.1", Q1, "Петро", status="in_progress", percent=15)
        export_package(tmp_path / "laptop.pkg", "ноутбук")
        public, private = signing_key()
    body = _body(tmp_path / "laptop.pkg")
    measure = {e["measure"]: e["measure_uid"] for e in body["events"]}["1.2.8"]
    posing = [e for e in body["events"] if e["measure_uid"] == measure]
    for event in posing:
        event["site"], event["by"] = victim, "Староста Іваненко"
    with office:
        result = import_package(_signed(tmp_path / "posing.pkg", body, private), "Оля")
        assert result.unproven == 2 and "не підписаних ним" in unproven_text(result)
        assert not History.select().where(History.event_uid.in_([e["uid"] for e in posing])).exists()
        assert value("1.2.8", Q1, "percent") is None and value("1.1.1", Q1, "percent") == 15  # its own: taken
        save("1.5.3", Q1, "Оля", status="in_progress", percent=30)
        export_package(tmp_path / "office.pkg", "office")
    with standalone:
        result = import_package(tmp_path / "office.pkg", "Марія")
        assert result.disowned == 0 and not result.put_back and this_device().uid == victim
        assert value("1.5.3", Q1, "percent") == 30 and value("1.2.8", Q1, "percent") is None


def test_a_revoked_device_s_changes_are_not_taken_through_another_device(office, laptop, standalone, tmp_path):
    """Revoking a stolen laptop refused its own packages, but its changes came in through another laptop that took
    its package: the office's record held the thief's note, in the thief's name. Now they are left out and said; the
    relaying laptop's own changes, and what the revoked one sent while it was trusted, stay."""
    from tracker.exchange.sync import revoked_text

    with standalone:
        save("1.1.1", Q1, "Марія", status="in_progress", percent=15)
        stolen = this_device().uid
    send(standalone, office, tmp_path)
    with office:
        revoke(stolen[:8], "Оля")
    with standalone:
        save("1.2.4", Q1, "Крадій", status="in_progress", percent=7, note="відкликаний через ноутбук")
    send(standalone, laptop, tmp_path)  # the laptop still trusts it
    with laptop:
        assert value("1.2.4", Q1, "percent") == 7
        save("1.5.3", Q1, "Петро", status="in_progress", percent=40)
    result = send(laptop, office, tmp_path)
    assert result.revoked == 3 and result.revoked_devices == ("standalone",)
    said = revoked_text(result)
    assert "«standalone»" in said and "3" in said and "відкликано" in said
    with office:
        assert value("1.2.4", Q1, "percent") is None and value("1.2.4", Q1, "note") is None
        assert not History.select().where(History.changed_by == "Крадій").exists()
        assert value("1.5.3", Q1, "percent") == 40 and value("1.1.1", Q1, "percent") == 15
        assert import_package(tmp_path / next(p.name for p in tmp_path.glob("laptop-*.pkg")), "Оля").revoked == 3


def test_device_names_a_package_tells_enter_without_direction_marks_and_only_under_uids(office, laptop, tmp_path):
    """A trusted laptop's package named devices under keys that were no device's uid (5,000 characters) and with
    marks turning the text's direction («Фантом\u202eсіфо»): kept, and sent on to every laptop. Now a key not a uid
    refuses the package, nothing changed, and names enter without the marks."""
    from tracker.storage.models import ExchangePeer

    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30)
        export_package(tmp_path / "laptop.pkg", "ноут\u202eбук")
        public, private = signing_key()
    body = _body(tmp_path / "laptop.pkg")
    body["header"]["sites"]["x" * 5000] = "Офіс (справжній)"
    _refused(office, _signed(tmp_path / "keys.pkg", body, private), TrackerError, "неправильні назви пристроїв")
    del body["header"]["sites"]["x" * 5000]
    phantom = "0123456789abcdef" * 2
    body["header"]["sites"][phantom] = "Фантом\u202eсіфо"
    body["header"]["device"]["name"] = "ноут\u202eбук\u200f"  # the sender's own, as its history's «пакет «…»»
    for event in body["events"]:
        event["by"] = "\u202eПетро\u2066x\u2069"  # kept as signed, shown without the marks
    with office:
        import_package(_signed(tmp_path / "names.pkg", body, private), "Оля")
        names = {p.device_uid: p.name for p in ExchangePeer.select()}
        assert names[phantom] == "Фантомсіфо"
        assert {r.origin for r in History.select().where(History.origin.contains("ноут"))} == {"пакет «ноутбук»"}
        from tracker.progress.records import author_of

        assert {author_of(r) for r in History.select().where(History.changed_by.contains("Петро"))} == {"Петроx"}
        assert "ноутбук" in names.values()
        assert "ноутбук" in [d.name for d in trusted_devices()]
        assert not any("\u202e" in d.name for d in trusted_devices())


def test_a_change_the_rules_refuse_makes_no_record_of_values_nobody_sent(office, laptop, tmp_path):
    """A trusted laptop's package said «Виконано» with 40 % for a quarter the office had no record of: the office made
    the record with 40 % and the status of the quarter before, carried, written as its own change in the laptop
    person's name («тут: Виконується (Ноутбук Іван)»). Now the record is not made of values nobody sent: both
    changes wait as conflicts, and the history holds only the laptop's own."""
    with office:
        save("1.1.1", Q1, "Оля", status="in_progress", percent=20)
    send(office, laptop, tmp_path)
    with laptop:
        save("1.1.1", Q2, "Іван", status="done", percent=100)
        export_package(tmp_path / "laptop.pkg", "ноутбук")
        public, private = signing_key()
    body = _body(tmp_path / "laptop.pkg")
    for event in body["events"]:
        if event["field"] == "percent" and event["quarter"] == 2:
            event["new"] = "40"
    with office:
        own = this_device().uid
        import_package(_signed(tmp_path / "rule.pkg", body, private), "Оля")
        assert value("1.1.1", Q2, "status") is None and value("1.1.1", Q2, "percent") is None
        assert not History.select().where((History.device_uid == own) & (History.quarter == 2)).exists()
        from tracker.exchange.sync import list_conflicts

        assert {c.field for c in list_conflicts()} == {"status", "percent"}  # a person decides


def test_changes_dated_when_none_can_be_made_are_taken_and_said(office, laptop, tmp_path):
    """A laptop's clock at 9999 or at year 1 (or a forged package) made its changes the newest, or the oldest, of
    every conflict, unsaid; a time with an offset had the offset dropped unsaid. Now such dates are said (the changes
    are taken: refused, the laptop's updates would be lost for good), and an offset refuses the package."""
    from tracker.exchange.sync import odd_times_text

    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30)
        save("1.1.1", Q1, "Петро", status="in_progress", percent=10)
        export_package(tmp_path / "laptop.pkg", "ноутбук")
        public, private = signing_key()
    body = _body(tmp_path / "laptop.pkg")
    for event in body["events"]:
        event["at"] = "9999-12-31T23:59:59" if event["measure"] == "1.2.8" else event["at"]
    with office:
        result = import_package(_signed(tmp_path / "future.pkg", body, private), "Оля")
        assert result.odd_times == 2 and result.odd_time.year == 9999
        assert "31.12.9999" in odd_times_text(result) and "годинник" in odd_times_text(result).lower()
        assert value("1.2.8", Q1, "percent") == 30 and value("1.1.1", Q1, "percent") == 10
    body["events"][0]["at"] = "2025-01-01T00:00:00+14:00"
    _refused(office, _signed(tmp_path / "offset.pkg", body, private), TrackerError, "неправильний час зміни")


def test_a_revoked_key_under_a_new_uid_is_asked_about_with_a_warning(office, standalone, tmp_path):
    """A revoked laptop put back from a copy of itself takes a new uid and keeps its key: it was offered for trust as
    any new device, and trusted, everything it made after the revoking came in. Trust is still a person's decision,
    now made knowing it."""
    with standalone:
        stolen = this_device().uid
        export_package(tmp_path / "first.pkg", "standalone")
    with office:
        import_package(tmp_path / "first.pkg", "Оля")
        assert revoked_key_text(P.read_package(tmp_path / "first.pkg").header) == ""  # trusted, not revoked
        revoke(stolen[:8], "Оля")
    with standalone:
        new_device_identity()  # as a restore from a copy of itself does
        save("1.1.6", Q1, "Злодій", status="in_progress", percent=5)
        export_package(tmp_path / "again.pkg", "standalone")
    with office:
        with nothing_changes():
            with pytest.raises(UntrustedDevice) as refused:
                import_package(tmp_path / "again.pkg", "Оля")
        assert "довіру до цього ключа тут відкликано" in str(refused.value) and refused.value.revoked
        trust_package(tmp_path / "again.pkg", "Оля")  # the person's decision, made knowing it
        import_package(tmp_path / "again.pkg", "Оля")
        assert value("1.1.6", Q1, "percent") == 5


def test_a_laptop_s_changes_relayed_by_the_office_carry_its_own_signature(office, laptop, standalone, tmp_path):
    """The office passes each laptop's changes on to the others, each signed where it was made: taken there, and a
    signature tampered with on the way is not."""
    with laptop:
        save("1.2.8", Q1, "Петро", status="in_progress", percent=30)
    send(laptop, office, tmp_path)
    with office:
        export_package(tmp_path / "office.pkg", "office")
    document = _document(tmp_path / "office.pkg")
    relayed = [e for e in document["events"] if e["site"] != document["header"]["device"]["uid"]]
    assert relayed and all(len(e.get("signature", "")) == 128 for e in relayed)
    body = {k: v for k, v in document.items() if k != "signature"}
    for event in body["events"]:
        if event in relayed and event["field"] == "percent":
            event["new"] = "90"  # the office's key signs the package again: the laptop's signature no longer holds
    with office:
        public, private = signing_key()
    with standalone:
        result = import_package(_signed(tmp_path / "altered.pkg", body, private), "Марія")
        assert result.unproven == 2  # the altered percent, and the status saved with it
        assert value("1.2.8", Q1, "status") is None and value("1.2.8", Q1, "percent") is None
        import_package(tmp_path / "office.pkg", "Марія")  # as the office sent it
        assert value("1.2.8", Q1, "percent") == 30


def test_unsigned_changes_of_a_known_device_are_taken_from_the_office_only(office, laptop, standalone, tmp_path):
    """Changes taken before changes were signed travel unsigned: the office's word for them is taken by the laptops
    copied from it (it passes them on as it always did), a laptop's word is not — it could have written them."""
    def unsigned(package, name):
        body = _body(package)
        for event in body["events"]:
            event.pop("signature", None)  # as an earlier version kept and sent them
        return _signed(tmp_path / name, body, signing_key()[1])

    with standalone:
        save("1.2.8", Q1, "Марія", status="in_progress", percent=30)
    send(standalone, office, tmp_path)
    with office:
        save("1.5.3", Q1, "Оля", status="in_progress", percent=40)
        export_package(tmp_path / "office.pkg", "office")
        from_office = unsigned(tmp_path / "office.pkg", "office-unsigned.pkg")
    with laptop:  # a copy of the office: its word is taken
        result = import_package(from_office, "Петро")
        assert result.unproven == 0 and value("1.2.8", Q1, "percent") == 30 and value("1.5.3", Q1, "percent") == 40
        save("1.1.1", Q1, "Петро", status="in_progress", percent=15)
        export_package(tmp_path / "laptop.pkg", "ноутбук")
        from_laptop = unsigned(tmp_path / "laptop.pkg", "laptop-unsigned.pkg")
    with standalone:  # the office's changes on a laptop's word alone: not taken; the laptop's own are
        result = import_package(from_laptop, "Марія")
        assert result.unproven == 2 and value("1.5.3", Q1, "percent") is None
        assert value("1.1.1", Q1, "percent") == 15
    send(office, standalone, tmp_path)  # from the office itself, signed there
    with standalone:
        assert value("1.5.3", Q1, "percent") == 40


def test_the_office_restored_under_a_new_identity_is_still_the_office_its_copies_were_made_from(
        office, laptop, standalone, tmp_path):
    """A restored office keeps its key and takes a new uid: its laptops took nothing more from it as the office —
    unsigned changes it passed on, kept before changes were signed, were refused as forgeries."""
    with standalone:
        save("1.2.8", Q1, "Марія", status="in_progress", percent=30)
    send(standalone, office, tmp_path)
    with office:
        new_device_identity()
        export_package(tmp_path / "office.pkg", "office")
        private = signing_key()[1]
    body = _body(tmp_path / "office.pkg")
    for event in body["events"]:
        event.pop("signature", None)
    with laptop:
        trust_package(_signed(tmp_path / "restored.pkg", body, private), "Петро")
        result = import_package(tmp_path / "restored.pkg", "Петро")
        assert result.unproven == 0 and value("1.2.8", Q1, "percent") == 30


def test_a_laptop_made_by_backup_from_a_file_an_earlier_version_left_trusts_the_office(tmp_path, capsys):
    """A database made before identities came with the plan has a plan and no identity: «tracker backup -o» of it
    made a laptop that knew no office, and the office's first package was refused there as a stranger's."""
    from tracker.storage.db import close_database, open_database
    from tracker.storage.models import Device, ExchangePeer

    office_file = tmp_path / "office.sqlite3"
    assert cli_main(["--db", str(office_file), "init"]) == 0
    open_database(office_file)
    with TrustedDevice._meta.database.atomic():  # as an earlier version left it: a plan, no identity
        ExchangePeer.delete().execute()
        Device.delete().execute()
    close_database()
    laptop_file = tmp_path / "laptop.sqlite3"
    assert cli_main(["--db", str(office_file), "backup", "-o", str(laptop_file)]) == 0
    _office_package_is_taken(office_file, laptop_file, tmp_path, capsys)


def test_trusting_again_a_device_trusted_already_keeps_who_trusted_it(office, laptop, tmp_path):
    """A clerk's «trust» of the office on a laptop set up from its file turned «копія бази» into the clerk's name:
    the office's amendments then waited for a person there, for good."""
    from tracker.storage.device import COPY_TRUST

    with office:
        office_uid = this_device().uid
        export_package(tmp_path / "office.pkg", "office")
    with laptop:
        trust_package(tmp_path / "office.pkg", "Петро")
        assert TrustedDevice.get(TrustedDevice.device_uid == office_uid).trusted_by == COPY_TRUST
