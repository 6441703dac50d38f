"""The seed: the demo plan and texts, the load generator, and the orchestration of the apps."""
