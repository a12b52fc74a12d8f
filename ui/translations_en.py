"""English for the window's strings, keyed by the Ukrainian source text."""

EN = {
    "Трекер Плану заходів Стратегії розвитку Луцької громади": "Lutsk Community Development Strategy Action Plan Tracker",
    "Код": "Code",
    "Зміст": "Text",
    "Відповідальні виконавці": "Responsible executors",
    "Стан": "Status",
    "Виконання, %": "Done, %",
    "Квартал:": "Quarter:",
    "Оберіть захід у дереві, щоб побачити його повний текст, виконавців і джерела фінансування.":
        "Select a measure in the tree to see its full text, executors and funding sources.",
    "Стратегічна ціль": "Strategic goal",
    "Оперативна ціль": "Operational goal",
    "Завдання": "Task",
    "Захід": "Measure",
    "Джерела фінансування": "Funding sources",
    "Стан за {quarter}": "Status for {quarter}",
    "не звітовано за жодний квартал": "never reported",
    "дані за {quarter} (за цей квартал не подано)": "data for {quarter} (not reported for this quarter)",
    "Інформація про виконання": "Progress information",
    "Примітки": "Remarks",
    "не потребує фінансування": "no funding needed",
    "не вказано": "not given",
    "Заходів: {count}": "Measures: {count}",
    "База даних: {path}": "Database: {path}",
    "Не подано": "Not reported",
    "Помилка": "Error",
    "Не вдалося відкрити базу даних": "Could not open the database",
    "СЦ {number}": "SG {number}",
    "Не розпочато": "Not started",
    "Виконується": "In progress",
    "Виконано": "Done",
    "Частково виконано": "Partially done",
    "Не виконано": "Not done",
    "Втратило актуальність": "No longer relevant",
}

EN.update({
    "&Файл": "&File",
    "Ви&йти": "&Quit",
    "&Довідка": "&Help",
    "&Про програму": "&About",
    "Про програму": "About",
    "Трекер виконання Плану заходів із реалізації Стратегії розвитку Луцької міської "
    "територіальної громади до 2030 року на 2024–2027 роки.":
        "Progress tracker for the Action Plan implementing the Lutsk Community Development Strategy "
        "to 2030, for 2024–2027.",
})

EN.update({  # the overview tab
    "Огляд виконання": "Progress overview",
    "Огляд виконання за {quarter}": "Progress overview for {quarter}",
    "{roman} кв. {year}": "Q{number} {year}",
    "подано за квартал: {count}": "reported this quarter: {count}",
    "середній % виконання: {percent}": "average done: {percent}",
    "Середній % виконання: {percent}": "Average done: {percent}",
    "Виконання за цілями": "Progress by goal",
    "Ціль": "Goal",
    "Виконавці": "Responsible executors",
    "Виконавець": "Responsible executor",
    "Заходів": "Measures",
    "Подано": "Reported",
    "Середній %": "Average %",
    "Виконавчий орган міської ради": "Executive body of the city council",
    "Комунальне підприємство чи заклад": "Municipal enterprise or institution",
    "Партнер": "Partner",
    "Заходи, що на цей квартал мають стан «{status}»": "Measures whose status as of this quarter is “{status}”",
    "Заходи, за які за цей квартал інформацію не подано: ще не звітовані "
    "і ті, що показані за станом з попереднього кварталу.":
        "Measures without a report for this quarter: never reported, and those shown "
        "with their state from an earlier quarter.",
})

