"""Index classes that exist on PostgreSQL only and are no-ops on other databases (SQLite)."""

from django.contrib.postgres.indexes import GinIndex


class PostgresOnlyGinIndex(GinIndex):
    """A GIN index on PostgreSQL; nothing on other databases (SQLite has no GIN).

    Queries that use it degrade to a slower path elsewhere, never to an error.
    """

    NO_OP = "SELECT 1"

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self.NO_OP
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self.NO_OP
        return super().remove_sql(model, schema_editor, **kwargs)
