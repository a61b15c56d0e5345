"""The store: the on-disk layout, atomic writes, locking, YAML, the parse cache, git, Repository."""
