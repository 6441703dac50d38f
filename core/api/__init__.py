"""API plumbing every app's API uses: errors, fields, filters, pagination, parsers, renderers."""
