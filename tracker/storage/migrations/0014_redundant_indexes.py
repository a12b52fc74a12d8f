"""Indexes another index of the same table begins with, dropped: each foreign key had one of its own (peewee makes
it) beside the table's unique index on that key and more — ``history_measure_id`` beside
``history_measure_id_year_quarter_field``. SQLite and PostgreSQL find a measure's rows by the longer one's first
column as by the short one, so the short ones only cost: every history row written updated four indexes, not three,
and SQLite's full check, made before every copy of the database an import keeps, read them all (at 4,660 measures
a fifth of its 0.7 s). The file does not shrink at once: the freed pages take the next rows written."""

REDUNDANT = (
    "strategic_goal_plan_id",  # strategic_goal_plan_id_number
    "operational_goal_strategic_goal_id",  # operational_goal_strategic_goal_id_code
    "task_operational_goal_id",  # task_operational_goal_id_position
    "measure_plan_id",  # measure_plan_id_code
    "measure_executor_measure_id",  # measure_executor_measure_id_department_id
    "measure_funding_measure_id",  # measure_funding_measure_id_source_id
    "progress_measure_id",  # progress_measure_id_year_quarter
    "conflict_measure_id",  # conflict_measure_id_year_quarter_field
    "history_measure_id",  # history_measure_id_year_quarter_field
)


def up(migrator, db):
    for name in REDUNDANT:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
