"""English for every string a user reads (window, domain messages), keyed by the Ukrainian source text."""

EN = {
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
    "Інформація": "Information",
    "Передбачено": "Planned",
    "Профінансовано": "Financed",
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
    "Про про&граму": "&About",
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
    "Дата подання": "Reported on",
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
    "&Зберегти": "&Save",
    ("Ctrl+Z скасовує введення в полі форми. Щоб скасувати збереження, натисніть Ctrl+Alt+Z (Правка → Скасувати "
     "збереження…)."): "Ctrl+Z undoes typing in a field of the form. To undo a save, press Ctrl+Alt+Z (Edit → Undo "
                      "save…).",
    "Зберегти їх перед тим, як продовжити?": "Save them before going on?",
    "Зміни до заходу {what} не збережено.": "Changes to measure {what} are not saved.",
    "&Мова інтерфейсу:": "Interface &language:",
    "Налаштування": "Settings",
    "Не зберігати": "Don't save",
    "&Не зберігати": "&Don't save",
    "Незбережені зміни": "Unsaved changes",
    "Прізвище та ім'я, як у звітах": "Full name, as in reports",
    "Скасувати": "Cancel",
    "&Хто я (записується в історію змін):": "&Who I am (recorded in the change history):",
    "Заходів: {shown} з {total}": "Measures: {shown} of {total}",
    "Не подано за цей квартал": "Not reported this quarter",
    "Пошук: код або текст": "Search: code or text",
    "Пошук заходів за кодом або текстом (Ctrl+F); ↓ або Enter — до знайдених":
        "Search the measures by code or text (Ctrl+F); ↓ or Enter goes to those found",
    "Усі виконавці": "All executors",
    "Усі джерела": "All sources",
    "Відповідальний виконавець": "Responsible executor",
    "Стан за квартал": "Status in the quarter",
    "Джерело фінансування": "Funding source",
    "Усі стани": "All statuses",
    "Було → стало": "Was → now",
    "Виконання": "Done %",  # not «Done», the status's word
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
    "Вик&онання:": "&Done:",
    "При&мітки:": "Rem&arks:",
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
    "Перед&бачено на рік, тис. грн:": "Planned for the &year, thousand UAH:",
    "Профін&ансовано з початку року, тис. грн:": "Fi&nanced since the start of the year, thousand UAH:",
    "Сума «{value}» має бути невід'ємним числом у тисячах гривень, напр. 125,5.":
        "The amount “{value}” must be a non-negative number in thousand UAH, e.g. 125.5.",
    "напр. 125,5": "e.g. 125.5",
    "напр. 80": "e.g. 80",
    "— оберіть стан —": "— choose a status —",
    "Іс&торія": "His&tory",
    "У теці програми немає вбудованого плану «{name}»: програму встановлено не повністю або файл видалено. Перевстановіть програму. Базу не змінено.":
        "The program's folder has no built-in plan «{name}»: the program is not fully installed or the file was deleted. Reinstall the program. The database was not changed.",
    "Програму встановлено не повністю: бракує кроків оновлення бази ({steps}). Перевстановіть програму. Базу не змінено.":
        "The program is not fully installed: database upgrade steps are missing ({steps}). Reinstall the program. The database was not changed.",
    "{reason} (SQLite: «{said}»)": "{reason} (SQLite: “{said}”)",
    "Звіту про цей захід ще не подано за жоден квартал: записів і змін немає.":
        "No report on this measure has been filed for any quarter yet: there are no records or changes.",
    "Файл бази «{name}» замінено іншим (чи переміщено або видалено), поки програма працювала з ним: поверх нього скопійовано інший файл або його відновила чи синхронізувала інша програма. Зміни не записано — вони пішли б у старий файл, якого під цим ім'ям уже немає.":
        "The database file «{name}» was replaced by another (or moved or deleted) while the program was working with it: another file was copied over it, or another program restored or synchronised it. The changes were not written: they would have gone into the old file, which no longer exists under this name.",
    "Відкрийте базу знову (у вікні: Файл → Останні бази; у командному рядку — повторіть команду) і внесіть зміни ще раз.":
        "Open the database again (in the window: File → Recent databases; on the command line, run the command again) and enter the changes once more.",
    "Файл бази замінено": "Database file replaced",
    "Файл бази замінено іншим чи видалено, поки вікно з ним працювало, і відкрити його знову не вдалося. Усе збережене досі вікно ще бачить: збережіть копію бази (Файл → Зберегти копію бази…) і відкрийте її.":
        "The database file was replaced or deleted while the window was working with it, and it could not be opened again. The window still sees everything saved so far: save a copy of the database (File → Save a copy of the database…) and open it.",
    "Файл бази замінено іншим, поки вікно з ним працювало; показано файл, що тепер під цим ім'ям.":
        "The database file was replaced while the window was working with it; the file now under this name is shown.",
    "Файл бази замінено іншим, поки вікно з ним працювало. Збережіть форму (Ctrl+S): програма запропонує відкрити новий файл і перенести в нього ваші зміни.":
        "The database file was replaced while the window was working with it. Save the form (Ctrl+S): the program will offer to open the new file and carry your changes into it.",
    "Відкрити файл, що тепер під цим ім'ям? Незбережені зміни з форми буде перенесено в нього: перевірте їх і збережіть там ще раз.":
        "Open the file now under this name? The form's unsaved changes will be carried into it: check them and save them there again.",
    "{value} (у файлі {typed})": "{value} (in the file {typed})",
    "Суми зберігаються з точністю до 0,1 тис. грн (100 грн), як у звіті: «{typed}» округлено до «{shown}».":
        "Sums are kept to 0.1 thousand UAH (100 UAH), as in the report: «{typed}» rounded to «{shown}».",
    "Звіт за цей квартал щойно подано в іншій програмі.": "This quarter's report has just been filed by another program.",
    "Дерево показує заходи виконавця «{name}». Усі заходи — «{all}» у фільтрі виконавця над деревом.":
        "The tree shows the measures of «{name}». All measures: «{all}» in the executor filter above the tree.",
    "Звіт за ква&ртал": "Qua&rter's report",
    "&Відкрити базу даних…": "&Open database…",
    "&Налаштування…": "Se&ttings…",
    "&Правка": "&Edit",
    "&Зберегти звіт заходу": "&Save measure's report",
    "Зна&йти…": "&Find…",
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
    "Книга Excel (*.xlsx *.xlsm)": "Excel workbook (*.xlsx *.xlsm)",
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
    "Відновити з &резервної копії…": "Restore from a &backup…",
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
    "У вашій формі": "In your form",
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
    "Пакет змін (*.trackerpkg *.pkg);;Усі файли (*)": "Change package (*.trackerpkg *.pkg);;All files (*)",
    "Пакет «{name}» збережено в теці\n{folder}\nЗмін у ньому — {count}. Передайте цей файл в офіс (на флешці чи "
    "поштою).": "Package “{name}” saved in the folder\n{folder}\nIt holds {count} changes. Take this file to the "
                "office (on a USB stick or by e-mail).",
    "Пакет від «{device}»: застосовано змін — {applied}, уже відомих — {skipped}, "
    "очікують попередніх — {pending}, конфліктів — {conflicts}.":
        "Package from “{device}”: changes applied — {applied}, already known — {skipped}, "
        "waiting for earlier ones — {pending}, conflicts — {conflicts}.",
    "Конфлікти обміну": "Exchange conflicts",
    "Як назвати цей комп'ютер у пакетах змін?\nЦю назву побачать на інших комп'ютерах поруч зі змінами,\n"
    "зробленими тут (напр. «Старостат Прилуцьке» чи «Офіс, економічна політика»).":
        "What should this computer be called in change packages?\nThe other computers will see this name next to\n"
        "the changes made here (e.g. “Prylutske starosta district” or “Office, economic policy”).",
    "Зачекайте: іде запис змін у базу.": "Please wait: changes are being written to the database.",
    "⚠ Конфлікти обміну: {count}": "⚠ Exchange conflicts: {count}",
    "Читання «{name}»…": "Reading “{name}”…",
    "Запис змін з «{name}»…": "Writing the changes from “{name}”…",
    "Об'єднання змін з пакета «{name}»…": "Merging the changes from the package “{name}”…",
    "Тут (своє)": "Here (ours)",
    "З пакета (вхідне)": "From the package (incoming)",
    "&Залишити своє": "&Keep ours",
    "&Взяти вхідне": "&Take incoming",
    "Ввести &інше значення…": "Enter &another value…",
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
    "&Сервер:": "&Server:",
    "П&орт:": "P&ort:",
    "&База даних:": "&Database:",
    "&Користувач:": "&User:",
    "&Пароль:": "&Password:",
})

