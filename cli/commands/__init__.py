"""One module per `duban` subcommand; each parses options and hands work to the core."""
