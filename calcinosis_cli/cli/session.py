"""One run's state: which dataset files to read (bundled, --data, CALCINOSIS_DATA), read once.

The global options (--data, --no-bundled, --debug, --quiet) may stand before or after the
subcommand; each occurrence adds to the one Session of the run (see options.global_options).
"""

from __future__ import annotations

from ..errors import UsageError


class Session:
    """The dataset files of this run, their bytes (each input is read once) and, once read, the
    dataset; and the command line as typed, for provenance."""

    def __init__(self, argv: list[str] | None = None) -> None:
        self.argv = list(argv or [])
        self.data: list[str] = []
        self.no_bundled = False
        self.debug = False
        self.quiet = False
        self._dataset = None
        self._contents: list[bytes] | None = None

    def add_data(self, paths) -> None:
        """Add dataset files; a folder adds every ``*.yaml`` file under it, in the order of their
        relative paths (UsageError if it holds none)."""
        import os

        for given in paths:
            if os.path.isdir(given):
                from ..dataset.files import folder_files

                found = folder_files(given)
                if not found:
                    raise UsageError(f"--data {given}: the folder holds no *.yaml files (hidden ones are skipped)")
            else:
                found = [given]
            for path in found:
                if path not in self.data:
                    self.data.append(path)

    def paths(self) -> list[str]:
        """Every file to read, in order: the vocabulary, the bundled dataset unless --no-bundled,
        then the --data files."""
        from ..dataset.files import bundled_paths, vocabulary_path

        return ([vocabulary_path()] if self.no_bundled else bundled_paths()) + list(self.data)

    def contents(self) -> list[bytes]:
        """The bytes of every file of paths(), read once for the whole run."""
        if self._contents is None:
            from ..dataset.cache import read_contents

            self._contents = read_contents(self.paths(), quiet=self.quiet)
        return self._contents

    def dataset(self, vocabulary_alone: bool = False):
        """The validated dataset (through the cache); DataError or UsageError if it cannot be read.

        With --no-bundled and no --data there is nothing to query, a usage error, unless
        ``vocabulary_alone`` (import: what new files will be read with may be the vocabulary)."""
        if self._dataset is None:
            from ..dataset.cache import load_dataset_cached

            if self.no_bundled and not self.data and not vocabulary_alone:
                raise UsageError("no data: --no-bundled needs at least one --data file")
            from .progress import progress_for

            contents = self.contents()
            bar = progress_for(self.quiet)
            if bar is None:
                self._dataset = load_dataset_cached(self.paths(), contents=contents)
            else:
                with bar:
                    self._dataset = load_dataset_cached(self.paths(), bar, contents)
            # The dataset lives until the process ends and holds no cycles to collect; left
            # in the collector's generations, every later full collection (building and
            # writing 15,000 rows of a large dataset triggers several) would walk all of it.
            import gc

            gc.freeze()
        return self._dataset

    def command(self) -> str:
        """The command line of this run as typed, quoted as a shell would."""
        import shlex

        return shlex.join(["calcinosis", *self.argv])

    def provenance(self, date: str = ""):
        """Where this run's output comes from: versions, the command, the date, every input file."""
        import hashlib
        import os

        from .. import __version__, model
        from ..dataset.files import bundled_data_dir
        from ..references.bibliography import short_citation

        ds = self.dataset(vocabulary_alone=True)
        bundled = bundled_data_dir()
        files = tuple(
            model.InputFile(
                os.path.basename(path) if os.path.dirname(os.path.abspath(path)) == bundled else path,
                len(data),
                hashlib.sha256(data).hexdigest(),
                str(path),
            )
            for path, data in zip(self.paths(), self.contents(), strict=True)
        )
        source = ds.references.get(ds.source)
        cited = short_citation(source) if source else ds.title
        return model.Provenance(__version__, ds.version, cited, self.command(), date, files)

    def studies(self, filters):
        """The studies that pass ``filters``; on stderr, a note of rows whose diagnosis is a
        broader term the --diagnosis filter passed over (unless --quiet)."""
        from ..analysis.select import broader_rows, studies_matching

        ds = self.dataset()
        studies = studies_matching(ds, filters)
        if not self.quiet:
            from .environment import current

            stderr = current().stderr

            for asked, broader, count in broader_rows(ds, filters):
                rows = "1 row has" if count == 1 else f"{count} rows have"
                stderr.write(
                    f"calcinosis: note: {rows} the broader diagnosis {broader!r}, which may include "
                    f"{asked!r}; add -d {_quoted(broader)} to include them\n"
                )
                stderr.flush()  # a note is for now, whatever buffers stderr
        return studies


def _quoted(value: str) -> str:
    import shlex

    return shlex.quote(value)


def current_session(ctx) -> Session:
    """The run's Session, created on first use (completion builds contexts without running them)."""
    return ctx.find_root().ensure_object(Session)
