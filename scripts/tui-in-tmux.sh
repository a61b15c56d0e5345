#!/usr/bin/env bash
# Drive `duban tui` in a real terminal (tmux) through a unit's monthly round, end to end, and
# print each screen and the commits it made.
#   scripts/tui-in-tmux.sh [WIDTHxHEIGHT]     (default 80x24)
# Works on a scratch copy of the bundled 2019-changning plan in a temporary git repository,
# so this checkout is never written. Needs tmux and git, and duban installed
# (python3 dev.py test or dev.py open does that).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
size="${1:-80x24}"
duban="${DUBAN:-$here/.venv/bin/duban}"
session="duban-demo-$$"
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install tmux)" >&2; exit 1; }
repo="$(mktemp -d)/repo"
mkdir -p "$repo/plans"
cp -r "$here/plans/2019-changning" "$repo/plans/"
cp -r "$here/schema" "$repo/schema"
export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-长宁区督查科}" GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-clerk@example.invalid}"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
git -C "$repo" init -q -b main && git -C "$repo" add -A && git -C "$repo" commit -q -m "bundled plan"
tmux new-session -d -s "$session" -x "${size%x*}" -y "${size#*x}" \
  "LANG=C.UTF-8 $duban --repo '$repo' tui --plan 2019-changning --lang zh --as-of 2019-06-30; echo exit=\$?; sleep 30"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$(dirname "$repo")"' EXIT
show() { sleep "${2:-1.5}"; echo "=== $1"; tmux capture-pane -p -t "$session"; }
keys() { tmux send-keys -t "$session" "$@"; sleep 0.3; }
text() { tmux send-keys -t "$session" -l -- "$1"; sleep 0.3; }
show "opened on 2019-changning, as of 2019-06-30, at $size" 3
keys m
show "the monthly round asks for my unit (remembered in .git/duban-my-unit)"
text "jrb"; keys Enter
show "金融办 (typed as jrb): every task it leads or supports, one row each"
text "40"; keys Enter Enter; text "稳增长方案已印发"; keys Enter          # row 1: percent, (value), note
text "30"; keys Enter Enter; text "落地项目 120 家"; keys Enter          # row 2
text "10"; keys Enter; text "配合推进临空园区"                           # row 3 (no value column)
show "three rows filled"
keys C-s
show "saved: one commit per row"
keys Escape
sleep 0.5; keys o
show "overview: lights per unit, worst first"
keys Escape
sleep 0.5; keys q
sleep 1
echo "=== commits made by the round"
git -C "$repo" log --format='%h %s  [%(trailers:key=Reported-by,valueonly,separator=)]' -4
