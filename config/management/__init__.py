"""The project's management commands: those that span the apps (seed)."""
