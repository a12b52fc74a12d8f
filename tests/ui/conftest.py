"""Qt tests run on the offscreen platform with a real window on a real temporary database."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

SCREENSHOTS = os.path.join(os.path.dirname(__file__), "..", "screenshots")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, plan, settings):
    """``make_window(plan=None, settings=None, **kwargs)``: a shown main window, closed after the test;
    without arguments on the test's ``plan`` and ``settings``, labelled «test.sqlite3»; other keywords
    go to MainWindow. ``show=False`` leaves it hidden (a shown window keeps at least its minimum size,
    and the offscreen screen is only 800 px wide)."""
    from ui.main_window import MainWindow

    test_plan, test_settings = plan, settings

    def make(plan=None, settings=None, *, show=True, **kwargs):
        kwargs.setdefault("database_label", "test.sqlite3")
        win = MainWindow(test_plan if plan is None else plan, test_settings if settings is None else settings,
                         **kwargs)
        qtbot.addWidget(win)
        if show:
            win.show()
            qtbot.waitExposed(win)
        return win

    return make


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture(autouse=True)
def own_unsaved_forms(tmp_path, monkeypatch):
    """Each test its own file of unsaved forms (tracker.progress.unsaved): a form one test left changed is not
    offered to the next one's window."""
    from tracker.progress import unsaved

    monkeypatch.setattr(unsaved, "user_data_dir", lambda: tmp_path / "user-data")


@pytest.fixture
def screenshot():
    def save(widget, name: str) -> str:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.abspath(os.path.join(SCREENSHOTS, f"{name}.png"))
        assert widget.grab().save(path), f"could not save {path}"
        return path

    return save


@pytest.fixture
def select(qtbot):
    """Select a measure in the window's tree by its code, as a click would."""
    from tracker.progress.records import find_measure

    def select_code(win, code: str):
        measure_id = find_measure(win.plan, code).id
        index = win.rows.index_of_measure(measure_id)
        assert index.isValid(), f"{code} is not visible in the tree"
        win.tree_view.setCurrentIndex(index)
        return index

    return select_code


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch, qapp):
    """No test may stop at a modal dialog: questions are answered from a list (then «don't save»),
    and message boxes are recorded instead of shown. Every window test has its QApplication (a progress dialog
    shown by a function under test, not by a window, aborted the process when the test ran alone)."""
    from PySide6.QtWidgets import QMessageBox

    from ui import dialogs

    record = {"asked": [], "answers": [], "messages": []}

    def ask(parent, what):
        record["asked"].append(what)
        return record["answers"].pop(0) if record["answers"] else dialogs.DISCARD

    def message(kind):
        def show(parent, title, text, *args, **kwargs):
            record["messages"].append((kind, title, text))
            return QMessageBox.StandardButton.Ok
        return show

    monkeypatch.setattr(dialogs, "ask_unsaved", ask)
    record["confirm"] = []  # answers to yes/no questions; «no» when none is given
    record["dialogs"] = []  # dialogs run through dialogs.run_dialog; record["on_dialog"] may answer them
    record["on_dialog"] = None

    def run_dialog(dialog):
        record["dialogs"].append(dialog)
        return bool(record["on_dialog"](dialog)) if record["on_dialog"] else False

    monkeypatch.setattr(dialogs, "run_dialog", run_dialog)
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, text: (
        record["messages"].append(("confirm", title, text)) or (record["confirm"].pop(0) if record["confirm"] else False)))
    monkeypatch.setattr(dialogs, "ask", lambda parent, title, text: (
        record["messages"].append(("ask", title, text)) or (record["confirm"].pop(0) if record["confirm"] else False)))
    monkeypatch.setattr(dialogs, "ask_rebuild", lambda parent, text: (  # answered as the yes/no questions
        record["messages"].append(("rebuild", "", text)) or (record["confirm"].pop(0) if record["confirm"] else False)))
    monkeypatch.setattr(dialogs, "ask_set_wal_aside", lambda parent, text: (
        record["messages"].append(("wal", "", text)) or (record["confirm"].pop(0) if record["confirm"] else False)))
    monkeypatch.setattr(dialogs, "ask_show_folder", lambda parent, title, text: (
        record["messages"].append(("show_folder", title, text)) or False))
    record["restore"] = []  # answers to «restore the unsaved changes?»: RESTORE, DISCARD or None (the default)
    monkeypatch.setattr(dialogs, "ask_restore", lambda parent, text: (
        record["messages"].append(("restore", "", text)) or (record["restore"].pop(0) if record["restore"] else None)))
    monkeypatch.setattr(dialogs, "ask_open_report",
                        lambda parent, path: record["messages"].append(("open_report", "", path)))
    record["overwrite"] = []  # answers to «the file exists»: REPLACE, OTHER_NAME or None (the default: cancel)
    monkeypatch.setattr(dialogs, "ask_overwrite", lambda parent, path, other: (
        record["messages"].append(("overwrite", path, other))
        or (record["overwrite"].pop(0) if record["overwrite"] else None)))
    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, message(kind))
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: record["messages"].append(("about", title, text)))
    return record


@pytest.fixture
def unsaved_answers(no_modal_dialogs):
    """(answers to give, questions asked) for the unsaved-changes question."""
    return no_modal_dialogs["answers"], no_modal_dialogs["asked"]
