"""Файл → Імпорт змін до плану…, Довідка про план and the removed measures in the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.tracker.plan.test_amendment import amended, remove_and_renumber, row
from tracker.plan.versions import amendments
from tracker.progress.records import find_measure
from tracker.quarters import Quarter
from ui.plan_changes.amendment_dialog import DIFFERENT, SAME
from ui.plan_changes.history_dialog import PlanHistoryDialog

Q2025_4, Q2026_1 = Quarter(2025, 4), Quarter(2026, 1)
DECISION = "рішення міської ради від 25.02.2026 № 71/14"


def codes_shown(window) -> dict[str, int]:
    return {m.code: m.id for m in window.model.tree.measures()}


def answer(decision=DECISION, effective=Q2026_1, choices=()):
    """An answer to the amendment dialog: each question settled in turn, the decision typed, the quarter chosen."""
    def run(dialog):
        for number, choice in enumerate(choices):
            combo = dialog.questions.cellWidget(number, 3)
            combo.setCurrentIndex(combo.findData(choice))
            QApplication.processEvents()  # the pairing is made again once the choice's signal is over
        dialog.decision_edit.setText(decision)
        dialog.effective_combo.setCurrentIndex(dialog.effective_combo.findData(str(effective)))
        answer.seen = (dialog.apply_button.isEnabled(), dialog.warning.text(), dialog.changes.toPlainText())
        if dialog.apply_button.isEnabled():
            dialog.accept()
            return True
        return False
    return run


def test_an_amendment_is_previewed_and_applied_and_the_tree_follows(window, tmp_path, no_modal_dialogs):
    old_114 = find_measure(window.plan, "1.1.4")
    window.set_quarter(Q2026_1)
    no_modal_dialogs["on_dialog"] = answer()
    window.plan_changes.import_amendment_file(str(amended(tmp_path, remove_and_renumber)))
    enabled, _, changes = answer.seen
    assert enabled and "вилучено 1.1.3" in changes and "перенумеровано 1.1.4 → 1.1.3" in changes
    assert codes_shown(window)["1.1.3"] == old_114.id and "1.1.6" not in codes_shown(window)
    assert len(codes_shown(window)) == 232 and window.model.measure_count() == 232
    window.set_quarter(Q2025_4)  # before it takes effect: the plan as it was
    assert codes_shown(window)["1.1.4"] == old_114.id and len(codes_shown(window)) == 233
    [record] = amendments(window.plan)
    assert record.decision == DECISION and record.applied_by == window.author


def test_nothing_is_applied_until_the_decision_is_given(window, tmp_path, no_modal_dialogs):
    no_modal_dialogs["on_dialog"] = answer(decision="")
    window.plan_changes.import_amendment_file(str(amended(tmp_path, remove_and_renumber)))
    enabled, warning, _ = answer.seen
    assert not enabled and "Вкажіть рішення" in warning and not amendments(window.plan)


def _rewrite_212(rows):
    row(rows, "2.1.2")[2] = "Розробка та реалізація програм підтримки ініціативних груп ОСББ/ОСН"


def test_an_uncertain_pairing_is_settled_in_the_dialog(window, tmp_path, no_modal_dialogs):
    old = find_measure(window.plan, "2.1.2")
    window.set_quarter(Q2026_1)
    no_modal_dialogs["on_dialog"] = answer(choices=())
    path = str(amended(tmp_path, _rewrite_212))
    window.plan_changes.import_amendment_file(path)
    enabled, warning, _ = answer.seen
    assert not enabled and "сумнівні пари" in warning.lower() and not amendments(window.plan)
    no_modal_dialogs["on_dialog"] = answer(choices=(DIFFERENT,))
    window.plan_changes.import_amendment_file(path)
    assert answer.seen[0] and codes_shown(window)["2.1.2"] != old.id


def test_an_uncertain_pairing_settled_as_the_same_measure_keeps_it(window, tmp_path, no_modal_dialogs):
    old = find_measure(window.plan, "2.1.2")
    window.set_quarter(Q2026_1)

    def check(dialog):
        combo = dialog.questions.cellWidget(0, 3)
        combo.setCurrentIndex(combo.findData(SAME))
        QApplication.processEvents()
        # settled, the pairing stays listed with its choice, to be reviewed or changed
        assert dialog.questions.rowCount() == 1 and dialog.questions.cellWidget(0, 3).currentData() == SAME
        assert "змінено текст 2.1.2" in dialog.changes.toPlainText()
        return answer()(dialog)

    no_modal_dialogs["on_dialog"] = check
    window.plan_changes.import_amendment_file(str(amended(tmp_path, _rewrite_212)))
    assert codes_shown(window)["2.1.2"] == old.id


def test_a_quarter_that_cannot_take_the_amendment_keeps_the_dialog_open(window, tmp_path, no_modal_dialogs):
    no_modal_dialogs["on_dialog"] = answer(effective=Quarter(2024, 1))
    window.plan_changes.import_amendment_file(str(amended(tmp_path, remove_and_renumber)))
    enabled, warning, _ = answer.seen
    assert not enabled and "першого кварталу" in warning and not amendments(window.plan)


def test_an_unchanged_plan_or_another_plan_is_said_so(window, tmp_path, no_modal_dialogs):
    from tracker.paths import BUNDLED_PLAN

    window.plan_changes.import_amendment_file(str(BUNDLED_PLAN))
    other = tmp_path / "next.txt"
    other.write_text(BUNDLED_PLAN.read_text(encoding="utf-8").replace("2024–2027", "2028–2031"), encoding="utf-8")
    window.plan_changes.import_amendment_file(str(other))
    texts = [text for _, _, text in no_modal_dialogs["messages"]]
    assert "не змінює план" in texts[0] and "інший план" in texts[1] and not amendments(window.plan)


def test_removed_measures_show_when_asked_marked_and_read_only(window, tmp_path, no_modal_dialogs, select):
    old_113 = find_measure(window.plan, "1.1.3")
    no_modal_dialogs["on_dialog"] = answer()
    window.plan_changes.import_amendment_file(str(amended(tmp_path, remove_and_renumber)))
    window.set_quarter(Q2026_1)
    assert old_113.id not in codes_shown(window).values()
    window.menus.show_removed_action.trigger()
    assert window.menus.show_removed_action.isChecked()
    index = window.model.index_of_measure(old_113.id)
    assert index.isValid()
    assert window.model.measure_count() == window.rows.matching_count() == 232  # shown, not counted in the plan
    assert window.filter_bar.count_label.text() == "Заходів: 232 з 232 +1 викл."  # but said beside the count
    assert "виключені з плану на цей квартал: 1" in window.filter_bar.count_label.toolTip()
    status = window.model.data(index.siblingAtColumn(3))
    assert status == "виключено рішенням міської ради від 25.02.2026 № 71/14"
    assert window.model.data(index, Qt.ItemDataRole.FontRole).italic()
    window.tree_view.setCurrentIndex(index)
    editor = window.panel.editor
    assert editor.measure_id == old_113.id and not editor.save_button.isEnabled()
    assert not any(w.isEnabled() for w in editor.widgets.values())
    assert "у цьому кварталі його немає в плані" in editor.heading.text()
    window.menus.show_removed_action.trigger()  # and hidden again
    assert not window.model.index_of_measure(old_113.id).isValid()
    assert window.filter_bar.count_label.text() == "Заходів: 232 з 232"


def test_plan_history_lists_every_amendment(window, tmp_path, no_modal_dialogs):
    no_modal_dialogs["on_dialog"] = answer()
    window.plan_changes.import_amendment_file(str(amended(tmp_path, remove_and_renumber)))
    text = PlanHistoryDialog(window.plan, window).browser.toPlainText()
    assert DECISION in text and "Чинні з I кв. 2026" in text and "вилучено 1.1.3" in text
    assert "Заходів у чинній редакції: 232; виключено змінами: 1" in text


def test_tab_leaves_the_table_of_uncertain_pairings_for_the_decision(window, tmp_path, no_modal_dialogs):
    """Tab went round the table's cells for good: the decision, its quarter and «Застосувати» were out of reach
    without the mouse (or a mnemonic of the Ukrainian layout)."""
    from PySide6.QtTest import QTest

    def check(dialog):
        dialog.show()
        dialog.activateWindow()
        combo = dialog.questions.cellWidget(0, 3)
        combo.setFocus()
        QApplication.processEvents()
        reached = []
        for _ in range(4):
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            QApplication.processEvents()
            reached.append(QApplication.focusWidget())
        check.left = dialog.decision_edit in reached
        dialog.reject()
        return False

    no_modal_dialogs["on_dialog"] = check
    window.plan_changes.import_amendment_file(str(amended(tmp_path, _rewrite_212)))
    assert check.left
