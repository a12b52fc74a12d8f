"""Довідка → Як працювати (F1): the quarterly workflow and the keys, in the interface's language."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from .dialogs import resize_within_screen
from .i18n import language, tr

_KEYS = [
    ("Ctrl+S", "зберегти звіт заходу", "save the measure's report"),
    ("Enter", "почати редагування вибраного заходу", "edit the selected measure"),
    ("Esc", "з форми назад до дерева", "from the form back to the tree"),
    ("Ctrl+↓ / Ctrl+↑", "наступний / попередній захід, форма лишається", "next / previous measure, the form stays"),
    ("Ctrl+Z / Ctrl+Shift+Z", "скасувати / повторити введення в полі", "undo / redo typing in a field"),
    ("Ctrl+Alt+Z / Ctrl+Alt+Y", "скасувати / повторити останнє збереження (з питанням)",
     "undo / redo the last save (asks first)"),
    ("Ctrl+F", "пошук за кодом або текстом (Esc у полі пошуку — очистити)",
     "search by code or text (Esc in the search box clears it)"),
    ("1.2.8", "код, набраний у дереві, — до заходу з цим кодом", "a code typed in the tree goes to its measure"),
    ("Ctrl+1 / Ctrl+2", "вкладки «План» / «Огляд»", "the Plan / Overview tabs"),
    (("Alt+Т / Alt+Р", "Alt+T / Alt+R"), "історія заходу / його звіт за квартал", "the measure's history / its quarter's report"),
    ("F5", "оновити з бази (зміни колег на сервері)", "reload from the database (colleagues' changes)"),
    ("F10 / Alt", "меню вікна (далі — стрілки й Enter)", "the window's menus (then the arrows and Enter)"),
    ("Alt+С = Alt+C", "підкреслена літера поля, кнопки чи меню — і в англійській розкладці (та сама клавіша)",
     "the underlined letter of a field, button or menu — in the Ukrainian keyboard layout too (the same key)"),
    ("F1", "ця довідка", "this help"),
]

_STEPS = {
    "uk": [
        "Оберіть квартал угорі вікна (типово — поточний).",
        "Відфільтруйте дерево за своїм виконавцем: «{all_executors}» → ваш департамент.",
        "Оберіть захід, натисніть Enter і вкажіть стан, відсоток виконання, інформацію та примітки; Ctrl+S.",
        "Незаповнені заходи позначено «{not_reported}» червоним; для них показано стан за попередній квартал.",
        "{report} → {export} — квартальний звіт у форматі міської ради (.xlsx); заповнений звіт можна "
        "повернути через {report} → {import_report} (спершу перегляд).",
        "Без мережі: {file} → {export_package} на ноутбуці, {file} → {import_package} в офісі.",
    ],
    "en": [
        "Choose the quarter at the top of the window (the current one by default).",
        "Filter the tree by your executor: «{all_executors}» → your department.",
        "Choose a measure, press Enter, set status, percent done, information and remarks; Ctrl+S.",
        "Measures not reported are marked «{not_reported}» in red, showing the state of the quarter before.",
        "{report} → {export} gives the quarterly report in the council's format (.xlsx); a filled-in report "
        "comes back through {report} → {import_report} (a preview first).",
        "Without a network: {file} → {export_package} on the laptop, {file} → {import_package} in the office.",
    ],
}


def _names() -> dict[str, str]:
    """The menus and labels the steps point at, as the window shows them in its language."""
    def plain(text: str) -> str:
        return tr(text).replace("&", "")

    return {"all_executors": plain("Усі виконавці"), "not_reported": plain("Не подано"), "report": plain("&Звіт"),
            "export": plain("&Експорт звіту…"), "import_report": plain("&Імпорт заповненого звіту…"),
            "file": plain("&Файл"), "export_package": plain("&Експорт пакета змін…"),
            "import_package": plain("І&мпорт пакета змін…")}


def help_html(lang: str) -> str:
    english = lang == "en"
    names = _names()
    steps = "".join(f"<li>{escape(step.format(**names))}</li>" for step in _STEPS["en" if english else "uk"])
    # a key named by a letter is the interface's own letter: (Ukrainian, English)
    keys = "".join(f"<tr><td><b>{escape(key if isinstance(key, str) else key[english])}</b></td>"
                   f"<td>{escape(en if english else uk)}</td></tr>" for key, uk, en in _KEYS)
    title, workflow, shortcut = (("How to work", "Each quarter", "Keys") if english
                                 else ("Як працювати", "Щокварталу", "Клавіші"))
    return (f"<h2>{title}</h2><h3>{workflow}</h3><ol>{steps}</ol>"
            f"<h3>{shortcut}</h3><table cellpadding='3'>{keys}</table>")


class HelpDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Як працювати"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(help_html(language()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        resize_within_screen(self, 640, 520)
