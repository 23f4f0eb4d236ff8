"""Field sunsets: a notice and reminders before a deprecated field's sunset (docs/workflow.md)."""
