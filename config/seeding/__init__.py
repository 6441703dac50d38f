"""The seed: the demo plan, its texts, the load generator, and the orchestration that has
each app write its own rows."""
