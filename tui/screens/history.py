"""HistoryScreen: a task's commits with the coloured diff of each, or the plan-wide log (its
latest commits only, so it opens at once on a long history; Enter opens the task)."""

from __future__ import annotations

import re

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from duban.errors import DubanError
from duban.i18n import _
from duban.record.history import task_history, trailer_shown
from duban.store.gitoutput import FIELD, LOG_FORMAT, RECORD, Commit
from duban.tui.access import duban_app
from duban.tui.widgets.task_table import visible

PLAN_LOG_COMMITS = 200  # the plan log shows this many of the latest commits


class HistoryScreen(ModalScreen[str | None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape,q", "dismiss_screen", _("Close"), key_display="esc"),
        # priority: the footer shows the same keys whichever widget has focus (the
        # option list's own Enter would otherwise hide this one once it is focused)
        Binding("enter", "open_task", _("Open the task"), priority=True),
    ]

    def __init__(self, ref: str | None, plan_id: str | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.plan_id = plan_id
        self.commits: list[Commit] = []
        self.shown_text = ""  # the selected commit as plain text (message, trailers, patch)

    def compose(self) -> ComposeResult:
        title = (
            f"{_('History')}: {self.ref}"
            if self.ref
            else _("Plan log: {plan}, the latest {count} commits duban made").format(
                plan=self.plan_id, count=PLAN_LOG_COMMITS
            )
        )
        yield Static(Text(title), id="history-title")
        with Horizontal():
            yield OptionList(id="commits")
            with VerticalScroll(id="patch-pane"):
                yield Static(_("Loading…"), id="patch")
        yield Footer()

    def on_mount(self) -> None:
        if self.ref:  # a task's history with its patches takes a moment; the plan log does not
            self.query_one("#commits", OptionList).loading = True
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        repo = duban_app(self).repo
        try:
            if self.ref:
                commits = task_history(repo, self.ref, patch=True)
            else:
                commits = latest_commits(repo, str(self.plan_id), PLAN_LOG_COMMITS)
        except DubanError as error:
            self.app.call_from_thread(self.query_one("#patch", Static).update, Text(str(error)))
            self.app.call_from_thread(setattr, self.query_one("#commits", OptionList), "loading", False)
            return
        self.app.call_from_thread(self.show, commits)

    def show(self, commits: list[Commit]) -> None:
        self.commits = commits
        view = self.query_one("#commits", OptionList)
        view.loading = False
        options = []
        for commit in commits:
            by = f" [{commit.trailers['Reported-by']}]" if "Reported-by" in commit.trailers else ""
            day = commit.trailers.get("Report-date") or commit.date[:10]
            options.append(Option(Text(visible(f"{day} {commit.author}{by}\n{commit.subject}"))))
        view.add_options(options)
        if not commits:
            self.query_one("#patch", Static).update(_("No commits yet."))
        view.highlighted = 0 if commits else None
        view.focus()

    @on(OptionList.OptionHighlighted, "#commits")
    def commit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        if index is None or index >= len(self.commits):
            return
        commit = self.commits[index]
        header = Text(
            f"{commit.sha}\n{commit.author} <{commit.email}>  {commit.date}\n\n{commit.subject}\n", style="bold"
        )
        if commit.body:
            header.append(visible(commit.body) + "\n")
        for key, value in commit.trailers.items():
            label, shown = trailer_shown(key, value)
            header.append(_("{name}: {value}").format(name=label, value=visible(shown)) + "\n", style="dim")
        pane = self.query_one("#patch", Static)
        patch = readable_patch(commit.patch) if commit.patch else ""
        self.shown_text = header.plain + (patch or "\n".join(commit.paths))
        if patch:
            from rich.syntax import Syntax  # pygments: imported when a patch is shown, not with the log

            pane.update(Group(header, Syntax(patch, "diff", word_wrap=True, theme="ansi_dark")))
        else:
            pane.update(header.append("\n".join(commit.paths)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter opens a task from the plan log; a task's own history has nothing to open
        return not (action == "open_task" and self.ref is not None)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#commits")
    def action_open_task(self) -> None:
        """Enter in the plan log: close it and show the commit's task in the table."""
        index = self.query_one("#commits", OptionList).highlighted
        if self.ref is not None or index is None or index >= len(self.commits):
            return
        ref = task_of(self.commits[index], str(self.plan_id))
        if ref:
            self.dismiss(ref)
        else:
            self.notify(_("This commit changed more than one task."), markup=False)


# git's own lines around a file's changes (`diff --git`, `index 1a2b..3c4d 100644`, `--- a/…`),
# which say nothing a clerk needs; the file is named once, in the interface's words.
_GIT_PATCH_LINES = (
    "index ",
    "--- ",
    "+++ ",
    "new file mode",
    "deleted file mode",
    "old mode",
    "new mode",
    "similarity index",
    "rename from",
    "rename to",
    "Binary files",
)


def readable_patch(patch: str) -> str:
    """The patch with each file named as `文件 plans/…/1.yaml` and git's lines about it left
    out: the lines added and removed, and where, are what the history is read for."""
    lines = []
    in_header = False  # between `diff --git` and the first `@@`: git's lines about the file
    for line in patch.splitlines():
        if line.startswith("diff --git "):
            in_header = True
            lines.append(_("File {path}").format(path=line.rsplit(" b/", 1)[-1]))
        elif line.startswith("@@"):
            in_header = False
            lines.append(line)
        elif not (in_header and line.startswith(_GIT_PATCH_LINES)):
            lines.append(line)
    return "\n".join(lines)


def latest_commits(repo, plan_id: str, count: int) -> list[Commit]:
    """The plan's latest `count` commits made by duban (their Task trailer or subject names the
    plan), newest first. git reads only commit messages and computes no diffs, so a history
    of thousands of commits over 10,000 files costs no more than a short one. git picks the
    commits whose message has a line starting with the plan's name (a subject or a Task
    trailer), so other plans' commits, however many came after, do not crowd this plan's out:
    with 50 plans, the latest 600 commits held 9 of one plan's."""
    repo.plan(plan_id)
    git = repo.git
    git.check_repository()
    if not git.has_commits():
        return []
    name = re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", plan_id)  # a POSIX extended regex matching the name
    text = git.out(
        "log",
        f"--format={LOG_FORMAT}",
        f"--max-count={count * 3}",
        "--extended-regexp",
        f"--grep=^{name}",
        f"--grep=^Task: *{name}/",
    )
    found: list[Commit] = []
    for record in text.split(RECORD):
        parts = record.split(FIELD)
        if len(parts) < 7:
            continue
        sha, author, email, date, subject, body, trailer_text = parts[:7]
        trailers = {}
        for item in trailer_text.strip("\n").split("\x1d"):
            key, sep, value = item.partition(":")
            if sep:
                trailers[key.strip()] = value.strip()
        if not (trailers.get("Task", "").startswith(plan_id + "/") or subject.startswith(plan_id)):
            continue
        paragraphs = body.strip().rsplit("\n\n", 1)
        if trailers and len(paragraphs) == 2 and all(":" in line for line in paragraphs[1].splitlines()):
            body = paragraphs[0]
        elif trailers and len(paragraphs) == 1 and all(":" in line for line in paragraphs[0].splitlines()):
            body = ""
        found.append(
            Commit(
                sha=sha.strip(),
                author=author,
                email=email,
                date=date,
                subject=subject,
                body=body.strip(),
                trailers=trailers,
            )
        )
        if len(found) == count:
            break
    return found


def task_of(commit: Commit, plan_id: str) -> str | None:
    """The task a commit is about: its Task trailer, or the one task file it changed."""
    if commit.trailers.get("Task"):
        return commit.trailers["Task"]
    files = [p for p in commit.paths if p.endswith(".yaml")]
    if len(files) == 1:
        return f"{plan_id}/{files[0].rsplit('/', 1)[-1].removesuffix('.yaml')}"
    return None
