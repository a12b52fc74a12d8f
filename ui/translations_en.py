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
