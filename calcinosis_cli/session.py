"""One run's state: which dataset files to read (bundled, --data, CALCINOSIS_DATA), read once.

The global options (--data, --no-bundled, --debug, --quiet) may stand before or after the
subcommand; each occurrence adds to the one Session of the run (see options.global_options).
"""

from __future__ import annotations

from .errors import UsageError


class Session:
    """The dataset files of this run and, once read, the dataset."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.no_bundled = False
        self.debug = False
        self.quiet = False
        self._dataset = None

    def add_data(self, paths) -> None:
        for path in paths:
            if path not in self.data:
                self.data.append(path)

    def paths(self) -> list[str]:
        """Every file to read, in order: the bundled dataset unless --no-bundled, then --data."""
        from .datafiles import bundled_paths

        return ([] if self.no_bundled else bundled_paths()) + list(self.data)

    def dataset(self):
        """The validated dataset (through the cache); DataError or UsageError if it cannot be read."""
        if self._dataset is None:
            from .cache import load_dataset_cached

            if self.no_bundled and not self.data:
                raise UsageError("no data: --no-bundled needs at least one --data file")
            if self.quiet:
                import logging

                logging.getLogger("calcinosis").setLevel(logging.ERROR)
            from .progress import progress_for

            bar = progress_for(self.quiet)
            if bar is None:
                self._dataset = load_dataset_cached(self.paths())
            else:
                with bar:
                    self._dataset = load_dataset_cached(self.paths(), bar)
        return self._dataset


def current_session(ctx) -> Session:
    """The run's Session, created on first use (completion builds contexts without running them)."""
    return ctx.find_root().ensure_object(Session)