EN.update({  # domain messages (tracker/): errors, warnings and import findings
    # quarters
    "Квартал має бути від 1 до 4, а не {number}.": "A quarter must be 1 to 4, not {number}.",
    "Не розпізнано квартал «{text}». Вкажіть його у вигляді 2025Q1.":
        "Quarter “{text}” was not recognised. Give it as 2025Q1.",
    "Квартал {quarter} поза межами плану ({first_year}Q1 – {last_year}Q4). Вкажіть квартал у межах плану.":
        "Quarter {quarter} is outside the plan ({first_year}Q1 – {last_year}Q4). Choose a quarter within the plan.",
    # workbooks: the .xlsx guard
    "Не вдалося прочитати файл «{name}»: {reason}.": "Could not read the file “{name}”: {reason}.",
    "Файл «{name}» завеликий ({size} МБ) для таблиці плану чи звіту.":
        "The file “{name}” is too large ({size} MB) for a plan table or a report.",
    "Файл «{name}» захищений паролем або збережений у старому форматі .xls. "
    "Зніміть пароль і збережіть його як «Книга Excel (.xlsx)».":
        "The file “{name}” is password-protected or saved in the old .xls format. "
        "Remove the password and save it as “Excel Workbook (.xlsx)”.",
    "Файл «{name}» не є книгою Excel .xlsx (можливо, це перейменований .csv чи .xls). "
    "Відкрийте його в Excel чи LibreOffice і збережіть як .xlsx.":
        "The file “{name}” is not an Excel .xlsx workbook (perhaps a renamed .csv or .xls). "
        "Open it in Excel or LibreOffice and save it as .xlsx.",
    "Файл «{name}» містить підозріло багато частин ({count}).":
        "The file “{name}” has suspiciously many parts ({count}).",
    "Файл «{name}» зашифровано. Зніміть пароль і збережіть як .xlsx.":
        "The file “{name}” is encrypted. Remove the password and save it as .xlsx.",
    "Файл «{name}» схожий на «zip-бомбу» (частина {part} стискається у {ratio:.0f} разів). Його не відкрито.":
        "The file “{name}” looks like a “zip bomb” (part {part} is compressed {ratio:.0f} times). "
        "It was not opened.",
    "Файл «{name}» після розпакування займав би {size} МБ. Його не відкрито.":
        "Unpacked, the file “{name}” would take {size} MB. It was not opened.",
    "Файл «{name}» — zip-архів, але не книга Excel .xlsx (можливо, це таблиця LibreOffice .ods). Відкрийте його в "
    "Excel чи LibreOffice і збережіть як .xlsx.":
        "The file “{name}” is a zip archive but not an Excel .xlsx workbook (perhaps a LibreOffice .ods sheet). Open "
        "it in Excel or LibreOffice and save it as .xlsx.",
    "Файл «{name}» пошкоджений або обрізаний: це не цілий архів .xlsx.":
        "The file “{name}” is damaged or cut short: it is not a whole .xlsx archive.",
    # plan import: reading the file
    "Файл «{path}» не знайдено. Перевірте шлях до файла плану.":
        "The file “{path}” was not found. Check the path to the plan file.",
    "Файл «{name}» двійковий, а не текстова таблиця плану. "
    "Збережіть таблицю плану як текст із табуляціями (UTF-8) або як .xlsx.":
        "The file “{name}” is binary, not a plan table in text. "
        "Save the plan table as tab-separated text (UTF-8) or as .xlsx.",
    "Не вдалося прочитати текст файла «{name}»: невідоме кодування.":
        "Could not read the text of the file “{name}”: unknown encoding.",
    "Файл «{name}» завеликий для таблиці плану ({size} МБ).":
        "The file “{name}” is too large for a plan table ({size} MB).",
    # plan import: repairs and anomalies
    "виправлено": "repaired",
    "увага": "note",
    "рядок {line}: [{label}] {message}": "line {line}: [{label}] {message}",
    "ціль": "goal",
    "завдання": "task",
    "{code}, виконавці": "{code}, executors",
    "{what}: розірване слово «{broken}» → «{joined}»": "{what}: broken word “{broken}” → “{joined}”",
    "У назві плану у файлі «{name}» немає років дії (наприклад, «2024–2027 роки»). "
    "Перевірте, що перший рядок файла — назва плану.":
        "The plan title in the file “{name}” has no years (such as “2024–2027 роки”). "
        "Check that the first line of the file is the plan title.",
    "Роки дії плану «{years}» не мають сенсу.": "The plan years “{years}” make no sense.",
    "У файлі «{name}» не знайдено жодного заходу з кодом на кшталт 1.1.1. Це не таблиця плану заходів.":
        "No measure with a code like 1.1.1 was found in the file “{name}”. This is not a plan table.",
    "У файлі «{name}» немає назви плану над таблицею.": "The file “{name}” has no plan title above the table.",
    "Файл «{name}» не схожий на план заходів: не знайдено рядка заголовка таблиці "
    "(«№ | Завдання | Перелік заходів | Відповідальні виконавці | Джерела фінансування»).":
        "The file “{name}” does not look like an action plan: the table's heading row was not found "
        "(“№ | Завдання | Перелік заходів | Відповідальні виконавці | Джерела фінансування”).",
    "рядок без номера після розриву сторінки доповнює захід {code}":
        "an unnumbered row after a page break continues measure {code}",
    "стратегічна ціль №{number} іде після №{previous}": "strategic goal No. {number} follows No. {previous}",
    "Рядок {line}: оперативна ціль перед першою стратегічною ціллю.":
        "Line {line}: an operational goal before the first strategic goal.",
    "оперативна ціль {code} стоїть під стратегічною ціллю №{number}":
        "operational goal {code} stands under strategic goal No. {number}",
    "рядок не є ні ціллю, ні заходом і пропущений: «{text}»":
        "the row is neither a goal nor a measure and was skipped: “{text}”",
    "Рядок {line}: захід {code} стоїть поза оперативною ціллю.":
        "Line {line}: measure {code} stands outside an operational goal.",
    "Код заходу {code} повторюється (рядки {first} і {line}). Виправте нумерацію у файлі плану й імпортуйте знову.":
        "The measure code {code} is repeated (lines {first} and {line}). Fix the numbering in the plan file "
        "and import it again.",
    "рядок {code} без змісту — це не захід, пропущено": "row {code} has no content — not a measure, skipped",
    "{code}: текст завдання стояв у колонці заходів, захід — у колонці виконавців, "
    "виконавці — у колонці джерел фінансування; колонки повернуто на місця":
        "{code}: the task text stood in the measures column, the measure in the executors column, "
        "the executors in the funding sources column; the columns were put back",
    "{code}: текст заходу стояв у колонці завдань, виконавці та джерела — на колонку лівіше; "
    "колонки повернуто на місця, захід належить до завдання вище":
        "{code}: the measure text stood in the tasks column, the executors and sources one column to the left; "
        "the columns were put back, the measure belongs to the task above",
    "{code}: текст заходу стояв у колонці завдань; захід належить до завдання вище":
        "{code}: the measure text stood in the tasks column; the measure belongs to the task above",
    "{code}: «{text}» після розриву сторінки — продовження завдання «{task}…»":
        "{code}: “{text}” after a page break continues the task “{task}…”",
    "{code}: захід без завдання (порожня колонка завдань)":
        "{code}: a measure without a task (the tasks column is empty)",
    "{code}: джерела фінансування не вказано в таблиці; залишено порожніми":
        "{code}: no funding sources in the table; left empty",
    "захід {code} стоїть під оперативною ціллю {goal}": "measure {code} stands under operational goal {goal}",
    "після заходу {previous} іде {code}": "{code} follows measure {previous}",
    "{code}: відповідальних виконавців не вказано": "{code}: no responsible executors given",
    "{code}: бракує коми перед «{text}»; виконавців розділено":
        "{code}: a comma is missing before “{text}”; the executors were split",
    "{code}: виконавця «{text}» немає в довіднику; додано як нового":
        "{code}: the executor “{text}” is not in the directory; added as new",
    "{code}: «{text}» → «{name}»": "{code}: “{text}” → “{name}”",
    "{code}: джерело «{text}» → «{name}»": "{code}: source “{text}” → “{name}”",
    "{code}: джерела фінансування «{text}» немає в довіднику; додано як нове":
        "{code}: the funding source “{text}” is not in the directory; added as new",
    "захід {code} є в базі, але відсутній у файлі; залишено без змін":
        "measure {code} is in the database but not in the file; left unchanged",
    # directory of executors
    "структурний підрозділ міської ради": "structural unit of the city council",
    "комунальне підприємство чи заклад": "municipal enterprise or institution",
    "зовнішній партнер": "external partner",
    "Довідник виконавців «{path}» пошкоджено або не знайдено ({reason}). "
    "Перевстановіть програму або відновіть файл data/departments.json.":
        "The directory of executors “{path}” is damaged or missing ({reason}). "
        "Reinstall the program or restore the file data/departments.json.",
    "У довіднику виконавців невідомий вид «{kind}» для «{name}».":
        "The directory of executors has an unknown kind “{kind}” for “{name}”.",
    "«{text}» підходить до кількох виконавців: {listed}. Уточніть назву.":
        "“{text}” fits several executors: {listed}. Give more of the name.",
    "Виконавця «{text}» немає в довіднику. Можливо, ви мали на увазі: {listed}.":
        "There is no executor “{text}” in the directory. Perhaps you meant: {listed}.",
    "Виконавця «{text}» немає в довіднику.": "There is no executor “{text}” in the directory.",
    # report re-import
    "Захист від шкідливого XML вимкнено (OPENPYXL_DEFUSEDXML). "
    "Увімкніть його або встановіть пакет defusedxml; звіт не відкрито.":
        "Protection against harmful XML is off (OPENPYXL_DEFUSEDXML). "
        "Turn it on or install the defusedxml package; the report was not opened.",
    "Файл «{name}» містить небезпечні конструкції XML (оголошення сутностей, «XML-бомба»); "
    "його не відкрито. Відкрийте звіт в Excel чи LibreOffice і збережіть як .xlsx заново.":
        "The file “{name}” holds unsafe XML constructs (entity declarations, an “XML bomb”); "
        "it was not opened. Open the report in Excel or LibreOffice and save it as .xlsx again.",
    "Файл «{name}» пошкоджений, і Excel-книгу з нього прочитати не вдалося ({reason}). "
    "Відкрийте його в Excel чи LibreOffice, збережіть як «Книга Excel (.xlsx)» і спробуйте ще раз, "
    "або експортуйте звіт заново.":
        "The file “{name}” is damaged and no Excel workbook could be read from it ({reason}). "
        "Open it in Excel or LibreOffice, save it as “Excel Workbook (.xlsx)” and try again, "
        "or export the report anew.",
    "У файлі «{name}» немає аркуша «{sheet}»: це не звіт трекера, або аркуш "
    "перейменовано. Поверніть аркушу назву чи експортуйте звіт заново.":
        "The file “{name}” has no sheet “{sheet}”: it is not a tracker report, or the sheet "
        "was renamed. Give the sheet its name back or export the report anew.",
    "У файлі «{name}» немає прихованого аркуша «{sheet}» зі службовими даними звіту. "
    "Заповнюйте звіт, експортований трекером, не вилучаючи його аркушів.":
        "The file “{name}” has no hidden sheet “{sheet}” with the report's service data. "
        "Fill in a report exported by the tracker without removing any of its sheets.",
    "Файл «{name}» — звіт за {quarter}, а вибрано квартал {expected}. "
    "Оберіть {quarter} або візьміть звіт за потрібний квартал.":
        "The file “{name}” is the report for {quarter}, but the quarter chosen is {expected}. "
        "Choose {quarter} or take the report for the quarter you need.",
    "Захід {code}: його рядка немає у файлі (вилучено чи змінено код?); захід не змінено.":
        "Measure {code}: its row is not in the file (removed, or the code changed?); the measure was not changed.",
    "У файлі «{name}» пошкоджено службові дані звіту (аркуш «{sheet}»). "
    "Експортуйте звіт заново й перенесіть у нього заповнене.":
        "The report's service data in the file “{name}” is damaged (sheet “{sheet}”). "
        "Export the report anew and move what was filled in into it.",
    "Файл «{name}» має формат звіту версії «{version}», а ця програма читає версії "
    "{supported}. Експортуйте звіт цією програмою й заповніть його.":
        "The file “{name}” has report format version “{version}”, and this program reads versions "
        "{supported}. Export the report with this program and fill it in.",
    "невідомий": "unknown",
    "Файл «{name}» — звіт для іншого плану («{other}»), "
    "а не для «{plan}». Відкрийте базу з тим планом або візьміть інший звіт.":
        "The file “{name}” is a report for another plan (“{other}”), "
        "not for “{plan}”. Open the database with that plan or take another report.",
    "У файлі «{name}» пошкоджено рік чи квартал у службових даних звіту. Експортуйте звіт заново.":
        "The year or quarter in the report's service data in the file “{name}” is damaged. Export the report anew.",
    "Звіт «{name}» складено для виконавця «{executor}», якого немає в довіднику. "
    "Перевірте довідник виконавців або експортуйте звіт заново.":
        "The report “{name}” was made for the executor “{executor}”, who is not in the directory. "
        "Check the directory of executors or export the report anew.",
    "Рядок {row} (захід {code}): {message}": "Row {row} (measure {code}): {message}",
    "код трапляється в рядках {rows}; жоден із них не імпортовано. Залиште один рядок для заходу.":
        "the code appears in rows {rows}; none of them was imported. Keep one row for the measure.",
    "заходу з таким кодом у плані немає; рядок не імпортовано. Перевірте код у стовпці 1.":
        "the plan has no measure with this code; the row was not imported. Check the code in column 1.",
    "захід не належить до виконавця «{executor}», для якого складено звіт; рядок не імпортовано.":
        "the measure does not belong to the executor “{executor}” the report was made for; "
        "the row was not imported.",
    "змінено текст плану в стовпці «{heading}». Текст плану зі звіту не імпортується "
    "(його змінюють рішенням ради), тож рядок не імпортовано; поверніть текст плану.":
        "the plan text in the column “{heading}” was changed. Plan text is not imported from a report "
        "(it is changed by a council decision), so the row was not imported; put the plan text back.",
    "невідомий стан «{status}». Оберіть один зі списку: {labels}.":
        "unknown status “{status}”. Choose one from the list: {labels}.",
    "не вказано відсоток виконання (ціле число від 0 до 100).":
        "the percentage done is not given (a whole number from 0 to 100).",
    "відсоток виконання «{percent}» має бути цілим числом від 0 до 100.":
        "the percentage done “{percent}” must be a whole number from 0 to 100.",
    "заповнено виконання, але стан — «{not_submitted}». Оберіть стан зі списку "
    "({labels}), інакше рядок не імпортується.":
        "progress is filled in, but the status is “{not_submitted}”. Choose a status from the list "
        "({labels}), or the row will not be imported.",
    "Звіт не імпортовано: {reasons}": "The report was not imported: {reasons}",
    "Заходу {code} вже немає в базі. Перегляньте звіт ще раз.":
        "Measure {code} is no longer in the database. Review the report again.",
    "Захід {code} за {quarter} змінено після перегляду звіту. "
    "Відкрийте звіт ще раз, щоб побачити актуальні зміни; нічого не записано.":
        "Measure {code} for {quarter} was changed after the report was reviewed. "
        "Open the report again to see the current changes; nothing was written.",
    # report export
    "«{executor}» не є відповідальним виконавцем жодного заходу; звіт був би порожнім.":
        "“{executor}” is not the responsible executor of any measure; the report would be empty.",
    "Не вдалося записати «{path}»: файл відкритий в іншій програмі або немає доступу. "
    "Закрийте його або оберіть інше місце.":
        "Could not write “{path}”: the file is open in another program or access is denied. "
        "Close it or choose another place.",
    "Не вдалося записати «{path}»: {reason}. Оберіть інше місце.":
        "Could not write “{path}”: {reason}. Choose another place.",
    # database: server, opening, backups, restore, copy
    "Адреса має вигляд postgresql://користувач:пароль@сервер:5432/база.":
        "The address looks like postgresql://user:password@server:5432/database.",
    "Адресу бази на сервері не вдалося розібрати ({place}).":
        "The server database address could not be read ({place}).",
    "В адресі {place} немає назви бази даних.": "The address {place} has no database name.",
    "Сервер PostgreSQL {place} не прийняв користувача «{user}» з цим паролем. "
    "Перевірте ім'я та пароль в адресі бази або попросіть їх в адміністратора сервера.":
        "The PostgreSQL server {place} did not accept the user “{user}” with this password. "
        "Check the name and password in the database address or ask the server administrator for them.",
    "користувач": "user",
    "На сервері PostgreSQL {place} немає бази «{name}». Перевірте назву бази в адресі "
    "або попросіть адміністратора створити її (createdb -O {user} {name}).":
        "The PostgreSQL server {place} has no database “{name}”. Check the database name in the address "
        "or ask the administrator to create it (createdb -O {user} {name}).",
    "Сервер PostgreSQL {place} не відповідає ({detail}). Перевірте, що сервер запущено, "
    "що адресу й порт вказано правильно і що комп'ютер підключено до мережі офісу.":
        "The PostgreSQL server {place} does not answer ({detail}). Check that the server is running, "
        "that the address and port are right and that the computer is connected to the office network.",
    "Не вдалося підключитися до бази «{name}» на сервері PostgreSQL {place}: {detail}. "
    "Перевірте адресу бази й доступ до сервера або зверніться до адміністратора.":
        "Could not connect to the database “{name}” on the PostgreSQL server {place}: {detail}. "
        "Check the database address and access to the server, or ask the administrator.",
    "Не вдалося створити теку для бази даних «{folder}»: {reason}. Вкажіть інше місце для бази даних.":
        "Could not create the folder for the database “{folder}”: {reason}. Choose another place for the database.",
    "Не вдалося відкрити базу «{address}»: {reason}. "
    "Перевірте адресу (sqlite:///шлях або postgresql://користувач@сервер/база).":
        "Could not open the database “{address}”: {reason}. "
        "Check the address (sqlite:///path or postgresql://user@server/database).",
    "Не вдалося відкрити базу даних «{address}»: {reason}. "
    "Перевірте, що це файл бази трекера і що до нього є доступ.":
        "Could not open the database “{address}”: {reason}. "
        "Check that it is a tracker database file and that you have access to it.",
    "Файл «{path}» не є базою даних SQLite ({reason}). Вкажіть інший файл бази даних.":
        "The file “{path}” is not an SQLite database ({reason}). Choose another database file.",
    "Не вдалося прочитати файл «{path}»: {reason}. Файл не змінено; перевірте права доступу до нього й до його теки.":
        "Could not read the file “{path}”: {reason}. The file was not changed; check the access rights to it and to "
        "its folder.",
    "Резервні копії поруч із базою (перед імпортом, оновленням, щодня) програма робить лише для файла SQLite; базу на "
    "сервері резервує адміністратор сервера.":
        "The program makes backups beside the database (before an import, an upgrade, daily) only for an SQLite "
        "file; a server database is backed up by the server's administrator.",
    "Не вдалося зробити резервну копію у «{target}»: {reason}. Перевірте місце на диску та доступ до теки.":
        "Could not make a backup copy in “{target}”: {reason}. Check the disk space and access to the folder.",
    "Файл «{path}» не знайдено.": "The file “{path}” was not found.",
    "Файл «{name}» не є базою даних трекера ({reason}). Оберіть інший файл.":
        "The file “{name}” is not a tracker database ({reason}). Choose another file.",
    "Файл «{name}» пошкоджено (перевірка цілісності: {status}). Оберіть іншу копію.":
        "The file “{name}” is damaged (integrity check: {status}). Choose another copy.",
    "Файл «{name}» не є базою даних трекера (немає плану). Оберіть інший файл.":
        "The file “{name}” is not a tracker database (it has no plan). Choose another file.",
    "Не вдалося відновити з «{name}»: {reason}. Поточну базу не змінено; її копія — «{copy}».":
        "Could not restore from “{name}”: {reason}. The current database was not changed; its copy is “{copy}”.",
    "Перевірка копії не зійшлася в таблиці «{table}»: у джерелі {rows} рядків, "
    "у копії {copied}; контрольні суми {checksums}. "
    "Нічого не збережено; повідомте розробникам і не видаляйте базу-джерело.":
        "The check of the copy failed in the table “{table}”: {rows} rows in the source, "
        "{copied} in the copy; the checksums {checksums}. "
        "Nothing was saved; tell the developers and do not delete the source database.",
    "збігаються": "match",
    "різні": "differ",
    "Перенесення бази зупинено помилкою сервера бази даних: {reason}. "
    "Нічого не збережено; база-джерело не змінена.":
        "The database copy was stopped by a database server error: {reason}. "
        "Nothing was saved; the source database is unchanged.",
    "Файлу бази «{path}» немає. Перевірте шлях до бази, яку копіюєте.":
        "There is no database file “{path}”. Check the path to the database you are copying.",
    "База «{address}» не є базою трекера цієї версії. Якщо це база старішої "
    "версії, відкрийте її один раз програмою (її буде оновлено) і повторіть перенесення.":
        "The database “{address}” is not a tracker database of this version. If it is from an older "
        "version, open it once with the program (it will be upgraded) and repeat the copy.",
    "У базі «{address}» вже є план «{plan}». Переносити можна "
    "лише в порожню базу: створіть нову базу на сервері й вкажіть її як місце призначення.":
        "The database “{address}” already holds the plan “{plan}”. A copy can only go into an empty "
        "database: create a new database on the server and give it as the destination.",
    "База «{address}» не порожня. Переносити можна лише в порожню "
    "базу: створіть нову базу на сервері й вкажіть її як місце призначення.":
        "The database “{address}” is not empty. A copy can only go into an empty "
        "database: create a new database on the server and give it as the destination.",
})

# the progress field table and the write path (tracker/progress)
EN.update({
    "Відсоток виконання «{value}» має бути цілим числом від 0 до 100.":
        "Percent done “{value}” must be a whole number from 0 to 100.",
    "Відсоток виконання має бути цілим числом від 0 до 100, а не «{value}».":
        "Percent done must be a whole number from 0 to 100, not “{value}”.",
    "Невідоме поле «{name}». Можливі: {known}.": "Unknown field “{name}”. Known fields: {known}.",
    "невідомий стан «{value}»": "unknown status “{value}”",
    "неправильний відсоток «{value}»": "wrong percent “{value}”",
    "неправильна сума «{value}»": "wrong sum “{value}”",
    "Сума «{value}» має бути невід'ємним числом у тисячах гривень.":
        "The sum “{value}” must be a non-negative number in thousands of hryvnias.",
    "Сума «{value}» має бути числом у тисячах гривень, наприклад 125,5.":
        "The sum “{value}” must be a number in thousands of hryvnias, e.g. 125.5.",
    "Захід {code} за {quarter}: запис, який ви редагували (версія {expected}), тим часом скасовано.":
        "Measure {code} for {quarter}: the record you were editing (version {expected}) has been undone meanwhile.",
    "Захід {code} за {quarter} тим часом зберіг(-ла) {who} о {when}: зараз версія {version}, "
    "а ви редагували {edited}.":
        "Measure {code} for {quarter} was saved meanwhile by {who} at {when}: it is now version {version}, "
        "and you were editing {edited}.",
    "новий запис": "a new record",
    "версію {expected}": "version {expected}",
    "Ваші зміни не збережено. Перегляньте обидві версії, виберіть або поєднайте значення й збережіть ще раз.":
        "Your changes were not saved. Look at both versions, choose or combine the values and save again.",
    "Цього заходу вже немає в базі (його вилучено з плану). Оновіть вікно.":
        "This measure is no longer in the database (it was removed from the plan). Reload the window.",
    "Заходу з кодом «{code}» у плані немає. Коди мають вигляд 1.2.8.":
        "The plan has no measure with the code “{code}”. Codes look like 1.2.8.",
    "Стан «{done}» означає 100 %, а вказано {percent} %. Вкажіть 100 % або оберіть стан «{in_progress}» "
    "чи «{partially}».":
        "Status “{done}” means 100 %, but {percent} % is given. Give 100 % or choose “{in_progress}” "
        "or “{partially}”.",
    "Стан «{not_started}» означає 0 %, а вказано {percent} %. Вкажіть 0 % або оберіть стан «{in_progress}».":
        "Status “{not_started}” means 0 %, but {percent} % is given. Give 0 % or choose “{in_progress}”.",
    "Захід {code} за {quarter} змінено після цього збереження; скасування могло б стерти новіші дані. "
    "Перегляньте історію й виправте значення вручну.":
        "Measure {code} for {quarter} was changed after that save; undoing it could erase newer data. "
        "Look at the history and correct the values by hand.",
    "Для заходу {code} за {quarter} ще не вказано «{field}». Вкажіть його.":
        "For measure {code} in {quarter} “{field}” is not given yet. Give it.",
})

# exchange: conflicts (tracker/exchange/sync.py)
EN.update({
    "У базі ще немає плану. Спершу створіть базу з планом.":
        "The database has no plan yet. Create the database with the plan first.",
    "Невідомий спосіб розв'язання «{choice}». Можливі: local, incoming, value.":
        "Unknown way to resolve “{choice}”. Possible: local, incoming, value.",
    "Конфлікту № {id} немає серед нерозв'язаних: його вже розв'язано або номер неправильний.":
        "Conflict no. {id} is not among the open ones: it has been resolved already or the number is wrong.",
    "Вкажіть значення, яке записати.": "Give the value to write.",
    "На іншому пристрої цей запис за квартал скасовано, тож його значення порожнє і записати його не можна. "
    "Залиште своє значення або вкажіть нове.":
        "On the other device this quarter's record was undone, so its value is empty and cannot be written. "
        "Keep your value or give a new one.",
})

EN.update({
    "Цього виконавця вже немає в довіднику. Оновіть вікно.":
        "This executor is no longer in the directory. Reload the window.",
})

