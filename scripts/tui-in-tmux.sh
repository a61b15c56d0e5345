#!/usr/bin/env bash
# Run `duban tui` in a real terminal (tmux), type into it, and print what the screen shows.
#   scripts/tui-in-tmux.sh [REPO]     (default: this checkout's bundled plans)
# Needs tmux, and duban installed (python3 dev.py test or dev.py open does that).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="${1:-$here}"
duban="${DUBAN:-$here/.venv/bin/duban}"
session="duban-demo-$$"
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install tmux)" >&2; exit 1; }
tmux new-session -d -s "$session" -x 120 -y 36 \
  "$duban --repo '$repo' tui --plan 2019-changning --lang zh --as-of 2019-06-30"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
show() { sleep "${2:-1.5}"; echo "=== $1"; tmux capture-pane -p -t "$session"; }
show "opened on 2019-changning, as of 2019-06-30" 3
tmux send-keys -t "$session" "/" && tmux send-keys -t "$session" -l "lead:fgw"
show "filtered with lead:fgw (pinyin initials of 发改委)"
tmux send-keys -t "$session" Tab Down
show "second matching task selected: its detail on the right"
tmux send-keys -t "$session" "?"
show "help: every key binding"
tmux send-keys -t "$session" Escape q
sleep 1