EN.update({  # the desk: editing, filters, history, menus, dialogs
    "Зберегти": "Save",
    "Зберегти їх перед тим, як продовжити?": "Save them before going on?",
    "Зміни до заходу {what} не збережено.": "Changes to measure {what} are not saved.",
    "Мова інтерфейсу:": "Interface language:",
    "Налаштування": "Settings",
    "Не зберігати": "Don't save",
    "Незбережені зміни": "Unsaved changes",
    "Прізвище та ім'я, як у звітах": "Full name, as in reports",
    "Скасувати": "Cancel",
    "Хто я (записується в історію змін):": "Who I am (recorded in the change history):",
    "Заходів: {shown} з {total}": "Measures: {shown} of {total}",
    "Не подано за цей квартал": "Not reported this quarter",
    "Пошук за кодом або текстом (Ctrl+F)": "Search by code or text (Ctrl+F)",
    "Усі виконавці": "All executors",
    "Усі джерела фінансування": "All funding sources",
    "Усі стани": "All statuses",
    "Було → стало": "Was → now",
    "Виконання": "Done",
    "Записи за квартали": "Quarterly records",
    "Звідки": "Origin",
    "Квартал": "Quarter",
    "Коли": "When",
    "Оновлено": "Updated",
    "Поле": "Field",
    "Усі зміни": "All changes",
    "Хто": "Who",
    "Запис": "Record",
    "Передбачено, тис. грн": "Planned, thousand UAH",
    "Профінансовано, тис. грн": "Financed, thousand UAH",
    "створено": "created",
    "вилучено": "deleted",
    "База трекера (*.sqlite3 *.sqlite *.db);;Усі файли (*)": "Tracker database (*.sqlite3 *.sqlite *.db);;All files (*)",
    "Відкрити базу даних": "Open database",
    "Де зберігаються дані": "Where the data lives",
    "Налаштування вікна: {path}": "Window settings: {path}",
    "Збережено: захід {code} за {quarter}": "Saved: measure {code} for {quarter}",
    "Користувач: {name}": "User: {name}",
    "Не збережено": "Not saved",
    "Не скасовано": "Not undone",
    "Огляд": "Overview",
    "План": "Plan",
    "Скасовано останнє збереження: захід {code} за {quarter}": "Undid the last save: measure {code} for {quarter}",
    "&Інформація про виконання:": "&Progress information:",
    "&Виконання:": "&Done:",
    "&Примітки:": "&Remarks:",
    "&Стан:": "&Status:",
    "«{status}» означає {required} %: вкажіть {required} % або оберіть інший стан.":
        "“{status}” means {required} %: enter {required} % or choose another status.",
    "Відкинути зміни": "Discard changes",
    "За цей квартал ще не подано.": "Not reported for this quarter yet.",
    "За цей квартал ще не подано; показано стан за {quarter}.": "Not reported for this quarter yet; showing the state as of {quarter}.",
    "Зберегти (Ctrl+S)": "Save (Ctrl+S)",
    "Звіт за {quarter}": "Report for {quarter}",
    "Оберіть захід у дереві, щоб внести звіт.": "Select a measure in the tree to enter its report.",
    "Оберіть стан виконання.": "Choose a status.",
    "Передбачено на рік, тис. грн:": "Planned for the year, thousand UAH:",
    "Профінансовано з початку року, тис. грн:": "Financed since the start of the year, thousand UAH:",
    "Сума «{value}» має бути невід'ємним числом у тисячах гривень, напр. 125,5.":
        "The amount “{value}” must be a non-negative number in thousand UAH, e.g. 125.5.",
    "напр. 125,5": "e.g. 125.5",
    "напр. 80": "e.g. 80",
    "— оберіть стан —": "— choose a status —",
    "Історія": "History",
    "Звіт за квартал": "Quarter's report",
    "&Відкрити базу даних…": "&Open database…",
    "&Налаштування…": "&Settings…",
    "&Правка": "&Edit",
    "&Зберегти звіт заходу": "&Save measure's report",
    "&Скасувати останнє збереження": "&Undo last save",
    "&Знайти…": "&Find…",
    "&Вигляд": "&View",
    "&План": "&Plan",
    "&Огляд": "&Overview",
    "&Розгорнути все": "&Expand all",
    "З&горнути до цілей": "&Collapse to goals",
    "&Де зберігаються дані": "&Where the data lives",
})

EN.update({  # the report menu: export and import
    "Звіт збережено": "Report saved",
    "Звіт збережено у файлі:\n{path}": "The report was saved to:\n{path}",
    "Відкрити файл": "Open the file",
    "Показати в теці": "Show in folder",
    "Закрити": "Close",
    "Імпорт заповненого звіту": "Import a filled-in report",
    "Книга Excel (*.xlsx)": "Excel workbook (*.xlsx)",
    "Імпортовано з «{name}»: заходів змінено — {count}": "Imported from “{name}”: measures changed — {count}",
    "&Звіт": "&Report",
    "&Експорт звіту…": "&Export report…",
    "&Імпорт заповненого звіту…": "&Import filled-in report…",
    "Експорт звіту": "Export report",
    "Уся громада (усі виконавці)": "Whole community (all executors)",
    "Огляд…": "Browse…",
    "Експортувати": "Export",
    "Відповідальний виконавець:": "Responsible executor:",
    "Файл:": "File:",
    "Зберегти звіт": "Save report",
    "Вкажіть файл для звіту.": "Choose a file for the report.",
    "Не вдалося записати звіт: {error}": "Could not write the report: {error}",
    "Файл «{name}»: звіт за {quarter}.": "File “{name}”: report for {quarter}.",
    "Змін: {changes} (заходів: {measures}); проблем: {problems}.": "Changes: {changes} (measures: {measures}); problems: {problems}.",
    "Записати зміни": "Write the changes",
    "Нічого не записано, доки ви не натиснете «Записати зміни».": "Nothing is written until you press “Write the changes”.",
    "Відповідальний виконавець: {name}.": "Responsible executor: {name}.",
    "Рядок": "Row",
    "Було": "Was",
    "Стане": "Will be",
    "Проблема": "Problem",
    "Що буде записано:": "What will be written:",
    "Проблеми (ці рядки не буде записано):": "Problems (these rows will not be written):",
})

