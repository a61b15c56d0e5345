"""A cache of parsed, schema-valid task files, so a second `validate`, `list` or TUI start skips
YAML parsing.

Entries are keyed by a hash of the file's bytes, not by path, size or mtime: an edit, a
checkout or a rebase that leaves equal timestamps (coarse clocks, clock skew) still changes
the key, so a stale task is never served. Which hash a file has is known without reading it
when its stat fields are those of a record taken when it was last read (file_states, the rule
git's index follows). The cache lives in .git/duban-cache/ (nowhere when there is no .git
folder), is tagged with duban's version and the task schema (tag), and is simply rebuilt when
missing, from another version, or unreadable.

The door is parse_cache.ParseCache (Repository.parse_cache()); the modules beside it each keep
one kind of file: documents (parsed task and plan documents), verdicts (plans found clean),
task_index with columns (a plan's snapshot read by column), file_states (which files changed).
"""
