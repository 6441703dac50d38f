"""Migration operations for database-level behaviour that Django 5.2 models cannot declare."""

from django.db import migrations

ACTIONS = {"CASCADE", "SET NULL"}


class SetDatabaseOnDelete(migrations.operations.base.Operation):
    """Give a foreign key an ON DELETE action in PostgreSQL itself.

    Django emulates `on_delete` in Python; with this the database also cascades (or nulls) when
    rows are deleted by raw SQL, by another service, or by an operator in psql. The constraint is
    re-created with the same name and deferral. Other databases are left as they are (SQLite
    cannot alter a constraint; Django's emulation still applies there). Reversible.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, column: str, action: str, previous: str | None = None):
        # `previous`: the action to put back when reversing (None: Django's, i.e. none). A
        # migration that re-creates the constraint (AlterField) names the action it had.
        if action not in ACTIONS or previous not in (*ACTIONS, None):
            raise ValueError(f"action and previous must be one of {sorted(ACTIONS)}")
        self.table, self.column, self.action, self.previous = table, column, action, previous

    def deconstruct(self):
        options = {"table": self.table, "column": self.column, "action": self.action}
        if self.previous is not None:
            options["previous"] = self.previous
        return (self.__class__.__name__, [], options)

    def state_forwards(self, app_label, state):
        pass  # the model state does not change

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._recreate(schema_editor, on_delete=self.action)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._recreate(schema_editor, on_delete=self.previous)

    def describe(self):
        return f"Set ON DELETE {self.action} on {self.table}.{self.column} (PostgreSQL)"

    def _recreate(self, schema_editor, *, on_delete: str | None) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
                "WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND a.attname = %s",
                [self.table, self.column],
            )
            rows = cursor.fetchall()
        if len(rows) != 1:
            raise RuntimeError(f"expected one foreign key on {self.table}.{self.column}: {rows}")
        name, definition = rows[0]
        for action in ACTIONS:
            definition = definition.replace(f" ON DELETE {action}", "")
        if on_delete:
            referenced, separator, deferral = definition.partition(" DEFERRABLE")
            definition = f"{referenced} ON DELETE {on_delete}{separator}{deferral}"
        quote = connection.ops.quote_name
        schema_editor.execute(f"ALTER TABLE {quote(self.table)} DROP CONSTRAINT {quote(name)}")
        schema_editor.execute(
            f"ALTER TABLE {quote(self.table)} ADD CONSTRAINT {quote(name)} {definition}"
        )
