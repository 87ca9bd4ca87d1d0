"""A progress bar on stderr for long reads, shown only to a person who is waiting.

Nothing appears in a pipe, under --quiet, or for work that ends within a second: the
callback only notes the time until then, and rich's progress display (a costly import) is
built only when the bar is really drawn.
"""

from __future__ import annotations

import time

from .environment import current

SHOW_AFTER = 1.0


class ProgressBar:
    """progress(stage, done, total) for load.check_files; use as a context manager."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.display = None
        self.tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.display is None:
            if time.monotonic() - self.started < SHOW_AFTER:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

            console = Console(file=current().stderr, emoji=False, markup=False, highlight=False)
            self.display = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self.display.start()
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.display.add_task(stage, total=max(total, 1))
        self.display.update(task, completed=done, total=max(total, 1))

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        if self.display is not None:
            self.display.stop()


def progress_for(quiet: bool) -> ProgressBar | None:
    """A progress bar if a person is watching stderr, else None."""
    env = current()
    if quiet or not env.stderr_isatty or env.dumb:
        return None
    return ProgressBar()