# exchange: package files, merging, importing (tracker/exchange/{package,merge,sync}.py)
EN.update({
    "подія не є об'єктом": "the event is not an object",
    "неправильний ідентифікатор зміни": "wrong change identifier",
    "неправильні попередні зміни": "wrong previous changes",
    "неправильний підпис зміни": "wrong signature of the change",
    "Цей квартал ще не почався; показано стан за {quarter}.": "This quarter has not begun yet; shown is the state in {quarter}.",
    "Цей квартал ще не почався; звіт за нього ще не подано.":
        "This quarter has not begun yet; no report for it has been submitted.",
    "Вкажіть своє ім'я: воно записується в історію кожної вашої зміни.":
        "Enter your name: it is written into the history of every change you make.",
    ("Змін, нібито зроблених на іншому пристрої, але не підписаних ним, у пакеті: {count}. Їх не прийнято: "
     "пристрій-відправник видає свої зміни за чужі (пакет підроблено або зроблено зі зміненої бази). Решту "
     "змін з пакета прийнято; справжні зміни того пристрою прийдуть у його власному пакеті."):
        ("Changes said to be made on another device but not signed by it, in the package: {count}. They were not "
         "taken: the sending device passes its changes off as another's (the package was forged or made from an "
         "altered database). The rest of the package was taken; that device's real changes come in its own package."),
    ("Змін, зроблених на пристроях, яким ця база більше не довіряє ({devices}), у пакеті: {count}. Їх не прийнято, як "
     "не приймаються й власні пакети цих пристроїв: довіру до них відкликано. Зміни, що прийшли до відкликання, "
     "залишилися. Решту змін з пакета прийнято."):
        ("Changes made on devices this database no longer trusts ({devices}), in the package: {count}. They were not "
         "taken, as those devices' own packages are not: trust in them was revoked. Changes that came before the "
         "revoking stay. The rest of the package was taken."),
    ("Файл «{name}» — пакет змін трекера, а не звіт. Його імпортують як пакет змін (Файл → Імпорт пакета "
     "змін…)."):
        "“{name}” is a tracker's package of changes, not a report. Import it as a package (File → Import "
        "change package…).",
    ("Файл «{name}» — книга Excel чи документ Word, а не пакет змін. Заповнений звіт імпортують як звіт (Звіт → "
     "Імпорт заповненого звіту…). Нічого не змінено."):
        "“{name}” is an Excel workbook or a Word document, not a package of changes. A filled-in report is imported "
        "as a report (Report → Import filled-in report…). Nothing was changed.",
    "Цей пакет зроблено цією ж базою ({when:%d.%m.%Y %H:%M}), а не на іншому пристрої: чи той файл ви вибрали?":
        "This package was made by this very database ({when:%d.%m.%Y %H:%M}), not on another device: is it the file "
        "you meant?",
    "архів усередині пошкоджено": "the archive inside is damaged",
    "бракує частини файла": "a part of the file is missing",
    "пошкоджено розмітку XML": "its XML is damaged",
    "текст у незнайомому кодуванні": "text in an unknown encoding",
    "файл обривається": "the file breaks off",
    "частину файла не прочитано": "a part of the file could not be read",
    "вкладеність глибша, ніж буває в справжньому файлі": "nested deeper than any real file is",
    "файл розгортається в завеликий обсяг": "the file unpacks into too much",
    "вміст не відповідає формату": "its contents do not match the format",
    ("Рядок {line}: код заходу «{code}» задовгий — у частині коду більше трьох цифр. Виправте нумерацію у файлі "
     "плану й імпортуйте знову."):
        ("Line {line}: the measure code “{code}” is too long — a part of it has more than three digits. Correct the "
         "numbering in the plan file and import it again."),
    ("Увага: змін, датованих часом, коли їх не могли зробити (напр. {when:%d.%m.%Y %H:%M}), у пакеті: {count}. "
     "Годинник пристрою, на якому їх зроблено, показував неправильну дату (або пакет підроблено). Зміни прийнято з "
     "їхніми датами, але в конфліктах дата вирішує, яка зміна новіша: виправте дату й час на тому пристрої."):
        ("Warning: changes dated when they cannot have been made (e.g. {when:%d.%m.%Y %H:%M}), in the package: "
         "{count}. The clock of the device they were made on showed a wrong date (or the package was forged). They "
         "were taken with their dates, but in a conflict the date decides which change is newer: correct the date and "
         "time on that device."),
    ("Увага: довіру до цього ключа тут відкликано {when:%d.%m.%Y} (пристрій «{device}»). Це той самий пристрій під "
     "новим ідентифікатором — його базу відновлено з копії. Довіряйте йому, лише якщо причини відкликання (напр. "
     "крадіжки) вже немає: тоді прийдуть і зміни, зроблені на ньому після відкликання."):
        ("Warning: trust in this key was revoked here on {when:%d.%m.%Y} (device “{device}”). It is the same device "
         "under a new identifier — its database was restored from a copy. Trust it only if the reason for revoking "
         "(e.g. a theft) is gone: the changes made on it after the revoking will then come too."),
    ("Сума «{value}»: дробову частину тут відділяють крапкою (125.5), а кому не прочитано — напишіть суму без "
     "неї."):
        "Sum “{value}”: the decimal mark here is a point (125.5), and a comma is not read — type the sum without it.",
    "Інше поле цього запису змініть у формі заходу (або вкажіть тут інше значення), тоді розв'яжіть цей конфлікт.":
        "Change the record's other field in the measure's form (or give another value here), then resolve this "
        "conflict.",
    "невідоме поле «{name}»": "unknown field “{name}”",
    "неправильний квартал": "wrong quarter",
    "поле «{name}» має бути текстом": "the field “{name}” must be text",
    "немає коду заходу або набору змін": "no measure code or change set",
    "неправильний час зміни": "wrong time of the change",
    "неправильна позначка послідовності": "wrong sequence mark",
    "немає плану або пристрою": "no plan or device",
    "неправильний план або пристрій": "wrong plan or device",
    "неправильний заголовок": "wrong header",
    "неправильні назви пристроїв": "wrong device names",
    "неправильний час створення": "wrong creation time",
    "кількість подій не збігається із заголовком": "the number of events does not match the header",
    "подія {number}: {reason}": "event {number}: {reason}",
    "події повторюються": "events repeat",
    "Не вдалося записати пакет змін у «{path}»: {reason}. Перевірте, що тека існує і в неї можна писати.":
        "Could not write the change package to “{path}”: {reason}. Check that the folder exists and can be "
        "written to.",
    "Файл «{name}» пошкоджений або обрізаний: це не цілий пакет змін. Попросіть надіслати пакет ще раз. "
    "Нічого не змінено.":
        "The file “{name}” is damaged or cut short: it is not a whole change package. Ask for the package to "
        "be sent again. Nothing was changed.",
    "Файл «{name}» завеликий для пакета змін. Нічого не змінено.":
        "The file “{name}” is too large for a change package. Nothing was changed.",
    "Не вдалося прочитати файл «{name}»: {reason}.": "Could not read the file “{name}”: {reason}.",
    "Файл «{name}» не є пакетом змін трекера. Нічого не змінено.":
        "The file “{name}” is not a tracker change package. Nothing was changed.",
    "Пакет «{name}» створено іншою версією програми (формат {version}); оновіть програму на обох комп'ютерах. "
    "Нічого не змінено.":
        "The package “{name}” was made by another version of the program (format {version}); update the "
        "program on both computers. Nothing was changed.",
    "Пакет «{name}» змінено або пошкоджено після створення: контрольна сума не збігається. Такий пакет не "
    "приймається; попросіть створити його ще раз. Нічого не змінено.":
        "The package “{name}” was changed or damaged after it was made: the checksum does not match. Such a "
        "package is not accepted; ask for it to be made again. Nothing was changed.",
    "Пакет «{name}» має неправильний вміст ({reason}). Нічого не змінено.":
        "The package “{name}” has wrong contents ({reason}). Nothing was changed.",
    "Пакет змін розпаковується в підозріло великий обсяг; його не відкрито. Нічого не змінено.":
        "The change package unpacks to a suspiciously large size; it was not opened. Nothing was changed.",
    "Пакет «{name}» зроблено для іншого плану («{title}»), а в цій базі плану немає. Нічого не змінено.":
        "The package “{name}” was made for another plan (“{title}”), and this database has no plan. "
        "Nothing was changed.",
    "Пакет «{name}» зроблено для іншого плану («{title}»), а в цій базі — «{here}». Нічого не змінено.":
        "The package “{name}” was made for another plan (“{title}”), and this database holds “{here}”. "
        "Nothing was changed.",
    "Пакет «{name}» має зміни за {year} рік, поза межами плану ({first}–{last}). Нічого не змінено.":
        "The package “{name}” has changes for {year}, outside the plan's years ({first}–{last}). "
        "Nothing was changed.",
    "На іншому пристрої запис за цей квартал вилучено (скасовано його перше збереження), а тут він є. "
    "Залиште своє значення або вкажіть нове.":
        "On the other device this quarter's record was removed (its first save was undone), but here it "
        "exists. Keep your value or give a new one.",
    "заходу з таким кодом немає в плані": "the plan has no measure with this code",
    "ще не надійшла зміна, яку ця замінює": "the change this one replaces has not arrived yet",
})

# text as it enters (tracker/text.py, the field table, packages)
EN.update({
    "Текст поля «{field}» задовгий: {length} символів, а вміщається {limit}. Скоротіть його.":
        "The text of “{field}” is too long: {length} characters, and {limit} fit. Shorten it.",
    "неприпустимий текст у полі «{field}»": "text not allowed in the field “{field}”",
    "неприпустимий текст у полі «{name}»": "text not allowed in the field “{name}”",
})

# database failures (tracker/storage/failures.py)
EN.update({
    "Зміни не записано; спробуйте ще раз.":
        "The changes were not saved; try again.",
    "База даних зайнята: у неї саме записує інша програма або інший користувач. Зачекайте хвилину й повторіть.":
        "The database is busy: another program or user is writing to it. Wait a minute and try again.",
    "На диску, де лежить база даних, скінчилося місце. Звільніть місце й повторіть.":
        "The disk holding the database is full. Free some space and try again.",
    "Базу даних відкрито лише для читання (файл захищено від запису або диск змонтовано лише для читання). "
    "Перевірте доступ до файла або відкрийте іншу базу.":
        "The database is open read-only (the file is write-protected or the disk is mounted read-only). "
        "Check access to the file or open another database.",
    "Не вдалося прочитати чи записати файл бази даних (помилка диска або носія). Перевірте диск чи флешку й "
    "повторіть.":
        "Could not read or write the database file (a disk or media error). Check the disk or USB stick and "
        "try again.",
    "Файл не є базою даних трекера або пошкоджений ({detail}). Перевірте, що вказано потрібний файл; якщо це "
    "ваша база, відновіть її з резервної копії.":
        "The file is not a tracker database or is damaged ({detail}). Check that the right file is given; if it "
        "is your database, restore it from a backup.",
    "Зв'язок із сервером бази даних втрачено ({detail}). Перевірте мережу й повторіть.":
        "The connection to the database server was lost ({detail}). Check the network and try again.",
    "Помилка бази даних: {detail}.": "Database error: {detail}.",
})

EN.update({
    "Цю базу даних оновлено новішою версією програми (зміни схеми: {names}), тож ця версія її не відкриває, щоб "
    "нічого не зіпсувати. Оновіть програму на цьому комп'ютері.":
        "This database was upgraded by a newer version of the program (schema changes: {names}), so this version "
        "does not open it, so as to damage nothing. Update the program on this computer.",
})

# damaged databases (tracker/storage/recovery.py, backup.py)
EN.update({
    "Файл бази даних «{name}» пошкоджено ({problem}). Щоб не зіпсувати дані ще більше, його не відкрито й не "
    "скопійовано в резервні копії.":
        "The database file “{name}” is damaged ({problem}). So as not to damage the data further, it was neither "
        "opened nor copied into the backups.",
    "Найновіша ціла резервна копія — від {when} ({reason}): «{path}». Відновіть базу з неї.":
        "The newest whole backup is from {when} ({reason}): “{path}”. Restore the database from it.",
    "Цілої резервної копії цієї бази немає; зверніться до адміністратора.":
        "There is no whole backup of this database; ask the administrator.",
    "Копія «{name}» теж пошкоджена ({problem}). Оберіть іншу.": "The copy “{name}” is damaged too ({problem}). "
        "Choose another one.",
    "Не вдалося відновити «{name}» з копії: {reason}. Файли не змінено.":
        "Could not restore “{name}” from the copy: {reason}. No file was changed.",
    "Базу «{name}» пошкоджено ({problem}), тож її не скопійовано: пошкоджена копія витіснила б цілі. Перевірте "
    "базу командою перевірки або відновіть її з цілої копії.":
        "The database “{name}” is damaged ({problem}), so it was not copied: a damaged copy would push out whole "
        "ones. Check the database or restore it from a whole copy.",
})

EN.update({
    "Базу даних пошкоджено": "The database is damaged",
    "Відновити базу з цієї копії зараз? Пошкоджений файл буде збережено поруч із нею.":
        "Restore the database from this copy now? The damaged file will be kept beside it.",
})

EN.update({
    "Файл «{path}» — база даних іншої програми, не трекера. Її не змінено; вкажіть файл бази трекера.":
        "“{path}” is another program's database, not the tracker's. It was not changed; give a tracker database file.",
})

# the start when the database cannot be opened (ui/database/start_dialog.py)
EN.update({
    "Не вдалося відкрити базу «{database}».": "Could not open the database “{database}”.",
    "Оберіть, з якою базою працювати: інший файл бази; типову базу в теці даних цього комп'ютера (буде "
    "створено з вбудованим планом, якщо її ще немає); або базу на сервері офісу.":
        "Choose the database to work with: another database file; the default database in this computer's data "
        "folder (made with the bundled plan if there is none yet); or the office's database on a server.",
    "Інший файл…": "Another file…",
    "Типова база": "Default database",
    "Сервер…": "Server…",
    "Вийти": "Quit",
})

EN.update({
    "&Зберегти копію бази…": "Sa&ve a copy of the database…",
    "Зберегти копію бази": "Save a copy of the database",
    "База трекера (*.sqlite3)": "Tracker database (*.sqlite3)",
    "Копіювання бази…": "Copying the database…",
    "Копію бази збережено: {path}": "Copy of the database saved: {path}",
})

EN.update({
    "Базу даних саме оновлює інша програма, і це триває задовго. Зачекайте й відкрийте її ще раз.":
        "Another program is upgrading the database and it is taking long. Wait and open it again.",
})

