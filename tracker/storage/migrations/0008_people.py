"""People and their rights on the office server (tracker.storage.server_rights).

* ``app_user``: a login of this database on the PostgreSQL server — its role here (coordinator, monitor,
  admin), a display name, who added it and when; ``app_user_department``: the departments a coordinator
  answers for (their measures are the ones the login may change);
* ``history.login``: who made the change as the server knows it (``current_user``, set by a trigger on
  PostgreSQL); empty in an SQLite file, where the name asked at the first start is the author;
* on PostgreSQL, this database's group roles, grants, row-level security and the history's triggers.
"""
from peewee import AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField, Model, TextField

from tracker.storage.server_rights import install


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Department(Base):
        id = AutoField()

        class Meta:
            table_name = "department"

    class AppUser(Base):
        id = AutoField()
        login = CharField(unique=True)
        role = CharField()
        display_name = TextField(default="")
        created_at = DateTimeField()
        created_by = TextField(default="")
        adopted = BooleanField(default=False)  # the login was on the server before: removing it here keeps it there

    class AppUserDepartment(Base):
        id = AutoField()
        login = CharField()
        department = ForeignKeyField(Department, on_delete="CASCADE")

        class Meta:
            indexes = ((("login", "department"), True),)

    db.create_tables([AppUser, AppUserDepartment])
    migrator.migrate(migrator.add_column("history", "login", TextField(default="")))
    install(db)
