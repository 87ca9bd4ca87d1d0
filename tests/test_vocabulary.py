"""The tool's vocabulary (data/vocabulary.yaml) covers the treatments that reviews after 2004
name, with their common abbreviations: a reviewer's sheet that says STS or IVIG needs no
declaration of its own."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from test_share import calcinosis

from calcinosis_cli import model
from calcinosis_cli.dataset.files import bundled_data_dir
from calcinosis_cli.exchange.sheet import sheet_columns
from calcinosis_cli.words import fold

VOCABULARY = Path(bundled_data_dir()) / "vocabulary.yaml"

# What a reviewer's sheet writes -> (the treatment it means, its class).
TYPED = {
    "STS": ("sodium thiosulfate", "chelating agent"),
    "topical STS": ("topical sodium thiosulfate", "chelating agent"),
    "IL-STS": ("intralesional sodium thiosulfate", "chelating agent"),
    "IV STS": ("intravenous sodium thiosulfate", "chelating agent"),
    "RTX": ("rituximab", "anti-CD20 antibody"),
    "IVIG": ("intravenous immunoglobulin", "immunoglobulin"),
    "probenecid": ("probenecid", "uricosuric agent"),
    "Colchicine": ("colchicine", "anti-inflammatory agent"),
    "ESWL": ("extracorporeal shock wave lithotripsy", "procedure"),
    "JAK inhibitors": ("JAK inhibitor", "JAK inhibitor"),
    "tofacitinib": ("tofacitinib", "JAK inhibitor"),
    "infliximab": ("infliximab", "TNF inhibitor"),
    "CTLA4-Ig": ("abatacept", "T-cell costimulation modulator"),
    "anakinra": ("anakinra", "interleukin-1 inhibitor"),
}


@pytest.fixture(scope="module")
def vocabulary() -> dict:
    return yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))


def test_no_name_of_a_treatment_names_another(vocabulary):
    seen: dict[str, str] = {}
    for treatment in vocabulary["treatments"]:
        for name in (treatment["id"], *treatment.get("aliases", ())):
            assert seen.setdefault(fold(name), treatment["id"]) == treatment["id"], (name, seen[fold(name)])
    assert not {fold(c) for c in model.CONTROLS} & set(seen)  # nor a control arm's word


def test_every_treatment_has_a_declared_class(vocabulary):
    classes = {c["id"] for c in vocabulary["classes"]}
    assert {t["class"] for t in vocabulary["treatments"]} <= classes


def test_the_bundled_evidence_names_none_of_the_new_treatments():
    # The evidence is the 2004 paper's: its studies keep their own treatments.
    ids = {row["treatment"] for row in json.loads(ok("list", "-f", "json", "-c", "id,treatment"))}
    assert ids.isdisjoint({treatment for treatment, _cls in TYPED.values()} - {"colchicine"})


def ok(*args: str, cwd: Path | None = None) -> str:
    result = calcinosis(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def user_rows(data: Path, columns: str) -> list[dict]:
    rows = json.loads(ok("--data", str(data), "list", "-f", "json", "-c", columns + ",source"))
    return [row for row in rows if row["source"] == "user"]


def sheet(path: Path) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=sheet_columns(), lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for number, typed in enumerate(TYPED, 1):
        writer.writerow(
            {
                "id": f"review{number}",
                "source": "user",
                "treatment_printed": typed,
                "treatment": typed,  # as the reviewer typed it; no class, no declaration
                "n": "1",
                "reference": "berger1987",
                "design": "case report",
                "tally_improved": "1",
            }
        )
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def test_a_sheet_of_abbreviations_imports_validates_and_lists_under_the_terms(tmp_path):
    out = tmp_path / "mine.yaml"
    ok("import", str(sheet(tmp_path / "sheet.csv")), "--output", str(out), "-q")
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "treatments" not in written and "classes" not in written  # nothing to declare
    assert "no problems" in ok("validate", str(out))
    rows = user_rows(out, "id,treatment,class")
    got = {row["id"]: (row["treatment"], row["class"]) for row in rows}
    assert got == {f"review{n}": meaning for n, meaning in enumerate(TYPED.values(), 1)}


@pytest.mark.parametrize(("typed", "meaning"), [("ivig", TYPED["IVIG"]), ("sts", TYPED["STS"])])
def test_a_data_file_may_write_the_alias_in_any_case(tmp_path, typed, meaning):
    own = tmp_path / "own.yaml"
    own.write_text(
        "studies:\n"
        "  - id: own2024\n    source: user\n    treatment_printed: As printed\n"
        f"    treatment: {typed}\n    n: 1\n    reference: berger1987\n    design: case report\n"
        "    tally: {improved: 1}\n",
        encoding="utf-8",
    )
    assert "no problems" in ok("validate", str(own))
    (row,) = user_rows(own, "treatment,class")
    assert (row["treatment"], row["class"]) == meaning
    # The filters take the alias and the class too.
    found = json.loads(ok("--data", str(own), "list", "-f", "json", "-c", "id", "-t", typed))
    assert found == [{"id": "own2024"}]


def test_a_users_own_alias_means_what_their_file_says(tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text(
        "treatments:\n  - id: sodium tetradecyl sulfate\n    class: procedure\n    aliases: [STS]\n"
        "studies:\n  - id: own2024\n    source: user\n    treatment_printed: STS sclerotherapy\n"
        "    treatment: STS\n    n: 1\n    reference: berger1987\n    design: case report\n    tally: {improved: 1}\n",
        encoding="utf-8",
    )
    (row,) = user_rows(own, "treatment")
    assert row["treatment"] == "sodium tetradecyl sulfate"


def test_terms_lists_the_new_treatments_with_their_aliases():
    text = ok("terms", "treatment")
    assert "intravenous immunoglobulin  [immunoglobulin]  (also: IVIG," in text
    assert "extracorporeal shock wave lithotripsy  [procedure]  (also: ESWL," in text