EN.update({
    "Файл «{path}» порожній: бази трекера в ньому ще немає. Нічого не змінено.":
        "The file “{path}” is empty: there is no tracker database in it yet. Nothing was changed.",
    "Порожній файл": "Empty file",
    "Файл «{path}» порожній. Створити в ньому нову базу трекера з вбудованим планом?":
        "The file “{path}” is empty. Create a new tracker database with the bundled plan in it?",
    "Нову базу у файлі «{path}» не створено; файл не змінено.":
        "No new database was created in “{path}”; the file was not changed.",
    "Перервано (Ctrl+C). Незавершений запис скасовано: з нього нічого не записано.":
        "Interrupted (Ctrl+C). The unfinished write was cancelled: nothing of it was written.",
    "База даних зайнята: у неї саме записує інша програма. Чекаю, доки вона закінчить (до {minutes} хв; Ctrl+C — скасувати)…":
        "The database is busy: another program is writing to it. Waiting for it to finish (up to {minutes} min; Ctrl+C to cancel)…",
    "Базу звільнено, записую.":
        "The database is free now; writing.",
    "Змін для заходів, яких немає в плані цієї бази: {count} (коди на тому пристрої: {codes}). Їх збережено окремо й не застосовано: у записах і звітах їх немає.":
        "Changes for measures this database's plan does not have: {count} (codes on that device: {codes}). They are kept aside and not applied: they are in no record or report.",
    "Їх буде застосовано самі, щойно ці заходи з'являться в плані тут — коли тут приймуть ту саму зміну до плану, що й на тому пристрої.":
        "They are applied by themselves once the plan here has these measures — when the same amendment of the plan as on that device is taken here.",
    "Заходи з кодами {codes} у плані тут є, але їх внесено іншою зміною до плану (інше формулювання чи квартал), тож це інші заходи, і зміни для них самі не застосуються. Якщо це ті самі заходи, внесіть ці значення в них вручну (їх перелік — під конфліктами обміну).":
        "Measures with the codes {codes} are in the plan here, but another amendment made them (other wording or quarter), so they are other measures and the changes for them are not applied by themselves. If they are the same measures, enter these values into them by hand (they are listed under the exchange conflicts).",
    "{code}{title}, {quarter}, {field}: {value} ({by}, {at}, «{device}»)": "{code}{title}, {quarter}, {field}: {value} ({by}, {at}, «{device}»)",
    "Застосовано змін, збережених раніше окремо, бо їхніх заходів не було в плані цієї бази: {count}.":
        "Changes kept aside before, because the plan here lacked their measures, applied now: {count}.",
    "Окремо збережено змін для заходів, яких немає в плані цієї бази: {count} (коди: {codes}; від: {devices}).":
        "Kept aside: changes for measures this database's plan does not have: {count} (codes: {codes}; from: {devices}).",
    "Перелік — Файл → Конфлікти обміну.": "The list: File → Exchange conflicts.",
    "Увага.": "Note.",
    "+{count} викл.": "+{count} removed",
    "Показано й заходи, виключені з плану на цей квартал: {count}. У кількості їх не враховано.":
        "Measures removed from the plan for this quarter are shown too: {count}. They are not in the count.",
    "Пакет від «{device}» має змін для заходів, яких у плані тут немає: {count}, а окремо збережено таких уже {kept} — разом більше {limit}, ніж дала б будь-яка зміна до плану. Пакет не прийнято, нічого не змінено. Перевірте той пристрій і приберіть непотрібні з переліку окремо збережених змін.":
        "The package from «{device}» has changes for measures the plan here lacks: {count}, and {kept} such are kept aside already — together more than {limit}, more than any amendment of the plan would give. The package was not taken; nothing was changed. Check that device and take the unneeded ones off the list of changes kept aside.",
    "Захід із кодом {code} у плані тут є, але його внесено іншою зміною до плану (інше формулювання чи квартал), тож це інший захід, і зміни для нього самі не застосуються. Якщо це той самий захід, внесіть ці значення в нього вручну (їх перелік — під конфліктами обміну).":
        "A measure with the code {code} is in the plan here, but another amendment made it (other wording or quarter), so it is another measure and the changes for it are not applied by themselves. If it is the same measure, enter these values into it by hand (they are listed under the exchange conflicts).",
    "Зміни для заходів {codes} буде застосовано самі, щойно ці заходи з'являться в плані тут.":
        "The changes for measures {codes} are applied by themselves once the plan here has these measures.",
    "… перелік скорочено: показано значень — {shown}; усього окремо збережено змін — {count}.":
        "… the list is cut: values shown — {shown}; changes kept aside in all — {count}.",
    "&Прибрати окремо збережені…": "Take the kept-aside changes off the &list…",
    "Окремо збережені зміни": "Changes kept aside",
    "Прибрати з переліку окремо збережені зміни ({count}, коди: {codes})? Робіть це, коли їхні значення вже внесено вручну або вони не потрібні: тоді їх не буде показано й застосовано, навіть коли захід з'явиться в плані. У базі вони лишаться.":
        "Take the changes kept aside off the list ({count}, codes: {codes})? Do so once their values have been entered by hand or when they are not wanted: they will then be neither shown nor applied, even when the measure appears in the plan. They stay in the database.",
    "прибрано з переліку окремо збережених": "taken off the list of those kept aside",
    "⚠ Окремо збережені зміни з пакетів: {count}": "⚠ Changes from packages kept aside: {count}",
    "Значення з пакетів змін, які чекають на ваше рішення, і зміни для заходів, яких у плані тут немає. Натисніть, щоб переглянути.":
        "Values from change packages waiting for your decision, and changes for measures the plan here lacks. Click to see them.",
    "(поза планом)": "(out of the plan)",
    "Захід {code} «{title}» виключено з плану на {quarter} ({decision}) вже після цього збереження: його запис за цей квартал ніде не показується, тож збереження не скасовується. Нічого не змінено.":
        "Measure {code} «{title}» was removed from the plan for {quarter} ({decision}) after this save: its record for that quarter is shown nowhere, so the save is not undone. Nothing was changed.",
    "Рядок {row} (захід {code}, тепер {now}): {message}": "Row {row} (measure {code}, now {now}): {message}",
    "Зміни, збережені окремо з пакетів, зараз не застосовано ({reason}); їх застосує наступний імпорт пакета змін.":
        "Changes kept aside from packages were not applied now ({reason}); the next package import applies them.",
    "{code} (тепер {now})": "{code} (now {now})",
    "у {quarter} захід був поза планом: цей запис не показується в переліку й звітах, рішення збережеться в історії заходу":
        "in {quarter} the measure was out of the plan: this record is shown in no list or report; the decision is kept in the measure's history",
    "Зміни до плану з пакета ({decisions}) тут уже є: план у цій базі змінено так само й з того самого кварталу.":
        "The plan amendments in the package ({decisions}) are here already: this database's plan was amended the same way, from the same quarter.",
    "заходу немає в плані цієї бази": "the measure is not in this database's plan",
    "Запис скасовано: база даних була зайнята іншою програмою. Нічого не записано; введене не втрачено — спробуйте ще раз, коли вона закінчить.":
        "Saving cancelled: another program was writing to the database. Nothing was written; what you typed is kept — try again when it is done.",
    "Файл «{name}» містить {size} МБ тексту в спільних рядках — більше, ніж може мати план чи звіт. Його не відкрито.":
        "The file “{name}” holds {size} MB of shared-string text — more than a plan or a report can have. It was not opened.",
    "База даних зайнята: у неї саме записує інша програма або інший користувач. Чекаю, доки вона закінчить… ({seconds} с)":
        "The database is busy: another program or user is writing to it. Waiting for it to finish… ({seconds} s)",
    "Скасування…":
        "Cancelling…",
    "Запис…":
        "Saving…",
    "Документ «{name}» має понад {rows} рядків — це не план заходів.":
        "The document “{name}” has more than {rows} rows — it is not an action plan.",
    "Документ «{name}» пошкоджений, і прочитати його не вдалося ({reason}). Відкрийте його в Word чи LibreOffice і збережіть як .docx.":
        "The document “{name}” is damaged and could not be read ({reason}). Open it in Word or LibreOffice and save it as .docx.",
    "Документ «{name}» після розпакування займав би {size} МБ — більше, ніж може мати план. Його не відкрито.":
        "Unpacked, the document “{name}” would take {size} MB — more than a plan can have. It was not opened.",
    "Файл «{name}» захищений паролем або збережений у старому форматі .doc. Зніміть пароль і збережіть його як «Документ Word (.docx)».":
        "The file “{name}” is password-protected or saved in the old .doc format. Remove the password and save it as “Word Document (.docx)”.",
    "Файл «{name}» не є документом Word .docx (можливо, це перейменований .doc чи .rtf). Відкрийте його в Word чи LibreOffice і збережіть як .docx.":
        "The file “{name}” is not a Word .docx document (perhaps a renamed .doc or .rtf). Open it in Word or LibreOffice and save it as .docx.",
    "Файл «{name}» пошкоджений або обрізаний: це не цілий архів .docx.":
        "The file “{name}” is damaged or cut short: it is not a whole .docx archive.",
    "Файл «{name}» — zip-архів, але не документ Word .docx.":
        "The file “{name}” is a zip archive, but not a Word .docx document.",
    "{old} «{old_title}» (оперативна ціль {old_goal}) ↔ {new} «{new_title}» (оперативна ціль {new_goal}): схожість {percent} %":
        "{old} “{old_title}” (operational goal {old_goal}) ↔ {new} “{new_title}” (operational goal {new_goal}): {percent} % alike",
    "{what}: «{old}» → «{new}»":
        "{what}: “{old}” → “{new}”",
    "Заходу {code} немає в плані, що зараз у базі.":
        "The plan in the database has no measure {code}.",
    "Заходу {code} немає у файлі зі змінами.":
        "The amended file has no measure {code}.",
    "Захід {code} з файла вказано і як новий, і як зіставлений.":
        "Measure {code} of the file is given both as new and as paired.",
    "Захід {code} з файла зіставлено з кількома заходами плану.":
        "Measure {code} of the file is paired with several measures of the plan.",
    "виконавці {code}: {change}":
        "executors of {code}: {change}",
    "вилучено {code}: «{title}»":
        "removed {code}: “{title}”",
    "джерела фінансування {code}: {change}":
        "funding sources of {code}: {change}",
    "додано {code}: «{title}» (оперативна ціль {goal})":
        "added {code}: “{title}” (operational goal {goal})",
    "завдання (оперативна ціль {where})":
        "task (operational goal {where})",
    "змінено текст {code}: «{old}» → «{new}» (схожість {percent} %)":
        "reworded {code}: “{old}” → “{new}” ({percent} % alike)",
    "назва плану":
        "plan title",
    "оперативна ціль {where}":
        "operational goal {where}",
    "перенесено {code}: з «{old_task}» (оперативна ціль {old_goal}) до «{new_task}» (оперативна ціль {new_goal})":
        "moved {code}: from “{old_task}” (operational goal {old_goal}) to “{new_task}” (operational goal {new_goal})",
    "перенумеровано {old} → {new}: «{title}»":
        "renumbered {old} → {new}: “{title}”",
    "стратегічна ціль {where}":
        "strategic goal {where}",
    "інший порядок":
        "another order",
    "Файл «{name}» змінює план «{title}»: змінено заходів — {changed}, додано — {added}, повернуто — {back}, вилучено — {removed}, сумнівних пар — {questions}, змінено назв — {titles}. Нічого не записано.":
        "The file “{name}” amends the plan “{title}”: measures changed — {changed}, added — {added}, brought back — {back}, removed — {removed}, uncertain pairings — {questions}, titles changed — {titles}. Nothing was written.",
    "Файл «{name}» містить інший план — «{title}» ({first}–{last}), а в базі — «{held}». Це не зміни до плану в базі; нічого не записано.":
        "The file “{name}” holds another plan — “{title}” ({first}–{last}), while the database holds “{held}”. It does not amend the plan in the database; nothing was written.",
    "&Скасувати збереження…":
        "&Undo save…",
    "Повт&орити скасоване збереження…":
        "Re&do undone save…",
    "Повторити вв&едення":
        "R&edo typing",
    "Скасувати в&ведення":
        "Undo &typing",
    "Знову записати скасоване збереження — захід {code} за {quarter}?":
        "Write the undone save again — measure {code} for {quarter}?",
    "Не повторено":
        "Not redone",
    "Повторено скасоване збереження: захід {code} за {quarter}":
        "Undone save written again: measure {code} for {quarter}",
    "Повторити скасоване збереження":
        "Redo undone save",
    "Скасувати збереження":
        "Undo save",
    "Скасувати ваше останнє збереження у формі — захід {code} за {quarter}":
        "Undo your last save in the form — measure {code} for {quarter}",
    ", зроблене {when}": ", made {when}",
    "Повернуться значення, що були до нього:": "The values from before it come back:",
    "Скасування теж записується в історію. Імпорт звітів і пакетів змін так не скасовується.":
        "The undo is recorded in the history too. Imports of reports and change packages are not undone this way.",
    "{field}: {now} → {back}": "{field}: {now} → {back}",
    "&Наступний захід":
        "&Next measure",
    "Онов&ити з бази даних":
        "&Reload from the database",
    "&Попередній захід":
        "P&revious measure",
    "{database} — {quarter} — Трекер Плану заходів":
        "{database} — {quarter} — Action Plan Tracker",
    "Оновлено з бази даних.":
        "Reloaded from the database.",
    "Хто працює з програмою?":
        "Who is working with the program?",
    "Ваше ім'я та прізвище (і, за бажання, підрозділ).\nВоно записується в історію кожної вашої зміни; змінити його можна у Файл → Налаштування…":
        "Your first and last name (and, if you like, your department).\nIt is written into the history of each of your changes; you can change it under File → Settings…",
    "Теки «{folder}» немає. Вкажіть наявну теку для звіту.":
        "The folder “{folder}” does not exist. Give an existing folder for the report.",
    "Теки «{folder}» немає. Оберіть наявну теку (кнопка «Огляд…»).":
        "The folder “{folder}” does not exist. Choose an existing folder (the “Browse…” button).",
    "Файл уже є":
        "The file exists",
    "Файл «{path}» уже існує — можливо, це вже заповнений звіт. Замінити його чи зберегти новий звіт як «{other}»?":
        "The file “{path}” already exists — it may be a report already filled in. Replace it, or save the new report as “{other}”?",
    "Зберегти як «{name}»":
        "Save as “{name}”",
    "Замінити":
        "Replace",
    "На цьому комп'ютері немає програми, що відкриває файли .xlsx (Excel чи LibreOffice Calc). Звіт збережено: {path}":
        "No program on this computer opens .xlsx files (Excel or LibreOffice Calc). The report is saved: {path}",
    "Теку не вдалося відкрити. Звіт збережено: {path}":
        "The folder could not be opened. The report is saved: {path}",
    "Теку не вдалося відкрити. Її шлях: {folder}": "The folder could not be opened. It is: {folder}",
    "&Останні бази":
        "&Recent databases",
    "(немає інших)":
        "(no others)",
    "&Як працювати":
        "&How to work",
    "Як працювати":
        "How to work",
    "Підсумки цілей і завдань — лише заходи виконавця «{executor}».":
        "Goal and task totals — only the measures of “{executor}”.",
    "Підсумки цілей і завдань — усі їхні заходи.":
        "Goal and task totals — all their measures.",
    "Копіювати подробиці":
        "Copy the details",
    "Непередбачена помилка":
        "Unexpected error",
    "У програмі сталася непередбачена помилка: {summary}":
        "An unexpected error happened in the program: {summary}",
    "Усе, що ви зберегли раніше, не втрачено: кожне збереження записується в базу одразу й цілком. Якщо ви саме щось вводили, перевірте форму й збережіть ще раз. Подробиці записано в журнал: {path}":
        "Nothing you saved before is lost: every save is written to the database at once and whole. If you were typing something, check the form and save again. The details are in the journal: {path}",
    "Версія {version}; Qt {qt}, PySide6 {pyside}, Python {python}.":
        "Version {version}; Qt {qt}, PySide6 {pyside}, Python {python}.",
    "Відкрити &журнал":
        "Open the &journal",
    "Журнал":
        "Journal",
    "Журнал: {path}":
        "Journal: {path}",
    "Непередбачена помилка програми ({error}). Подробиці записано в журнал: {path}. Дані, записані раніше, не змінено.":
        "An unexpected error in the program ({error}). The details are in the journal: {path}. Data written before is unchanged.",
    "База даних «{path}» лежить на мережевій теці. SQLite не працює надійно на мережевих файлових системах: одночасна робота кількох комп'ютерів із цим файлом може його пошкодити. Для спільної роботи кількох ПК скористайтеся сервером бази (PostgreSQL); для однієї людини тримайте базу в локальній теці.":
        "The database “{path}” is on a network share. SQLite is not reliable on network file systems: several computers working on this file at once may damage it. For several PCs working together use the database server (PostgreSQL); for one person keep the database in a local folder.",
    "База на мережевій теці":
        "Database on a network share",
    "Увага: {warning}":
        "Warning: {warning}",
    "Ліцензії складових: Qt і PySide6, psycopg — GNU LGPL v3; Python, defusedxml, typing_extensions — PSF; peewee, "
    "openpyxl, et_xmlfile, python-docx, platformdirs, cffi — MIT; cryptography — Apache 2.0 або BSD; lxml, pycparser "
    "— BSD; libpq — ліцензія PostgreSQL.":
        "Licences of the parts: Qt and PySide6, psycopg — GNU LGPL v3; Python, defusedxml, typing_extensions — PSF; "
        "peewee, openpyxl, et_xmlfile, python-docx, platformdirs, cffi — MIT; cryptography — Apache 2.0 or BSD; lxml, "
        "pycparser — BSD; libpq — the PostgreSQL licence.",
    "Тексти ліцензій: {path}": "Licence texts: {path}",
    "У файлі «{name}» заголовок звіту — «{visible}», а службові дані звіту — «{meta}». Файл не імпортовано: "
    "незрозуміло, за який період він заповнений. Експортуйте звіт за потрібний період і перенесіть у нього "
    "заповнене.":
        "In «{name}» the report's title says «{visible}» but its service data say «{meta}». The file was not "
        "imported: it is unclear which period it was filled in for. Export the report for the period you need and "
        "move what was filled in into it.",
    "без періоду":
        "no period",
    "У файлі «{name}» у заголовку вказано виконавця «{visible}», а службові дані звіту — «{meta}». Файл не "
    "імпортовано: незрозуміло, чий це звіт. Експортуйте звіт для потрібного виконавця й перенесіть у нього "
    "заповнене.":
        "In «{name}» the title names the executor «{visible}» but the report's service data say «{meta}». The file "
        "was not imported: it is unclear whose report it is. Export the report for the executor you need and move "
        "what was filled in into it.",
    "увесь план":
        "the whole plan",
    "клітинку «{text}» змінено разом із позначкою «(дані за …)», тож її не прочитати. Залиште позначку як є "
    "або видаліть її й впишіть значення за квартал; рядок не імпортовано.":
        "the cell «{text}» was changed together with its «(дані за …)» mark, so it cannot be read. Leave the mark "
        "as it is, or delete it and type the quarter's value; the row was not imported.",
    "Теки «{folder}» немає. Вкажіть наявну теку для звітів.":
        "There is no folder «{folder}». Name an existing folder for the reports.",
    "У плані немає заходів із відповідальними виконавцями; розсилати нічого.":
        "No measure of the plan has a responsible executor; there is nothing to send out.",
    "У теці «{folder}» уже є файли цієї розсилки ({files}). Це можуть бути вже повернуті заповнені звіти, "
    "тож їх не перезаписано. Оберіть іншу, порожню теку.":
        "The folder «{folder}» already holds files of this round ({files}). They may be reports already returned "
        "filled in, so they were not overwritten. Choose another, empty folder.",
    "Розсилка готує звіти всім виконавцям; --executor тут зайвий.":
        "The round prepares reports for every executor; --executor does not belong here.",
    "Звіти за {quarter}: {count} файлів у теці «{folder}»; перелік — {listing}.":
        "Reports for {quarter}: {count} files in the folder «{folder}»; the list is {listing}.",
    "Розіслати звіти виконавцям":
        "Send reports to the executors",
    "Розіслати":
        "Send out",
    "Тека:":
        "Folder:",
    "Тека для звітів":
        "Folder for the reports",
    "Звіти готові":
        "Reports ready",
    "Оберіть наявну теку для звітів (кнопка «Огляд…»).":
        "Choose an existing folder for the reports (the «Browse…» button).",
    "&Розіслати звіти виконавцям…":
        "&Send reports to the executors…",
    "Не вдалося записати звіти: {error}":
        "Could not write the reports: {error}",
    "Показати теку":
        "Show the folder",
    "{count} файлів":
        "{count} files",
    "Імпорт звітів із &теки…":
        "Import reports from a &folder…",
    "Тека із заповненими звітами":
        "Folder with filled-in reports",
    "Читання звітів…":
        "Reading the reports…",
    "Файл":
        "File",
    "Файлів: {files} (прочитано: {read}).":
        "Files: {files} (read: {read}).",
    "Захід {code}: файли {files} заповнюють його по-різному, тож його не імпортовано з жодного. Узгодьте звіти й "
    "імпортуйте потрібний ще раз.":
        "Measure {code}: the files {files} fill it in differently, so it was imported from neither. Agree on the "
        "reports and import the right one again.",
    "У вказаній теці немає файлів звітів (.xlsx).":
        "There are no report files (.xlsx) in the folder named.",
    "Адреси потрібні для листів розсилки (Звіт → Розіслати звіти виконавцям…). Двічі клацніть або натисніть F2, "
    "щоб змінити клітинку.":
        "The addresses are needed for the round's letters (Report → Send reports to the executors…). Double-click or "
        "press F2 to change a cell.",
    "Виконавці та їхні контакти":
        "Executors and their contacts",
    "Електронна пошта":
        "E-mail",
    "Зміни контактів не збережено. Закрити без збереження?":
        "The contact changes are not saved. Close without saving?",
    "Контактна особа":
        "Contact person",
    "Телефон":
        "Phone",
    "&Виконавці…":
        "&Executors…",
    "Довід&ники":
        "Director&ies",
    "Кожен відповідальний виконавець отримає окремий файл звіту зі своїми заходами, а той, чию пошту вказано в "
    "Довідники → Виконавці…, — ще й готовий лист (.eml) із файлом, який відкриється в Outlook чи Thunderbird для "
    "надсилання. У теці з'явиться й перелік файлів (Розсилка_….csv). Оберіть порожню теку: файли, що вже в ній є, "
    "не перезаписуються.":
        "Each responsible executor gets a report file of its own with its measures, and one whose e-mail is given in "
        "Directories → Executors… also a ready letter (.eml) with the file, which opens in Outlook or Thunderbird to "
        "be sent. A list of the files (Розсилка_….csv) appears in the folder too. Choose an empty folder: files "
        "already in it are not overwritten.",
    "Повернути до:":
        "Return by:",
    "«{email}» не схоже на адресу електронної пошти (приклад: culture@lutskrada.gov.ua).":
        "«{email}» does not look like an e-mail address (for example: culture@lutskrada.gov.ua).",
    "«{phone}» не схоже на номер телефону (приклад: +380 332 77-77-77).":
        "«{phone}» does not look like a phone number (for example: +380 332 77-77-77).",
    "Дату «{text}» не зрозуміло; вкажіть її як ДД.ММ.РРРР, напр. 10.10.2025.":
        "The date «{text}» is not understood; give it as DD.MM.YYYY, e.g. 10.10.2025.",
    "Файл «{path}» уже існує — можливо, це вже заповнений звіт; його не змінено. Вкажіть інше ім'я (-o) або "
    "додайте --overwrite, щоб замінити його.":
        "The file «{path}» already exists — it may be a report already filled in; it was not changed. Give another "
        "name (-o) or add --overwrite to replace it.",
    "захід змінено в базі {when} ({who}) — після того, як цей файл експортовано{exported}; рядок не "
    "імпортовано, щоб не затерти новіші дані. Експортуйте звіт заново або внесіть зміну у вікні.":
        "the measure was changed in the database on {when} ({who}) — after this file was exported{exported}; "
        "the row was not imported, so as not to overwrite newer data. Export the report again or make the change "
        "in the window.",
    "Дата повернення {date} — ще до кінця кварталу; вкажіть дату після {end}.":
        "The return date {date} is before the quarter ends; give a date after {end}.",
    # plan amendments (issue 11)
    ' («{title}»)': ' («{title}»)',
    '&Рішення ради:': 'Council &decision:',
    '&Чинні з кварталу:': 'In &force from quarter:',
    '{old} (тепер {new})': '{old} (now {new})',
    'Є сумнівні пари заходів ({count}): вирішіть кожну (той самий захід чи новий), перш ніж застосувати зміни. Нічого не записано.': 'There are uncertain pairs of measures ({count}): settle each (the same measure or a new one) before applying the changes. Nothing was written.',
    'Імпорт змін &до плану…': 'Import &plan amendments…',
    'Імпорт змін до плану': 'Import plan amendments',
    'Виключений захід {code} має записи за {quarter} і пізніше ({count}): їх збережено, але в цих кварталах вони не показуються.': 'Removed measure {code} has records for {quarter} and later ({count}): they are kept but not shown in those quarters.',
    'Вирішіть сумнівні пари ({count}).': 'Settle the uncertain pairs ({count}).',
    'Вкажіть рішення ради, яким змінено план.': 'Enter the council decision that amended the plan.',
    'Вкажіть рішення, яким змінено план, напр. «рішення міської ради від 25.02.2026 № 71/14».': 'Enter the decision that amended the plan, e.g. «рішення міської ради від 25.02.2026 № 71/14».',
    'Довідка про &план': 'About the &plan',
    'Довідка про план': 'About the plan',
    'З пакетом прийшли зміни до плану ({count}); план оновлено. Перелік — Довідка → Довідка про план.': 'The package brought plan amendments ({count}); the plan was updated. See Help → About the plan.',
    'Застосування змін до плану…': 'Applying plan amendments…',
    'Застосувати зміни': 'Apply amendments',
    'Заходи зіставлено за змістом, не за кодом: записи й історія кожного заходу йдуть за ним. Нічого не записано, доки ви не натиснете «Застосувати зміни».': 'Measures are matched by content, not by code: each measure keeps its records and history. Nothing is written until you press «Apply amendments».',
    'Захід {code} виключено з плану з {quarter} ({decision}); його записи за попередні квартали збережено.': 'Measure {code} was removed from the plan from {quarter} ({decision}); its records for earlier quarters are kept.',
    'Захід {reason}: у цьому кварталі його немає в плані, звіт не вноситься. Попередні записи — на вкладці «Історія».': 'Measure {reason}: it is not in the plan this quarter, so no report is entered. Earlier records are on the «History» tab.',
    'Змін до плану не вносили.': 'The plan has not been amended.',
    'Зміни до плану застосовано ({decision}), чинні з {quarter}: змін — {count}.': 'Plan amendments applied ({decision}), in force from {quarter}: {count} changes.',
    'Зміни не можуть набрати чинності з {quarter}: попередні зміни ({decision}) чинні з {last}. Вкажіть квартал не раніший.': 'The amendments cannot take effect from {quarter}: the previous ones ({decision}) are in force from {last}. Choose that quarter or a later one.',
    'Зміни не можуть набрати чинності з першого кварталу плану ({quarter}): тоді це інший план, а не зміни до нього.': "Amendments cannot take effect from the plan's first quarter ({quarter}): that would be another plan, not amendments to it.",
    'Зміни:': 'Changes:',
    'Не вдалося дати новому заходу {code} ідентифікатор.': 'Could not give the new measure {code} an identifier.',
    'ОЦ': 'OG',
    'Опис рішення задовгий або має недруковані символи (до {limit} знаків).': 'The decision text is too long or has unprintable characters (up to {limit} characters).',
    'Пакет «{name}» має зміни до плану ({decision}), яких тут не застосувати: {reason} Нічого не змінено.': 'Package «{name}» has plan amendments ({decision}) that cannot be applied here: {reason} Nothing was changed.',
    'Період: {first}–{last}. Заходів у чинній редакції: {count}; виключено змінами: {removed}. Імпортовано {when} з «{source}».': 'Period: {first}–{last}. Measures in the current version: {count}; removed by amendments: {removed}. Imported {when} from «{source}».',
    'План заходів (*.docx *.xlsx *.txt);;Усі файли (*)': 'Action plan (*.docx *.xlsx *.txt);;All files (*)',
    'Показувати &виключені заходи': 'Show removed &measures',
    'Різні заходи (у файлі — новий)': 'Different measures (new in the file)',
    'Рішення': 'Decision',
    'Рішення для пари {old} ↔ {new}': 'Decision for the pair {old} ↔ {new}',
    'Сумнівні пари — це той самий захід? Вирішіть кожну:': 'Uncertain pairs — is it the same measure? Settle each:',
    'Схожість': 'Similarity',
    'Той самий захід': 'The same measure',
    'У плані зараз': 'In the plan now',
    'У файлі': 'In the file',
    'У файлі «{name}» пошкоджено службові дані звіту (версія плану). Експортуйте звіт заново й перенесіть у нього заповнене.': "The report's service data in «{name}» are damaged (plan version). Export the report again and copy what was filled in into it.",
    'У файлі «{name}» службові дані звіту не відповідають плану, для якого його експортовано. Експортуйте звіт заново й перенесіть у нього заповнене.': "The report's service data in «{name}» do not match the plan it was exported for. Export the report again and copy what was filled in into it.",
    'Файл «{name}» змінює план «{title}»: змінено заходів — {changed}, додано — {added}, повернуто — {back}, вилучено — {removed}, сумнівних пар — {questions}, змінено назв — {titles}.': 'File «{name}» amends the plan «{title}»: measures changed — {changed}, added — {added}, brought back — {back}, removed — {removed}, uncertain pairs — {questions}, titles changed — {titles}.',
    'Файл «{name}» містить інший план — «{title}» ({first}–{last}), а не зміни до плану в базі{held}. Нічого не записано.': 'File «{name}» holds another plan — «{title}» ({first}–{last}), not amendments to the plan in the database{held}. Nothing was written.',
    'Файл «{name}» не змінює план «{title}»: він уже в цьому вигляді. Нічого не змінено.': 'File «{name}» does not change the plan «{title}»: it is already like this. Nothing was changed.',
    'Файл не змінює план: він уже в цьому вигляді.': 'The file does not change the plan: it is already like this.',
    'Файл не змінює план: застосовувати нічого.': 'The file does not change the plan: nothing to apply.',
    'Чинні з {quarter}; {who}.': 'In force from {quarter}; {who}.',
    'виключено {decision}': 'removed: {decision}',
    'виключено рішенням: {decision}': 'removed by decision: {decision}',
    'з «{source}»': 'from «{source}»',
    'застосовано {when}': 'applied {when}',
    'захід виключено з плану з {quarter} ({decision}); рядок не імпортовано.': 'the measure was removed from the plan from {quarter} ({decision}); the row was not imported.',
    "зміни до плану не є об'єктом": 'plan amendments are not an object',
    'напр. рішення міської ради від 25.02.2026 № 71/14': 'e.g. рішення міської ради від 25.02.2026 № 71/14',
    'неправильна будова плану в змінах до плану': 'wrong plan structure in the plan amendments',
    'неправильний текст плану в змінах до плану': 'wrong plan text in the plan amendments',
    'неправильний час змін до плану': 'wrong time of the plan amendments',
    'неправильний ідентифікатор заходу': 'wrong measure identifier',
    'неправильний ідентифікатор заходу в змінах до плану': 'wrong measure identifier in the plan amendments',
    'неправильні зміни до плану': 'wrong plan amendments',
    'пакет «{name}»': 'package «{name}»',
    'подія без ідентифікатора заходу': 'an event without a measure identifier',
    '— вирішіть —': '— decide —',
    'Звіт «{name}» складено за планом зі змінами, яких у цій базі ще немає (рішень: {known}, тут: {here}). Спершу отримайте зміни до плану — імпортуйте пакет змін з офісу, — тоді імпортуйте звіт.': 'Report «{name}» was made with plan amendments this database does not have yet (decisions: {known}, here: {here}). Get the amendments first — import a change package from the office — then import the report.',
    "Зміни для заходів, виключених з плану на ті квартали ({codes}), збережено в їхній історії, але в цих кварталах вони не показуються ні в переліку, ні у звіті — лише серед виключених заходів (Вигляд → Показувати виключені заходи) та в історії заходу.":
        "Changes for measures removed from the plan for those quarters ({codes}) are kept in their history, but in those quarters they are shown in no list or report — only among the removed measures (View → Show removed measures) and in the measure's history.",
    'Зміни до плану з пакета ({decisions}) не застосовано: їх зроблено до іншої редакції плану, ніж у цій базі (план тут змінено інакше). План вносить офіс; щоб узгодити план, візьміть копію бази з офісу.': 'Plan amendments from the package ({decisions}) were not applied: they were made to another version of the plan than this database holds (the plan here was amended differently). The office amends the plan; to align it, take a copy of the office database.',
    'Зміни до плану застосовано ({decision}), чинні з {quarter}: змін — {count}. Копію бази до змін збережено; повернутися до неї можна через Файл → Відновити з резервної копії.': 'Plan amendments applied ({decision}), in force from {quarter}: {count} changes. A copy of the database from before was kept; you can return to it with File → Restore from a backup.',
    'Пакет «{name}» має зміни до плану ({decision}), що роблять із нього інший план. Такий пакет не приймається. Нічого не змінено.': 'Package «{name}» has plan amendments ({decision}) that turn it into another plan. Such a package is not accepted. Nothing was changed.',
    'У плані за {quarter} немає жодного заходу; звіт був би порожнім.': 'The plan has no measures for {quarter}; the report would be empty.',
    'Файл вилучає {removed} з {measures} заходів плану: схоже, це не повний текст плану в новій редакції (файл обрізано або в ньому лише змінені рядки). Візьміть повний текст плану зі змінами. Нічого не записано.': "The file removes {removed} of the plan's {measures} measures: it does not look like the whole plan in its new wording (the file was cut short or holds only the changed rows). Take the whole amended plan. Nothing was written.",
    'з пакета змін «{source}»': 'from change package «{source}»',
    'з файла «{source}»': 'from file «{source}»',
    'перед змінами до плану': 'before plan amendments',
    # signed packages (issue 12)
    'Імпортувати цей непідписаний пакет?': 'Import this unsigned package?',
    'Довіреного пристрою «{device}» немає.': 'There is no trusted device «{device}».',
    'Новий пристрій': 'New device',
    'Пакет «{name}» без підпису (стара версія програми): довіряти нема чому.': 'Package «{name}» is unsigned (an old version of the program): there is nothing to trust.',
    'Пакет «{name}» від «{device}» без підпису: його зроблено старою версією програми. Без підпису не видно, чи його не підроблено. Оновіть програму на тому пристрої й зробіть пакет ще раз; якщо ви певні, звідки цей пакет, імпортуйте його як непідписаний. Нічого не змінено.': 'Package «{name}» from «{device}» is unsigned: it was made by an old version of the program. Without a signature one cannot tell whether it was forged. Update the program on that device and make the package again; if you are sure where this package comes from, import it as unsigned. Nothing was changed.',
    'Пакет «{name}» від пристрою «{device}», якому ця база ще не довіряє. Відбиток ключа пристрою: {fingerprint}. Звірте його з тим пристроєм (там: Довідка → Про програму) і, якщо збігається, довіртеся пристрою. Нічого не змінено.': "Package «{name}» comes from device «{device}», which this database does not trust yet. The device's key fingerprint: {fingerprint}. Compare it with that device (there: Help → About) and, if it matches, trust the device. Nothing was changed.",
    'Пакет «{name}» змінено або пошкоджено після створення: підпис не збігається. Такий пакет не приймається; попросіть створити його ще раз. Нічого не змінено.': 'Package «{name}» was changed or damaged after it was made: the signature does not match. Such a package is not accepted; ask for it to be made again. Nothing was changed.',
    'Пакет «{name}» зроблено цією ж базою.': 'Package «{name}» was made by this very database.',
    'Пакет «{name}» називає пристрій «{device}», але підписаний не його ключем (відбиток {fingerprint}). Такий пакет не приймається. Нічого не змінено.': 'Package «{name}» names device «{device}» but is not signed with its key (fingerprint {fingerprint}). Such a package is not accepted. Nothing was changed.',
    'Пакет «{name}» називає цю базу своїм пристроєм, але підписаний іншим ключем: це підробка. Нічого не змінено.': 'Package «{name}» names this database as its device but is signed with another key: it is a forgery. Nothing was changed.',
    'Пакет «{name}» підписав пристрій «{device}», якому ця база ще не довіряє.\n\nВідбиток ключа:\n{fingerprint}\n\nЗвірте відбиток із тим пристроєм (там: Довідка → Про програму). Якщо він збігається — довіряти цьому пристрою й імпортувати пакет?': 'Package «{name}» was signed by device «{device}», which this database does not trust yet.\n\nKey fingerprint:\n{fingerprint}\n\nCompare the fingerprint with that device (there: Help → About). If it matches, trust this device and import the package?',
    'Пристрою «{device}» ця база більше не довіряє (відкликано {when:%d.%m.%Y}); його пакет «{name}» не прийнято. Нічого не змінено.': 'This database no longer trusts device «{device}» (revoked {when:%d.%m.%Y}); its package «{name}» was not accepted. Nothing was changed.',
    'Пристроїв «{device}» кілька; вкажіть початок ідентифікатора.': 'There are several devices «{device}»; give the start of the identifier.',
    'Пристрій «{device}» уже довірений з іншим ключем; пакет «{name}» підписано не ним. Якщо на тому пристрої справді новий ключ (нова база), спершу відкличте довіру до старого. Нічого не змінено.': 'Device «{device}» is already trusted with another key; package «{name}» was not signed by it. If that device really has a new key (a new database), revoke the old one first. Nothing was changed.',
    'Пристрій у пакетах змін: «{name}»; відбиток ключа:': 'Device in change packages: «{name}»; key fingerprint:',
    'неправильний ключ пристрою': 'wrong device key',
    'Пакет «{name}» без підпису, але називає пристрій «{device}», що підписує свої пакети: це підробка. Нічого не змінено.': 'Package «{name}» is unsigned but names device «{device}», which signs its packages: it is a forgery. Nothing was changed.',
    'власник файла бази': 'owner of the database file',
    'власник бази': 'database owner',
    'адміністратор': 'administrator',
    'моніторинг': 'monitoring',
    'координатор': 'coordinator',
    'лише перегляд': 'read only',
    'Ви працюєте як «{login}» з правом лише переглядати план і стан виконання. Щоб вносити зміни, попросіть адміністратора дати вам роль.': 'You are working as «{login}» with the right only to view the plan and its progress. To make changes, ask the administrator for a role.',
    'Ви працюєте як «{login}» (координатор: {departments}) і змінюєте лише заходи, серед виконавців яких є ваш підрозділ. Цей захід виконують інші; зверніться до них або до групи моніторингу.': 'You are working as «{login}» (coordinator: {departments}) and change only measures whose executors include your department. Others carry out this measure; ask them or the monitoring group.',
    'змінювати план': 'change the plan',
    'імпортувати й експортувати пакети обміну': 'import and export exchange packages',
    'імпортувати звіти': 'import reports',
    'змінювати контакти виконавців': "change the executors' contacts",
    "розв'язувати конфлікти": 'resolve conflicts',
    'керувати користувачами': 'manage users',
    'Ви працюєте як «{login}» ({role}), а {work} може лише {who}.': 'You are working as «{login}» ({role}); only the {who} may {work}.',
    'Нічого не змінено.': 'Nothing was changed.',
    'без підрозділу': 'no department',
    'група моніторингу або адміністратор': 'monitoring group or the administrator',
    "Користувачі з власними паролями й правами є лише в базі на сервері PostgreSQL. Файл бази на цьому комп'ютері — одного користувача: його ім'я задають у налаштуваннях.": 'Users with their own passwords and rights exist only in a database on a PostgreSQL server. A database file on this computer belongs to one user, whose name is set in the settings.',
    'Логін «{login}» не підходить: латинські малі літери, цифри, «_», «.» чи «-», до 63 знаків, першою — літера (напр. o.petrenko).': 'Login «{login}» will not do: Latin lower-case letters, digits, «_», «.» or «-», up to 63 characters, starting with a letter (e.g. o.petrenko).',
    'Паролі не збігаються. Введіть пароль двічі однаково.': 'The passwords differ. Type the same password twice.',
    'Пароль закороткий: потрібно щонайменше {n} знаків.': 'The password is too short: at least {n} characters are needed.',
    'Пароль не може містити керівних знаків (переведення рядка, табуляції).': 'A password cannot contain control characters (line breaks, tabs).',
    'Невідома роль «{role}»: coordinator (координатор), monitor (моніторинг) або admin (адміністратор).': 'Unknown role «{role}»: coordinator, monitor or admin.',
    'Координаторові потрібен хоча б один підрозділ: він змінюватиме заходи, серед виконавців яких є цей підрозділ.': 'A coordinator needs at least one department: they will change the measures whose executors include it.',
    'Підрозділи задають лише координаторам: моніторинг і адміністратор працюють з усіма заходами.': 'Departments are given to coordinators only: monitoring and the administrator work with every measure.',
    'Користувач «{login}» уже є. Щоб змінити його роль, вилучіть і додайте його знову.': 'User «{login}» already exists. To change their role, remove and add them again.',
    '«{login}» — власник бази або суперкористувач сервера: він і так має всі права.': '«{login}» is the database owner or a server superuser: it has every right already.',
    'Для нового користувача «{login}» потрібен пароль.': 'A new user «{login}» needs a password.',
    'Не вдалося підготувати пароль. Спробуйте інший пароль.': 'The password could not be prepared. Try another password.',
    'Користувача «{login}» у цій базі немає.': 'There is no user «{login}» in this database.',
    'Себе вилучити не можна: попросіть про це іншого адміністратора.': 'You cannot remove yourself: ask another administrator.',
    'Логін «{login}» уже є на сервері (напр. в іншій базі); його пароль тут не змінюють. Додайте його без пароля — він входитиме зі своїм.': 'Login «{login}» already exists on the server (e.g. for another database); its password is not changed here. Add it without a password: it will log in with its own.',
    'Пароль користувача «{user}»: ': 'Password of user «{user}»: ',
    'Пароль для «{login}»: ': 'Password for «{login}»: ',
    'Додано користувача «{login}»: {role}.': 'User «{login}» added: {role}.',
    'Пароль нового користувача не задано: введіть його, коли програма спитає, або передайте першим рядком стандартного вводу.': "The new user's password was not given: type it when asked, or pass it as the first line of standard input.",
    'Ще раз: ': 'Again: ',
    'У базі ще немає користувачів, крім власника. Додайте: «tracker users add ЛОГІН --role …».': 'The database has no users yet besides its owner. Add one: «tracker users add LOGIN --role …».',
    '(логіна на сервері вже немає)': '(the login is no longer on the server)',
    'Користувача «{login}» вилучено з бази.': 'User «{login}» removed from the database.',
    'Його логін на сервері видалено.': 'Their server login was deleted.',
    'Його логін на сервері залишився: ним користуються інші бази сервера.': 'Their server login remains: other databases on the server use it.',
    'Підрозділи: {names}.': 'Departments: {names}.',
    'Зміни до плану з пакета ({decisions}) не застосовано: план змінює лише адміністратор. Зміни стану виконання з пакета прийнято; попросіть адміністратора імпортувати цей пакет ще раз, щоб застосувати й зміни до плану.': "The plan changes in the package ({decisions}) were not applied: only the administrator changes the plan. The package's progress changes were taken; ask the administrator to import this package again to apply the plan changes too.",
    'Базу на сервері треба оновити до цієї версії програми, а це може лише її власник. Попросіть адміністратора сервера відкрити базу новою версією програми під логіном власника, тоді відкрийте її ще раз.': "The server database must be upgraded for this version of the program, which only its owner can do. Ask the server administrator to open the database with the new version under the owner's login, then open it again.",
    'Базу на сервері ще не підготовано до роботи: попросіть адміністратора відкрити її програмою один раз.': 'The server database is not ready for work yet: ask the administrator to open it with the program once.',
    'Сервер бази даних не дозволив цю зміну вашому користувачу ({detail}): ваша роль її не включає. Нічого не записано. Якщо вона потрібна вам для роботи, зверніться до адміністратора бази.': 'The database server did not allow your user this change ({detail}): your role does not include it. Nothing was written. If you need it for your work, ask the database administrator.',
    "Сервер PostgreSQL {place} не прийняв користувача «{user}» з цим паролем (або пароля не вказано). Перевірте ім'я та пароль або попросіть їх в адміністратора сервера.": 'PostgreSQL server {place} did not accept user «{user}» with this password (or no password was given). Check the name and password, or ask the server administrator for them.',
    'Користувач: {login} ({role})': 'User: {login} ({role})',
    "Вхід на сервер: {who}. В історію змін записується цей логін (його ставить сервер) і ім'я «{name}».": 'Logged in to the server: {who}. The history of changes records this login (set by the server) and the name «{name}».',
    '&Користувачі…': '&Users…',
    'Новий користувач': 'New user',
    'напр. o.petrenko': 'e.g. o.petrenko',
    "Ім'я та прізвище, як показувати в історії": 'First and last name, as shown in the history',
    '&Підрозділи:': '&Departments:',
    'Додати': 'Add',
    'Вкажіть логін.': 'Give a login.',
    'Логін: латинські малі літери, цифри, «_», «.» чи «-», першою — літера.': 'Login: Latin lower-case letters, digits, «_», «.» or «-», starting with a letter.',
    'Позначте хоча б один підрозділ координатора.': "Tick at least one of the coordinator's departments.",
    'Пароль: щонайменше {n} знаків.': 'Password: at least {n} characters.',
    'Паролі не збігаються.': 'The passwords differ.',
    '&Логін:': '&Login:',
    "&Ім'я:": '&Name:',
    '&Роль:': '&Role:',
    '&Пароль:': '&Password:',
    'Пароль ще &раз:': 'Password a&gain:',
    'Користувачі бази': 'Database users',
    'Кожен працює під власним логіном на сервері; права перевіряє сам сервер. Ви: {who}.': 'Everyone works under their own server login; the server itself checks the rights. You: {who}.',
    '&Додати…': '&Add…',
    '&Вилучити…': '&Remove…',
    'Логін': 'Login',
    "Ім'я": 'Name',
    'Роль': 'Role',
    'Підрозділи': 'Departments',
    'Вилучити користувача «{login}» з цієї бази? Він більше не зможе до неї входити. Його зміни в історії залишаться з його логіном.': 'Remove user «{login}» from this database? They will no longer be able to log in to it. Their changes stay in the history with their login.',
    'Користувача «{login}» вилучено.': 'User «{login}» removed.',
    '(логіна на сервері немає)': '(no login on the server)',
    'змінює стан виконання лише заходів, серед виконавців яких є його підрозділ': 'sets progress only for measures whose executors include their department',
    'змінює стан усіх заходів, імпортує звіти й пакети обміну': 'sets progress for every measure, imports reports and exchange packages',
    'також змінює план і керує користувачами': 'also changes the plan and manages users',
    'Адреса має вигляд postgresql://користувач@сервер:5432/база; пароль програма спитає (знаки «/», «@», «:» чи «%» у паролі в самій адресі треба записувати як %2F, %40, %3A, %25).': 'The address looks like postgresql://user@server:5432/database; the program asks for the password (in a password written into the address itself, «/», «@», «:» or «%» must be written as %2F, %40, %3A, %25).',
    'Пароль для «{login}» (порожній — логін уже є на сервері): ': 'Password for «{login}» (empty: the login is already on the server): ',
    "Користувач «{user}» не має доступу до бази «{name}» на сервері: його не додано до її користувачів. Попросіть адміністратора бази додати вас (Файл → Користувачі…) або перевірте ім'я користувача.": 'User «{user}» has no access to database «{name}» on the server: it is not among its users. Ask the database administrator to add you (File → Users…) or check the user name.',
    'Логін «{login}» на сервері має особливі права (суперкористувач, власник бази чи право створювати ролі); його не додають як користувача бази.': 'Login «{login}» has special rights on the server (superuser, database owner or the right to create roles); it is not added as a user of the database.',
    'Керувати користувачами може лише адміністратор бази. Нічого не змінено.': 'Only the database administrator may manage users. Nothing was changed.',
    'Сервер не виконав зміну користувачів ({detail}). Нічого не змінено.': 'The server did not make the change of users ({detail}). Nothing was changed.',
    'порожній — для логіна, що вже є на сервері': 'empty for a login the server already has',
    "Резервну копію бази на початку роботи не зроблено. {reason}":
        "The backup copy of the database at the start was not made. {reason}",
    "Перевірка бази": "Database check",
    "Захід «{code}» є, але фільтр його не показує.": "Measure «{code}» is there, but the filter does not show it.",
    "Заходи «{code}.…» є, але фільтр їх не показує.": "Measures «{code}.…» are there, but the filter does not show them.",
    "У плані за цей квартал немає заходу з кодом «{code}».": "The plan for this quarter has no measure «{code}».",
    "Базу пошкоджено ({problem}). Зберегти в «{name}» копію пошкодженого файлу як є — наприклад, "
    "щоб передати її адміністраторові? До резервних копій вона не потрапить.":
        "The database is damaged ({problem}). Save a copy of the damaged file as it is in «{name}» — to hand to an "
        "administrator, say? It will not be among the backup copies.",
    "«{path}» — це тека, а не файл бази даних. Вкажіть файл бази в ній, наприклад "
    "«{example}».":
        "«{path}» is a folder, not a database file. Give the database file in it, for example «{example}».",
    "Базу «{name}» не вдалося прочитати до кінця ({problem}), тож її не скопійовано. Її не "
    "названо пошкодженим і не змінено; спробуйте ще раз пізніше.":
        "The database «{name}» could not be read to the end ({problem}), so it was not copied. It has not been "
        "called damaged and has not been changed; try again later.",
    "Повної перевірки цілісності бази не зроблено: файл не вдалося прочитати до кінця ({reason}). Його не "
    "названо пошкодженим і не змінено; з ним можна працювати далі. Щоб перевірити його, відкрийте базу "
    "ще раз пізніше.":
        "The database's full integrity check was not made: the file could not be read to the end ({reason}). It "
        "has not been called damaged and has not been changed; you can go on working with it. To check it, open "
        "the database again later.",
    "Базу на сервері не відкрити: у цій установці програми немає справного драйвера PostgreSQL (psycopg: {reason}). "
    "Перевстановіть програму або відкрийте файл бази.":
        "The server database cannot be opened: this installation of the program has no working PostgreSQL driver "
        "(psycopg: {reason}). Reinstall the program or open a database file.",
    "Фільтр його тепер не показує.": "The filter no longer shows it.",
    "Фільтр приховав рядок заходу {code}; захід лишається у формі праворуч.":
        "The filter hides the row of measure {code}; the measure stays in the form on the right.",
    "Повна перевірка знайшла пошкодження у файлі бази даних «{name}» ({problem}). Щоб не зіпсувати дані ще більше, "
    "зміни до нього не записуються, а резервну копію з нього не зроблено.":
        "The full check found damage in the database file “{name}” ({problem}). So as not to damage the data "
        "further, no changes are written to it and no backup is made of it.",
    "Щойно відкриту базу ще перевіряють повністю (це триває кілька секунд), тож зміну поки не записано. Спробуйте "
    "ще раз за мить.":
        "The database just opened is still being fully checked (this takes a few seconds), so the change has not "
        "been written yet. Try again in a moment.",
    "Щойно відкриту базу ще перевіряють повністю; зміну буде записано, щойно перевірка скінчиться… ({seconds} с)":
        "The database just opened is still being fully checked; the change will be written as soon as the check "
        "ends… ({seconds} s)",
    "Запис скасовано, поки щойно відкриту базу ще перевіряли повністю. Нічого не записано; введене не втрачено — "
    "спробуйте ще раз за мить.":
        "Saving was cancelled while the database just opened was still being fully checked. Nothing was written; "
        "what you typed is not lost — try again in a moment.",
    "⚠ Базу пошкоджено: зміни до неї не записуються": "⚠ The database is damaged: no changes are written to it",
    "Незбережені зміни у формі буде відкинуто: у пошкоджену базу їх не записати.":
        "The unsaved changes in the form will be discarded: they cannot be written to a damaged database.",
    "Базу відновлено з копії.": "The database was restored from the copy.",
    "Базу відновлено": "Database restored",
    "Базу відновлено з копії «{copy}». Пошкоджений файл збережено поруч: «{kept}».":
        "The database was restored from the copy “{copy}”. The damaged file was kept beside it: “{kept}”.",
    "Замінити пошкоджений файл бази копією «{name}»? Пошкоджений файл лишиться в теці бази під іншою назвою.":
        "Replace the damaged database file with the copy “{name}”? The damaged file will stay in the database's "
        "folder under another name.",
    "Пошкоджений файл бази буде замінено копією; сам він лишиться в теці бази під іншою назвою.":
        "The damaged database file will be replaced by the copy; it will stay in the database's folder under "
        "another name.",
    "Базу пошкоджено, тож незбережені зміни у формі в неї не записати. Відкинути їх?":
        "The database is damaged, so the unsaved changes in the form cannot be written to it. Discard them?",
    "Файлу бази даних «{path}» немає: можливо, його перенесено чи перейменовано, диск або мережеву теку не "
    "підключено, або в шляху помилка.":
        "There is no database file «{path}»: it may have been moved or renamed, its drive or network folder may not "
        "be connected, or the path has a typo.",
    "Нічого не створено й не записано.": "Nothing was created or written.",
    "Файлу бази немає": "No database file",
    "Створити в цьому місці нову базу з вбудованим планом? Записаного в тому файлі в ній не буде.":
        "Create a new database with the built-in plan in this place? It will not hold what was written in that file.",
    "Нову базу не створено.": "No new database was created.",
    "(не застосовано)": "(not applied)",
    "Цю зміну отримано з пакета, але значенням запису вона не стала: це інший бік конфлікту (Файл → Конфлікти "
    "обміну…) або зміна, яку замінила інша.":
        "This change came in a package but did not become the record's value: it is the other side of a conflict "
        "(File → Exchange conflicts…) or a change another replaced.",
    "у стовпці {column} формула «{formula}», а її значення у файлі не збережено (файл записано не в Excel чи "
    "LibreOffice); рядок не імпортовано. Відкрийте файл в Excel чи LibreOffice і збережіть його, щоб формули "
    "обчислилися, або впишіть у клітинку саме значення.":
        "column {column} holds the formula «{formula}», but the file keeps no value for it (it was not written by "
        "Excel or LibreOffice); the row was not imported. Open the file in Excel or LibreOffice and save it so the "
        "formulas are computed, or type the value itself into the cell.",
    "Копію «{name}» зроблено новішою версією програми (зміни схеми: {names}); ця версія з неї не відновлює, щоб "
    "нічого не зіпсувати. Оновіть програму або оберіть іншу копію.":
        "The copy «{name}» was made by a newer version of the program (schema changes: {names}); this version does "
        "not restore from it, so as to spoil nothing. Update the program or choose another copy.",
    "У файлі «{name}» немає запису про версію його схеми, тож програма не може його відкрити. Оберіть іншу копію.":
        "The file «{name}» keeps no record of its schema's version, so the program cannot open it. Choose another "
        "copy.",
    "Файл «{name}» містить значення, яких програма не записує ({wrong}): його змінено не програмою. Оберіть іншу "
    "копію.":
        "The file «{name}» holds values the program does not write ({wrong}): it was changed by something else. "
        "Choose another copy.",
    "запис {id}: {problem}": "record {id}: {problem}",
    "Копію «{name}» не вдалося підготувати до роботи ({reason}); базу повернуто до стану перед відновленням.":
        "The copy «{name}» could not be made ready for work ({reason}); the database is back as it was before the "
        "restore.",
    "«{path}» — не звичайний файл (а пристрій чи канал), тож базою даних бути не може. Вкажіть файл бази.":
        "«{path}» is not an ordinary file (it is a device or a pipe), so it cannot be a database. Give a database "
        "file.",
    "«{address}» — база в пам'яті, не файл на диску: усе записане в неї зникло б, щойно програма закінчить роботу. "
    "Вкажіть файл бази.":
        "«{address}» is an in-memory database, not a file on disk: everything written to it would vanish as soon as "
        "the program ends. Give a database file.",
    "Нічого не записано.": "Nothing was written.",
    "Файлу «{path}» немає. Перевірте шлях.": "There is no file «{path}». Check the path.",
    "«{path}» — не звичайний файл (а тека, пристрій чи канал). Оберіть файл.":
        "«{path}» is not an ordinary file (it is a folder, a device or a pipe). Choose a file.",
    "Не вказано ім'я файла, у який записати. Вкажіть шлях до файла.":
        "No name was given for the file to write. Give the file's path.",
    "«{path}» — тека. Вкажіть файл у ній.": "«{path}» is a folder. Give a file in it.",
    "«{path}» — не звичайний файл (а пристрій чи канал); його не замінено. Вкажіть інший файл.":
        "«{path}» is not an ordinary file (it is a device or a pipe); it was not replaced. Give another file.",
    "Файл «{name}», рядок {line}: текст «{start}…» має {length} знаків, а план вміщує не більше {limit} (стільки "
    "тримає клітинка Excel, і довшого не передати в пакеті змін). Скоротіть його; нічого не записано.":
        "File «{name}», line {line}: the text «{start}…» has {length} characters, and a plan holds at most {limit} "
        "(what an Excel cell holds; a longer one cannot travel in an exchange package). Shorten it; nothing was "
        "written.",
    "Аркуш «{sheet}» у файлі «{name}» має понад {count} рядків заходів — більше, ніж звіт трекера; рядки після "
    "{count}-го не прочитано, тож файл не імпортовано. Експортуйте звіт заново.":
        "The sheet «{sheet}» of the file «{name}» has over {count} rows of measures — more than a tracker report; the "
        "rows after the {count}th were not read, so the file was not imported. Export the report again.",
    " … (усього {count})": " … ({count} in all)",
    "на диску скінчилося місце": "the disk is full",
    "вичерпано відведене на диску місце": "the disk quota is used up",
    "немає доступу (або файл відкрито в іншій програмі)": "access denied (or the file is open in another program)",
    "немає дозволу": "not permitted",
    "такого файла чи теки немає": "no such file or folder",
    "частина шляху — не тека": "a part of the path is not a folder",
    "це тека, а не файл": "it is a folder, not a file",
    "диск лише для читання": "the disk is read-only",
    "файл зайнятий іншою програмою": "the file is busy in another program",
    "помилка читання чи запису диска": "a disk read or write error",
    "задовгий шлях чи назва файла": "the path or file name is too long",
    "такий файл уже є": "such a file already exists",
    "файл відкрито в іншій програмі (наприклад, в Excel)": "the file is open in another program (Excel, say)",
    "частину файла заблокувала інша програма": "another program has locked a part of the file",
    "Сума «{value}» завелика: у тисячах гривень вона має бути меншою за 1 000 000 000 000.":
        "The sum «{value}» is too large: in thousands of hryvnias it must be below 1 000 000 000 000.",
    "Файл бази даних «{path}» не вдалося прочитати ({reason}): на диску скінчилося місце, мережева тека "
    "недоступна або файл заблокувала інша програма. Файл не змінено; спробуйте ще раз.":
        "The database file «{path}» could not be read ({reason}): the disk is full, the network folder is out of "
        "reach or another program has locked the file. The file was not changed; try again.",
    "не подано": "not submitted",
    "{value} (з {quarter})": "{value} (from {quarter})",
    "Того самого заходу за квартал є ще нерозв'язаний конфлікт {conflicts}: розв'яжіть спершу його, тоді цей.":
        "The same measure and quarter has another open conflict {conflicts}: resolve it first, then this one.",
    "№ {id} ({field})": "No. {id} ({field})",
    "Пакет містить змін, нібито зроблених у цій базі, яких у ній немає: {count}. Їх не взято: їх підроблено, або їх "
    "зробила копія цієї бази без власного пристрою, або саму цю базу повернуто з давнішої копії її файла (тоді "
    "візьміть свіжу копію бази з офісу). Решту змін з пакета прийнято.":
        "The package holds changes said to be made in this database that it does not have: {count}. They were not "
        "taken: they were forged, or made by a copy of this database without a device of its own, or this database "
        "itself was put back from an older copy of its file (then take a fresh copy of the database from the office). "
        "The package's other changes were taken.",
    "Файл «{name}» містить небезпечні конструкції XML (оголошення сутностей, «XML-бомба»); його не відкрито. "
    "Відкрийте таблицю плану в Excel чи LibreOffice і збережіть як .xlsx заново.":
        "The file «{name}» holds dangerous XML constructs (entity declarations, an «XML bomb»); it was not opened. "
        "Open the plan's table in Excel or LibreOffice and save it as .xlsx anew.",
    "Файл «{name}» пошкоджений, і Excel-книгу з нього прочитати не вдалося ({reason}). Відкрийте його в Excel чи "
    "LibreOffice і збережіть як «Книга Excel (.xlsx)».":
        "The file «{name}» is damaged, and no Excel workbook could be read from it ({reason}). Open it in Excel or "
        "LibreOffice and save it as «Excel Workbook (.xlsx)».",
    "«{path}» — це файл самої бази даних, з якою ви працюєте, або її службовий файл: записати туди означало б "
    "знищити базу. Вкажіть інший файл.":
        "«{path}» is the file of the very database you work with, or one of its side files: writing there would "
        "destroy the database. Give another file.",
    "Файл «{path}» уже існує, і це не {kind}: його не замінено, щоб не знищити чужий файл.":
        "The file «{path}» already exists and is not a {kind}: it was not replaced, so as not to destroy someone "
        "else's file.",
    "копія цієї бази": "copy of this database",
    "пакет змін цієї бази": "change package of this database",
    "{field}: у файлі {new}, у базі {now}": "{field}: {new} in the file, {now} in the database",
    "захід змінено в базі після того, як цей файл експортовано ({who}), а у файлі ці поля теж змінено: {fields}. "
    "Рядок не імпортовано, щоб не затерти новіші дані. Експортуйте звіт заново або внесіть зміну у вікні.":
        "the measure was changed in the database after this file was exported ({who}), and the file changes these "
        "fields too: {fields}. The row was not imported, so as not to overwrite newer data. Export the report again "
        "or make the change in the window.",
    "Пакет без підпису містить змін, нібито зроблених на пристроях, що підписують свої пакети ({devices}), яких у "
    "цій базі немає: {count}. Зміни цих пристроїв приходять лише в підписаних пакетах; цей пакет підроблено. Нічого "
    "не змінено.":
        "The unsigned package holds changes said to be made on devices that sign their packages ({devices}), which "
        "this database does not have: {count}. Those devices' changes come only in signed packages; this package is "
        "forged. Nothing was changed.",
    "Заходу з кодом «{code}» у плані в редакції, чинній у {quarter}, немає: цей код захід має в іншій редакції "
    "плану. Коди мають вигляд 1.2.8.":
        "The plan as in force in {quarter} has no measure with the code «{code}»: a measure has this code in another "
        "version of the plan. Codes look like 1.2.8.",
    "Файли — звіти за {quarter}, а у вікні — {shown}. Перейти до {quarter} й імпортувати їх?":
        "The files are reports for {quarter}, and the window shows {shown}. Go to {quarter} and import them?",
    "Файл «{name}» — звіт за {quarter}, а у вікні — {shown}. Перейти до {quarter} й імпортувати його?":
        "The file «{name}» is a report for {quarter}, and the window shows {shown}. Go to {quarter} and import it?",
    "Нерозв'язаних конфліктів немає. Рішення поїдуть до інших пристроїв з наступним пакетом.":
        "No unresolved conflicts. The decisions travel to the other devices with the next package.",
    "Пошук знаходить і заходи, які приховують інші фільтри (виконавець, стан чи джерело фінансування): {count}.":
        "The search also finds measures that the other filters (executor, status or funding source) hide: {count}.",
    "&Квартал:": "&Quarter:",
    "ця база": "this database",
    "неправильний ідентифікатор пристрою": "wrong device identifier",
    "службові дані цього рядка на прихованому аркуші «{sheet}» змінено чи пошкоджено, тож не видно, що змінено у "
    "файлі, а що — в базі після експорту; рядок не імпортовано. Експортуйте звіт заново.":
        "this row's service data on the hidden sheet «{sheet}» was changed or damaged, so what the file changed cannot "
        "be told from what the database took after the export; the row was not imported. Export the report again.",
    "повернуто до плану {code}: «{title}» (оперативна ціль {goal}) — захід, вилучений раніше (тоді {old}); його "
    "записи й історія знову з ним":
        "brought back into the plan {code}: “{title}” (operational goal {goal}) — a measure removed earlier (then "
        "{old}); its records and history are with it again",
    "Пакет від «{device}» приніс зміни до плану ({decisions}), зроблені не в тій базі, з копії якої зроблено цю (не в "
    "офісі, звідки її взято), тож їх не застосовано: план вносить офіс. {progress} Якщо ці зміни до плану справді "
    "чинні (наприклад, офіс перенесено на інший комп'ютер), імпортуйте пакет ще раз і дозвольте їх.":
        "The package from «{device}» brought changes to the plan ({decisions}) made elsewhere than in the database "
        "this one is a copy of (the office it was taken from), so they were not applied: the office amends the plan. "
        "{progress} If these changes to the plan are really in force (say, the office moved to another computer), "
        "import the package again and allow them.",
    "Зміни стану виконання з пакета прийнято.": "The progress in the package was taken.",
    "Зміни стану виконання з пакета прийнято, крім змін для заходів, яких у плані тут немає ({count}): їх збережено "
    "окремо й буде застосовано разом зі змінами до плану, якщо їх дозволити.":
        "The progress in the package was taken, except changes for measures the plan here lacks ({count}): they are "
        "kept aside and will be applied with the changes to the plan, if those are allowed.",
    "Зміни до плану з пакета":
        "Changes to the plan from a package",
    "Пакет від «{device}» приносить зміни до плану: {decisions}.\n\nЇх зроблено не в тій базі, з копії якої зроблено "
    "цю (не в офісі, звідки її взято), а план вносить офіс. Застосувати ці зміни до плану? Тоді ця база ручається за "
    "них перед своїми копіями. ({progress})":
        "The package from «{device}» brings changes to the plan: {decisions}.\n\nThey were made elsewhere than in the "
        "database this one is a copy of (the office it was taken from), and the office amends the plan. Apply these "
        "changes to the plan? This database then vouches for them to its copies. ({progress})",
    "Зміни до плану з пакета «{name}»…":
        "Changes to the plan from the package «{name}»…",
    "Замінити його все одно? Усе, що в ньому, буде втрачено — якщо це база чи пакет іншого пристрою, то й ще не "
    "надіслані зміни того пристрою.":
        "Replace it all the same? Everything in it will be lost — if it is another device's database or package, "
        "also that device's changes not yet sent.",
    "Цю базу, схоже, повернуто з давнішої копії її файла: «{device}», з копії якої її зроблено, має її зміни, яких у "
    "ній уже немає. Пакет повернув їх: змін — {count}, заходів — {measures}.":
        "This database seems to have been put back from an older copy of its file: «{device}», whose copy it was made "
        "from, has changes of it that it no longer has. The package brought them back: {count} changes of {measures} "
        "measures.",
    "Решту поверне пакет з усіма змінами звідти.": "A package with all changes from there brings back the rest.",
    "Як після відновлення з резервної копії, база отримала новий ідентифікатор пристрою (ключ той самий): там її "
    "наступний пакет попросить довіритися їй ще раз — відбиток ключа не змінився.":
        "As after a restore from a backup, the database got a new device identifier (the same key): there its next "
        "package will ask to be trusted again — its key fingerprint has not changed.",
    "це не файл бази даних SQLite": "this is not an SQLite database file",
    "сторінки файла не читаються як база даних": "the file's pages do not read as a database",
    "файл, його тека чи диск — лише для читання": "the file, its folder or the disk is read-only",
    "файл не вдалося відкрити: немає доступу до нього чи до його теки, або такої теки немає":
        "the file could not be opened: no access to it or its folder, or there is no such folder",
    "базу саме змінює інша програма": "another program is changing the database just now",
    "забракло пам'яті": "out of memory",
    "Файл бази «{path}» лише для читання (або його тека чи диск): програмі треба писати поруч із ним навіть для "
    "перегляду. Скопіюйте файл у теку, де можна писати (напр. «Документи»), і відкрийте копію. Файл не змінено.":
        "The database file «{path}» is read-only (or its folder or disk is): the program must write beside it even "
        "to show it. Copy the file to a folder you can write to (e.g. «Documents») and open the copy. The file was "
        "not changed.",
    "Значення в базі прийшло з файла з такою самою назвою, імпортованого раніше. З файла не видно, чи це виправлена "
    "копія того самого файла, чи інша копія того самого звіту, заповнена кимось іншим; якщо це виправлення, внесіть "
    "його у вікні.":
        "The database's value came from a file of the same name imported earlier. The file does not show whether it is "
        "a corrected copy of that file or another copy of the same report filled in by someone else; if it is a "
        "correction, enter it in the window.",
    "Експорт &пакета з усіма змінами…": "Export a package with &all changes…",
    "це тека; звітів у ній не переглянуто. Якщо в ній є заповнені звіти, імпортуйте їх окремо.":
        "this is a folder; the reports in it were not looked at. If it holds filled-in reports, import them "
        "separately.",
    "Захід {code} виключено з плану з {quarter} ({decision}): за цей і наступні квартали записи в нього не "
    "вносяться. Зміни не записано — план змінено, поки їх вносили.":
        "Measure {code} was removed from the plan from {quarter} ({decision}): records of that quarter and later are "
        "not entered for it. The changes were not saved — the plan was changed while they were being entered.",
    "Зв'язок із сервером бази даних обірвався саме тоді, коли зміни записувалися ({detail}): невідомо, чи їх "
    "записано. Коли зв'язок відновиться, перевірте, чи вони є, і, якщо немає, внесіть їх ще раз.":
        "The connection to the database server broke just as the changes were being written ({detail}): it is not "
        "known whether they were. When the connection is back, check whether they are there and, if not, enter them "
        "again.",
    "База {name} на сервері — база іншої програми, не трекера: у ній є таблиці, але не трекера. Її не змінено; "
    "перевірте назву бази в адресі.":
        "The server database {name} is another program's, not the tracker's: it has tables, but not the tracker's. It "
        "was not changed; check the database name in the address.",
    "База {name} на сервері порожня: трекера в ній ще немає. Нічого не створено; перевірте назву бази в адресі.":
        "The server database {name} is empty: there is no tracker in it yet. Nothing was created; check the database "
        "name in the address.",
    "База {name} на сервері порожня: трекера в ній ще немає, а підготувати його в ній може лише власник бази. "
    "Перевірте назву бази в адресі або попросіть адміністратора сервера.":
        "The server database {name} is empty: there is no tracker in it yet, and only the database's owner can set "
        "one up in it. Check the database name in the address or ask the server's administrator.",
    "Порожня база на сервері": "Empty server database",
    "База «{address}» на сервері порожня: трекера в ній ще немає.\n\nСтворити в ній нову базу трекера з вбудованим "
    "планом? Колеги, що працюють в іншій базі, цих змін не побачать.":
        "The server database «{address}» is empty: there is no tracker in it yet.\n\nCreate a new tracker database "
        "with the built-in plan in it? Colleagues working in another database will not see these changes.",
    "сервер відмовив у з'єднанні: його не запущено, або порт не той":
        "the server refused the connection: it is not running, or the port is wrong",
    "сервера з такою адресою не знайдено": "no server was found at that address",
    "до сервера немає шляху в мережі": "there is no network route to the server",
    "мережа недоступна": "the network is unreachable",
    "сервер не відповів вчасно": "the server did not answer in time",
    "з'єднання завершив сервер або його адміністратор": "the server or its administrator ended the connection",
    "сервер несподівано закрив з'єднання": "the server closed the connection unexpectedly",
    "з'єднання з сервером обірвалося": "the connection to the server broke",
    "Рядок {row}: заповнено, але без коду заходу в першій колонці, тож рядок не імпортовано. Впишіть код заходу, як "
    "його експортовано (рядок, доданий для нового заходу, не імпортується: заходи вносить план).":
        "Row {row}: filled in but without a measure code in the first column, so the row was not imported. Type the "
        "measure's code as it was exported (a row added for a new measure is not imported: measures come with the "
        "plan).",
    "Рядок {row}: у першій колонці «{code}» — не код заходу (код має вигляд 1.2.8), тож заповнене в рядку не "
    "імпортовано. Впишіть код заходу, як його експортовано, й імпортуйте ще раз.":
        "Row {row}: «{code}» in the first column is not a measure code (a code looks like 1.2.8), so what the row "
        "holds was not imported. Type the measure's code as it was exported and import again.",
    "Рядок {row}: код заходу в першій колонці Excel перетворив на дату ({date}), тож заповнене в рядку не "
    "імпортовано. Впишіть код як текст (почніть з апострофа: '2.3.3) й імпортуйте ще раз.":
        "Row {row}: Excel turned the measure code in the first column into a date ({date}), so what the row holds was "
        "not imported. Type the code as text (start with an apostrophe: '2.3.3) and import again.",
    "Файл «{name}» — звіт за {quarter}, а більшість вибраних звітів — за {main}, тож його не імпортовано з ними. Якщо "
    "він справді за {quarter}, імпортуйте його окремо.":
        "The file «{name}» is a report for {quarter}, and most of the reports chosen are for {main}, so it was not "
        "imported with them. If it really is for {quarter}, import it separately.",
    "Вибрані звіти — за різні квартали ({quarters}), порівну за кожен, тож не видно, котрі — цього збору; не "
    "імпортовано жоден. Виберіть квартал або імпортуйте звіти кожного кварталу окремо.":
        "The reports chosen are for different quarters ({quarters}), as many for each, so which are this round's "
        "cannot be told; none was imported. Choose the quarter or import each quarter's reports separately.",
    "на цьому порту відповідає не сервер PostgreSQL": "something other than a PostgreSQL server answers on this port",
    "сервер не підтримує захищеного з'єднання (SSL), якого вимагає адреса":
        "the server does not support the secure connection (SSL) the address asks for",
    "в адресі бази неправильний параметр": "a parameter in the database address is wrong",
    "в адресі бази невідомий параметр": "the database address has an unknown parameter",
    "Не вдалося відкрити базу «{address}» на сервері: {reason}. Перевірте адресу бази й доступ до сервера або "
    "зверніться до адміністратора.":
        "The server database «{address}» could not be opened: {reason}. Check the database address and access to the "
        "server, or ask the administrator.",
    "пропущено: це не таблиця звіту. Якщо це заповнений звіт, збережіть його як книгу Excel .xlsx і імпортуйте ще "
    "раз.":
        "skipped: not a report's spreadsheet. If it is a filled-in report, save it as an Excel .xlsx workbook and "
        "import it again.",
    "пропущено: посилання на файл, якого немає.": "skipped: a link to a file that is not there.",
    "Файл «{name}» — двійкова книга Excel (.xlsb). Відкрийте його в Excel чи LibreOffice і збережіть як .xlsx.":
        "The file «{name}» is a binary Excel workbook (.xlsb). Open it in Excel or LibreOffice and save it as .xlsx.",
    "Невідомо, чи збережено": "Not known whether saved",
    "Відкинути": "Discard",
    "Не спільна база": "Not the shared database",
    "Захід {code} за {quarter} тим часом змінено{by}, тож скасоване збереження не записано поверх новіших "
    "значень. Якщо воно ще потрібне, внесіть його значення у формі й збережіть.":
        "Measure {code} for {quarter} was changed meanwhile{by}, so the undone save was not written over the newer "
        "values. If it is still needed, enter its values in the form and save.",
    " (змінив(-ла) {who})": " (by {who})",
    "немає дозволу на таблицю «{table}»": "no permission on the table «{table}»",
    "Відкрито не спільну базу на сервері, а «{database}». Зміни, внесені тут, колеги на сервері не побачать; "
    "наступного запуску програма знову відкриє базу на сервері.":
        "Not the shared database on the server is open but «{database}». Changes made here will not be seen by "
        "colleagues on the server; at the next start the program opens the server's database again.",
    "Поки ви редагували, запис цього заходу за квартал вилучено в іншій програмі (скасовано "
    "збереження). Оберіть для кожного поля, яке значення залишити.":
        "While you were editing, this measure's record for the quarter was removed in another program (a save was "
        "undone). Choose which value to keep for each field.",
    "Поки ви редагували, {who} зберіг(-ла) цей захід ({when}). Оберіть для кожного поля, яке "
    "значення залишити: збережене вже є в історії, а ваше потрапить туди, якщо ви його залишите.":
        "While you were editing, {who} saved this measure ({when}). Choose which value to keep for each field: the "
        "saved one is in the history already, and yours goes there if you keep it.",
    "цей текст ({count} символів):": "this text ({count} characters):",
    "{new} символів": "{new} characters",
    "У файлі «{name}» стовпець «{heading}» тепер {found}-й, а не {column}-й: стовпець вставлено, "
    "вилучено чи переставлено, тож значення рядків не на своїх місцях; файл не імпортовано. Поверніть "
    "стовпці як були (свої стовпці додавайте праворуч від {last}-го) або експортуйте звіт заново.":
        "In the file «{name}» the column «{heading}» is now number {found}, not {column}: a column was inserted, "
        "deleted or moved, so the rows' values are out of their places; the file was not imported. Put the columns "
        "back as they were (add columns of your own to the right of column {last}) or export the report again.",
    "У рядку {row} (захід {code}) стан, відсоток, інформація й примітки — саме ті, що експортовано для заходу {source} "
    "(рядок {source_row}), а в рядку заходу {source} уже інші; таких рядків у файлі: {count}. Схоже, стовпці "
    "виконання впорядковано (відсортовано) чи переставлено окремо від кодів заходів, тож заповнене не віднести до "
    "заходів; файл не імпортовано. Скасуйте таке впорядкування (упорядковуйте рядки цілими, разом зі стовпцем "
    "кодів) або експортуйте звіт заново.":
        "Row {row} (measure {code}) holds exactly the status, percent, information and remarks exported for measure "
        "{source} (row {source_row}), and the row of measure {source} holds others now; rows like this in the file: "
        "{count}. The progress columns seem to have been sorted or moved apart from the measures' codes, so what was "
        "filled in cannot be told to belong to its measures; the file was not imported. Undo that sort (sort whole "
        "rows, together with the codes column) or export the report again.",
    "Файл бази даних «{path}» зараз тримає інша програма: вона відкрила його лише для "
    "себе (так роблять деякі програми для перегляду баз) або довго записує в нього, "
    "тож його не вдалося навіть прочитати. Закрийте ту програму й спробуйте ще раз. "
    "Файл не змінено.":
        "Another program holds the database file «{path}»: it opened it for itself alone (some database viewers do) "
        "or has been writing to it for long, so it could not even be read. Close that program and try again. "
        "The file was not changed.",
    "Текст «{name}» містить байти не в кодуванні UTF-8 (термінал чи сценарій в іншому "
    "кодуванні?). Наберіть його заново або збережіть сценарій в UTF-8. Нічого не записано.":
        "The text «{name}» holds bytes that are not UTF-8 (a terminal or script in another encoding?). Type it "
        "again or save the script as UTF-8. Nothing was written.",
    "План або базу змінено в іншій програмі. Натисніть F5, щоб побачити зміни.":
        "The plan or the database was changed in another program. Press F5 to see the changes.",
    "Захід {code} змінено в іншій програмі; у дереві — нові значення.":
        "Measure {code} was changed in another program; the tree shows the new values.",
    "Цей захід щойно змінено в іншій програмі. Під час збереження ви оберете, які значення залишити; "
    "«Відкинути зміни» покаже нові.":
        "This measure was just changed in another program. When you save, you will choose which values to keep; "
        "«Discard changes» shows the new ones.",
    "План або базу змінено в іншій програмі; показано їх такими, як тепер.":
        "The plan or the database was changed in another program; shown as they are now.",
    "{old} → {new} символів; останні {kept} — без змін": "{old} → {new} characters; the last {kept} unchanged",
    "{old} → {new} символів": "{old} → {new} characters",
    "у стовпці «{heading}» перший рядок заходу містить більше тексту, ніж уміщає його частина, а в "
    "рядках продовження під ним ще є текст: схоже, туди вставлено весь новий текст, а старий лишився "
    "нижче. Зітріть текст у рядках продовження або правте частини там, де вони є; рядок не "
    "імпортовано.":
        "in the column “{heading}” the measure's first row holds more text than its part fits, and the continuation "
        "rows under it still hold text: the whole new text seems to have been pasted there, the old one left "
        "below. Clear the text in the continuation rows or edit the parts where they are; the row was not "
        "imported.",
    "Показано зміни, збережені в іншій програмі (заходів: {count}).":
        "Shown the changes saved in another program (measures: {count}).",
    "Рядок {row} продовжує текст заходу {code}, але стоїть не на своєму місці (рядки переставлено, "
    "відсортовано чи вилучено?), тож текст заходу не прочитати цілим; захід не імпортовано. Поверніть рядки "
    "продовження під рядок заходу за їхніми номерами або експортуйте звіт заново.":
        "Row {row} goes on with the text of measure {code} but is out of its place (rows moved, sorted or "
        "deleted?), so the measure's text cannot be read whole; the measure was not imported. Put the continuation "
        "rows back under the measure's row in their numbers' order, or export the report anew.",
    "текст заходу експортовано в {exported} рядках, а у файлі їх {found}: рядок продовження вилучено чи "
    "додано, тож текст не прочитати цілим; рядок не імпортовано. Щоб скоротити текст, зітріть його в "
    "клітинках, а не рядок. Поверніть рядки або експортуйте звіт заново.":
        "the measure's text was exported in {exported} rows and the file has {found}: a continuation row was deleted "
        "or added, so the text cannot be read whole; the row was not imported. To shorten the text, clear it in the "
        "cells, not the row. Put the rows back or export the report anew.",
    "рядок {continued} лише продовжує текст заходу, а в ньому заповнено стовпець «{heading}» (чи вписано "
    "формулу); рядок не імпортовано. Впишіть це в рядок {row} — перший рядок заходу.":
        "row {continued} only goes on with the measure's text, yet its column “{heading}” is filled in (or holds a "
        "formula); the row was not imported. Enter it in row {row}, the measure's first row.",
    "Файлу бази даних «{path}» немає.": "There is no database file «{path}».",
    "Поруч із ним є «{copy}» — ціла копія бази, яку відновлення не встигло поставити на місце (його "
    "перервали, коли файли мінялися місцями){kept}. Перейменуйте «{copy}» на «{name}» і відкрийте базу "
    "знову; нову базу не створюйте.":
        "Beside it lies «{copy}» — a whole copy of the database that a restore, cut off while the files were being "
        "swapped, had not yet put in place{kept}. Rename «{copy}» to «{name}» and open the database again; do not make "
        "a new database.",
    "; пошкоджений файл — «{kept}»": "; the damaged file is «{kept}»",
    "Базу «{name}» зараз відкрито ще десь: в іншому вікні трекера, іншою програмою чи на "
    "іншому ПК. Закрийте її там і спробуйте знову: відновлення замінило б базу під "
    "зробленим там. Нічого не змінено.":
        "The database «{name}» is open somewhere else right now: in another tracker window, another program or on "
        "another PC. Close it there and try again: a restore would replace the database under the work done there. "
        "Nothing was changed.",
    "«{kept}» на «{name}»": "«{kept}» to «{name}»",
    "Базу «{name}» зараз відкрито ще десь: в іншому вікні трекера, іншою програмою чи на іншому ПК. Закрийте "
    "її там і спробуйте знову — інакше зроблене там записувалося б у відкладений файл і було б утрачене. "
    "Файл не змінено.":
        "The database «{name}» is open somewhere else right now: in another tracker window, another program or on "
        "another PC. Close it there and try again — otherwise what is done there would be written into the file set "
        "aside and lost. The file is unchanged.",
    "Не вдалося ні замінити файл бази «{name}» ({reason}), ні повернути його на місце. Нічого не втрачено: "
    "коли файл відпустить інша програма (антивірус, резервне копіювання), перейменуйте {names} і "
    "спробуйте знову.":
        "Could neither replace the database file «{name}» ({reason}) nor put it back. Nothing is lost: once the "
        "other program (an antivirus, a backup) lets the file go, rename {names} and try again.",
    "Перевірка бази й її журналу…": "Checking the database and its log…",
    "Відновлення бази з копії…": "Restoring the database from the copy…",
    "Відновлення бази": "Restoring the database",
    "Сам файл бази «{name}» цілий — індексам не відповідають сторінки з журналу незавершених записів поруч (його, "
    "схоже, залишила інша копія бази). Індекси не відбудовано, файл не змінено: відкладіть журнал убік.":
        "The database file “{name}” itself is whole — it is the pages from the log of unfinished writes beside it (left, "
        "it seems, by another copy of the database) that do not match the indexes. The indexes were not rebuilt and "
        "the file was not changed: set the log aside.",
    "Журнал бази": "Database log",
    "Журнал відкладено; базу відкрито такою, як у самому файлі.":
        "The log was set aside; the database is open as the file itself holds it.",
    "Журнал незавершених записів відкладено: «{kept}». Базу відкрито такою, як у самому файлі.":
        "The log of unfinished writes was set aside: “{kept}”. The database is open as the file itself holds it.",
    "Файл бази «{name}» цілий разом із журналом незавершених записів поруч: у журналі — збережені зміни, тож його "
    "не відкладено. Нічого не змінено.":
        "The database file “{name}” is whole together with the log of unfinished writes beside it: the log holds "
        "saved changes, so it was not set aside. Nothing was changed.",
    "Файл бази «{name}» цілий, і журналу незавершених записів поруч немає: відкладати нічого. Нічого не змінено.":
        "The database file “{name}” is whole and has no log of unfinished writes beside it: there is nothing to set "
        "aside. Nothing was changed.",
    "Поруч із «{name}» забагато відкладених файлів; приберіть старі.":
        "There are too many files set aside beside “{name}”; remove the old ones.",
    "Файл «{name}» — квартальний звіт про виконання плану, а не таблиця плану: план із нього не читається. Стан "
    "заходів зі звіту вносить «Імпорт заповненого звіту». Нічого не записано.":
        "The file “{name}” is a quarterly progress report, not a plan table: no plan is read from it. The measures' "
        "progress in a report is taken in by “Import filled-in report”. Nothing was written.",
    # this computer's name in exchange packages, in the settings
    "Вкажіть назву цього комп'ютера: її бачать поруч зі змінами, зробленими тут.":
        "Give this computer a name: it is shown beside the changes made here.",
    "напр. Старостат Прилуцьке": "e.g. Prylutske starosta office",
    "Цю назву бачать на інших комп'ютерах поруч зі змінами, зробленими тут. Уже надіслані пакети зберігають назву, з "
    "якою їх надіслано.": "Other computers show this name beside the changes made here. Packages already sent keep the "
                          "name they were sent with.",
    "&Назва цього комп'ютера в пакетах змін:": "This computer's &name in change packages:",
    "Пакети змін відтепер матимуть назву «{name}».": "Change packages will now carry the name “{name}”.",
    # damaged indexes, rebuilt from the rows
    "індекс «{index}» не відповідає записам таблиці": "the index “{index}” does not match the table's rows",
    "сторінки файла пошкоджено; SQLite: «{finding}»": "the file's pages are damaged; SQLite: “{finding}”",
    "Схоже, пошкоджено лише індекс — покажчик, за яким база знаходить записи; самі записи цілі. Його можна "
    "відбудувати із записів без жодних втрат; відновлення з резервної копії втратило б усе, записане після неї.":
        "It seems only an index is damaged — the list the database finds its records by; the records themselves are "
        "whole. It can be rebuilt from the records with nothing lost; restoring a backup would lose everything "
        "written since it.",
    "Не вдалося прочитати «{name}»: {reason}. Файл не змінено.": "Could not read “{name}”: {reason}. The file was not "
                                                                "changed.",
    "У файлі бази «{name}» пошкоджено не лише індекси: самі записи чи сторінки файла теж. Відбудувати його не можна; "
    "відновіть базу з цілої резервної копії. Файл не змінено.":
        "Not only the indexes of the database file “{name}” are damaged: its records or pages are too. It cannot be "
        "rebuilt; restore the database from a whole backup. The file was not changed.",
    "У базі «{name}» є записи-двійники там, де може бути лише один запис (їх пропустив пошкоджений індекс): "
    "відбудувати індекси, не вибравши між ними, не можна. Файл не змінено; відновіть базу з цілої резервної копії або "
    "зверніться до адміністратора.":
        "The database “{name}” holds twin records where only one may be (the damaged index let them in): the indexes "
        "cannot be rebuilt without choosing between them. The file was not changed; restore the database from a whole "
        "backup or contact the administrator.",
    "Відбудована база «{name}» не ціла ({problem}). Відбудову скасовано, файл не змінено; "
    "відновіть базу з цілої резервної копії.":
        "The rebuilt database «{name}» is not whole ({problem}). The rebuild was undone, the file is unchanged; "
        "restore the database from a whole backup.",
    "Не вдалося відбудувати індекси бази «{name}»: {reason}. Файл не змінено.":
        "Could not rebuild the indexes of the database “{name}”: {reason}. The file was not changed.",
    "Відбудувати індекси": "Rebuild indexes",
    "Сам файл бази цілий — пошкоджено журнал її незавершених записів «{wal}» поруч із ним (його могла залишити інша "
    "копія бази, покладена на місце цієї, або збій під час запису). Якщо відкласти журнал убік, база відкриється "
    "такою, як у самому файлі; записане лише в журнал у неї не ввійде, а сам журнал збережеться поруч.":
        "The database file itself is whole — the log of its unfinished writes “{wal}” beside it is damaged (another "
        "copy of the database put in this one's place may have left it, or a failure while writing). With the log set "
        "aside, the database opens as the file holds it; what was written only into the log will not be in it, and "
        "the log itself is kept beside it.",
    "Найновіша ціла резервна копія — від {when} ({reason}): «{path}».":
        "The newest whole backup is from {when} ({reason}): “{path}”.",
    "Файл бази «{name}» пошкоджено не лише в журналі: без журналу він теж не цілий. Журнал не відкладено; відновіть "
    "базу з цілої резервної копії.": "The database file “{name}” is damaged not only in its log: it is not whole "
                                     "without the log either. The log was not set aside; restore the database from a "
                                     "whole backup.",
    "Не вдалося відкласти журнал бази «{name}»: {reason}. Файли не змінено.":
        "Could not set the log of the database “{name}” aside: {reason}. The files were not changed.",
    "Відкласти журнал і відкрити": "Set the log aside and open",
    "Не відкривати": "Do not open",
    "Не зараз": "Not now",
    "Відбудова індексів": "Rebuilding indexes",
    "Перевірка й відбудова індексів бази…": "Checking and rebuilding the database's indexes…",
    "Індекси бази відбудовано.": "The database's indexes were rebuilt.",
    "Індекси бази відбудовано з її записів; нічого не втрачено. Пошкоджений файл збережено поруч: «{kept}».":
        "The database's indexes were rebuilt from its records; nothing was lost. The damaged file was kept beside it: "
        "“{kept}”.",
    "Увага: «{name}» — не копія цієї бази, а база іншого пристрою{device}: відновлення замінить дані цієї бази його "
    "даними, і зміни, внесені тут, залишаться лише в копії «перед відновленням».":
        "Warning: «{name}» is not a copy of this database but another device's database{device}: restoring replaces "
        "this database's data with its data, and the changes made here stay only in the copy «before restore».",
    "База на сервері відновлюється з резервних копій сервера PostgreSQL — це робить адміністратор сервера. Копію "
    "бази в окремий файл можна зберегти: Файл → Зберегти копію бази…":
        "A server database is restored from the PostgreSQL server's backups — the server's administrator does that. "
        "A copy of the database can be saved into a file of its own: File → Save a copy of the database…",
    "Пізніше": "Later",
    "захід {code} за {quarter}": "measure {code} for {quarter}",
    "Відновлено незбережені зміни ({where}): збережіть їх (Ctrl+S) або скасуйте.":
        "Unsaved changes restored ({where}): save them (Ctrl+S) or revert them.",
    "Зміни ({where}) у форму не відновити: цього заходу в плані за цей квартал тепер немає. Ось вони, щоб їх можна "
    "було скопіювати:\n\n{values}":
        "The changes ({where}) cannot be put back into the form: the plan no longer has this measure in that "
        "quarter. Here they are, to copy:\n\n{values}",
    "Після попереднього сеансу залишилися незбережені зміни: {where}, введені {when}. Програму тоді закрито, не "
    "зберігши їх (можливо, через вимкнення світла чи збій). Відновити їх у формі, щоб переглянути й зберегти?":
        "Unsaved changes are left from the previous session: {where}, entered {when}. The program was closed then "
        "without saving them (a power cut or a failure, perhaps). Restore them into the form to review and save?",
    "Якщо мали на увазі {whole} % (Excel зберігає відсотки частками: {whole} % — це {share}), введіть {whole}.":
        "If {whole} % was meant (Excel keeps percentages as shares: {whole} % is {share}), enter {whole}.",
    "Зв'язок із сервером бази даних обірвався саме тоді, коли зміни записувалися ({detail}), і їх не записано.":
        "The connection to the database server broke just as the changes were being written ({detail}), and they "
        "were not written.",
    "Інші зміни цього рядка теж не внесено: {changes}.": "The row's other changes were not entered either: {changes}.",
    "{field}: {new}": "{field}: {new}",
})
