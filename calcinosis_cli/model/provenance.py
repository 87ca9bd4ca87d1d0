"""Where an output came from: the tool and data versions, the command as typed, the date, and
every input file with its SHA-256. One record for reports, figures, the SQLite metadata and the
headers of written files."""

from typing import NamedTuple

DISCLAIMER = "Crude counts of what the sources print, not a meta-analysis; no medical advice."


class InputFile(NamedTuple):
    """An input as read: its name (a bundled file's base name, else the path as given), size, hash."""

    name: str
    size: int
    sha256: str
    path: str = ""  # the path it was read from (not shown: it may be the machine's own)


class Provenance(NamedTuple):
    tool_version: str
    dataset_version: str
    source: str = ""  # the short citation of the dataset's source, "Cukierman et al (2004)"
    command: str = ""  # the command line as typed, quoted as a shell would
    date: str = ""
    files: tuple[InputFile, ...] = ()

    def caption(self, disclaimer: str = DISCLAIMER) -> str:
        """A figure's caption line: source, versions and what the counts are (``disclaimer``: what
        a figure that is not crude counts says instead)."""
        return f"Source: {self.source}, dataset {self.dataset_version}; calcinosis {self.tool_version}. {disclaimer}"

    def file_names(self) -> str:
        return ", ".join(f.name for f in self.files)

    def header(self) -> str:
        """Comment lines for the head of a written file: the command, the inputs and their hashes."""
        lines = [f"written by calcinosis {self.tool_version} with: {self.command}"] if self.command else []
        lines += [f"input: {f.name} ({f.size} bytes, sha256 {f.sha256})" for f in self.files]
        return "\n".join(lines)
