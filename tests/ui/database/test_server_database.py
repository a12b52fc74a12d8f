"""The window on a PostgreSQL server: connect through the dialog; the password is never stored."""

from tests.helpers import record_of
from tracker.quarters import Quarter
from ui.database.server_dialog import ServerDialog, server_url, without_password


def test_addresses_keep_everything_but_the_password():
    url = server_url("db.lutsk.local", 5433, "tracker", "coordinator", "с3кр:ет@")
    assert url == "postgresql://coordinator:%D1%813%D0%BA%D1%80%3A%D0%B5%D1%82%40@db.lutsk.local:5433/tracker"
    assert without_password(url) == "postgresql://coordinator@db.lutsk.local:5433/tracker"
    assert without_password("/home/u/tracker.sqlite3") == "/home/u/tracker.sqlite3"


def test_dialog_prefills_the_remembered_address_without_password(qtbot):
    dialog = ServerDialog("postgresql://coordinator@db.lutsk.local:5433/tracker")
    qtbot.addWidget(dialog)
    assert (dialog.host_edit.text(), dialog.port_spin.value(), dialog.database_edit.text(),
            dialog.user_edit.text(), dialog.password_edit.text()) == ("db.lutsk.local", 5433, "tracker", "coordinator", "")
    dialog.password_edit.setText("pw")
    assert dialog.url() == "postgresql://coordinator:pw@db.lutsk.local:5433/tracker"


def test_window_switches_to_a_server_database_and_saves_there(window, pg_url, select, no_modal_dialogs):
    # the database is empty: made the tracker's only when the user says so (it was, unasked)
    assert not window.database.switch_database(pg_url) and window.model.measure_count() == 233
    asked = [text for kind, title, text in no_modal_dialogs["messages"] if kind == "confirm"]
    assert len(asked) == 1 and "порожня: трекера в ній ще немає" in asked[0] and "@" in asked[0]
    assert ":" + pg_url.split("@")[0].rsplit(":", 1)[1] + "@" not in asked[0]  # not the password
    no_modal_dialogs["confirm"] = [True]
    assert window.database.switch_database(pg_url)
    secret = ":" + pg_url.split("@")[0].rsplit(":", 1)[1] + "@"  # «:password@» in the address
    remembered = window.settings.value("database/path")
    assert secret not in remembered and secret not in window.database_label
    assert remembered == without_password(pg_url)
    assert window.model.measure_count() == 233
    window.set_quarter(Quarter(2025, 2))
    select(window, "3.2.1")
    window.panel.editor.status_combo.setCurrentIndex(window.panel.editor.status_combo.findData("in_progress"))
    window.panel.editor.percent_spin.setValue(35)
    assert window.save_current()
    assert record_of("3.2.1", Quarter(2025, 2)).percent == 35
    window.settings.sync()
    with open(window.settings.fileName(), encoding="utf-8") as handle:
        assert secret not in handle.read()


def test_on_a_server_the_window_saves_a_whole_copy_and_says_who_restores(window, pg_url, select, no_modal_dialogs,
                                                                          tmp_path, monkeypatch):
    """Файл → Зберегти копію бази said «only for an SQLite file» and wrote nothing, though `tracker backup -o` makes
    the copy (how a laptop is set up); Файл → Відновити з резервної копії showed the crash dialog."""
    from PySide6.QtWidgets import QFileDialog

    from tracker.storage.db import open_database
    from tracker.storage.models import database

    no_modal_dialogs["confirm"] = [True]
    assert window.database.switch_database(pg_url)
    window.set_quarter(Quarter(2025, 2))
    select(window, "3.2.1")
    window.panel.editor.status_combo.setCurrentIndex(window.panel.editor.status_combo.findData("in_progress"))
    window.panel.editor.percent_spin.setValue(35)
    assert window.save_current()
    copy = tmp_path / "laptop.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(copy), ""))
    window.database.save_copy()
    assert not [m for m in no_modal_dialogs["messages"] if m[0] in ("warning", "critical")]
    assert "Копію бази збережено" in window.statusBar().currentMessage()
    server = database.obj
    assert record_of("3.2.1", Quarter(2025, 2)).percent == 35  # the window's own connection goes on as it was

    window.database.restore_backup()
    kind, _, text = no_modal_dialogs["messages"][-1]
    assert kind == "information" and "адміністратор" in text and no_modal_dialogs["dialogs"] == []

    open_database(copy)
    try:
        assert record_of("3.2.1", Quarter(2025, 2)).percent == 35
    finally:
        open_database(pg_url)
        server.close()


def test_the_server_dialog_reads_its_hint_whole_and_gives_each_field_a_letter(qtbot):
    """The server's hint was «напр. db.lutskrad…» at 150 %, and no label had an Alt+letter."""
    from PySide6.QtWidgets import QLabel

    from tests.ui.helpers import reads_whole

    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert reads_whole(dialog.host_edit, dialog.host_edit.placeholderText())
    letters = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    assert len(letters) == 5 and all("&" in text for text in letters)
    assert len({text[text.index("&") + 1].lower() for text in letters}) == 5  # no two alike
