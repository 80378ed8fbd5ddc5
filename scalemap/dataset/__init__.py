"""Sources made one table: which rows are one model (matching), their numbers merged (merge),
the flat table the app serves (table, build), and how two sources compare (accuracy,
disagreements)."""
