"""duban's command-line interface (installed as duban.cli): Click commands over the core."""