EN.update({  # backups
    "Відновити з резервної копії": "Restore from a backup",
    "Відновити з &резервної копії…": "&Restore from a backup…",
    "Інший файл…": "Another file…",
    "Відновити": "Restore",
    "Усі дані бази буде замінено вмістом копії. Поточний стан перед цим буде збережено "
    "в окрему копію, тож відновлення можна скасувати.":
        "All data in the database will be replaced with the backup. The current state is saved to a "
        "separate copy first, so the restore can be undone.",
    "Резервна копія": "Backup",
    "Замінити всі дані бази вмістом «{name}»?": "Replace all data in the database with “{name}”?",
    "Не вдалося відновити": "Could not restore",
    "Базу відновлено. Попередній стан збережено: {path}": "Database restored. The previous state was saved to: {path}",
    "запуск програми": "program start",
    "перед імпортом": "before an import",
    "перед оновленням бази": "before a database upgrade",
    "перед відновленням": "before a restore",
    "вручну": "by hand",
})

EN.update({  # conflicts
    "Захід {code} змінено іншим користувачем": "Measure {code} was changed by someone else",
    "інший користувач": "another user",
    "Поки ви редагували, {who} зберіг(-ла) цей захід ({when}). Оберіть для кожного поля, "
    "яке значення залишити; обидві версії буде записано в історію.":
        "While you were editing, {who} saved this measure ({when}). Choose for each field which value "
        "to keep; both versions go into the history.",
    "Ваше значення": "Your value",
    "Збережене значення": "Saved value",
    "Зберегти вибране": "Save the chosen values",
})

EN.update({  # exchange packages
    "&Експорт пакета змін…": "&Export change package…",
    "І&мпорт пакета змін…": "I&mport change package…",
    "&Конфлікти обміну…": "Exchange &conflicts…",
    "Експорт пакета змін": "Export change package",
    "Імпорт пакета змін": "Import change package",
    "Пакет змін (*.trackerpkg);;Усі файли (*)": "Change package (*.trackerpkg);;All files (*)",
    "Пакет «{name}» збережено: змін у ньому — {count}.": "Package “{name}” saved: it holds {count} changes.",
    "Пакет від «{device}»: застосовано змін — {applied}, уже відомих — {skipped}, "
    "очікують попередніх — {pending}, конфліктів — {conflicts}.":
        "Package from “{device}”: changes applied — {applied}, already known — {skipped}, "
        "waiting for earlier ones — {pending}, conflicts — {conflicts}.",
    "Конфлікти обміну": "Exchange conflicts",
    "Як назвати цей пристрій у пакетах змін? Цю назву побачать в офісі поруч із вашими змінами "
    "(напр. «Старостат Прилуцьке»).":
        "What should this device be called in change packages? The office will see this name next to "
        "your changes (e.g. “Prylutske starosta district”).",
    "Зачекайте: іде запис змін у базу.": "Please wait: changes are being written to the database.",
    "⚠ Конфлікти обміну: {count}": "⚠ Exchange conflicts: {count}",
    "Значення з пакетів змін, які чекають на ваше рішення. Натисніть, щоб переглянути.":
        "Values from change packages waiting for your decision. Click to see them.",
    "Читання «{name}»…": "Reading “{name}”…",
    "Запис змін з «{name}»…": "Writing the changes from “{name}”…",
    "Об'єднання змін з пакета «{name}»…": "Merging the changes from the package “{name}”…",
    "Тут (своє)": "Here (ours)",
    "З пакета (вхідне)": "From the package (incoming)",
    "Залишити своє": "Keep ours",
    "Взяти вхідне": "Take incoming",
    "Ввести інше значення…": "Enter another value…",
    "Нерозв'язаних конфліктів: {count}. Ці значення не записано автоматично — "
    "оберіть, яке залишити. Рішення поїде до інших пристроїв з наступним пакетом.":
        "Unresolved conflicts: {count}. These values were not written automatically — choose which "
        "to keep. The decision travels to the other devices with the next package.",
    "Чому не записано": "Why not written",
    "змінено і тут, і на іншому пристрої": "changed both here and on another device",
    "Інше значення": "Another value",
    "Захід": "Measure",
})

EN.update({  # server database
    "Підключитися до бази на &сервері…": "Connect to a &server database…",
    "База на сервері": "Server database",
    "напр. db.lutskrada.local": "e.g. db.lutskrada.local",
    "не зберігається": "not stored",
    "Сервер:": "Server:",
    "Порт:": "Port:",
    "База даних:": "Database:",
    "Користувач:": "User:",
    "Пароль:": "Password:",
})
