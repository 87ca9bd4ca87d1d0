#!/usr/bin/env python3
"""Write a self-contained, valid synthetic calcinosis dataset of N studies.

    python3 bench/make_synthetic.py 10000 bench/out/synthetic-10000.yaml

The file defines its own treatments, diagnoses, footnotes, references (one per 10 studies),
a little later evidence and N studies, so it loads with

    calcinosis --no-bundled --data OUT.yaml list --treatment warfarin

and passes ``calcinosis validate --no-bundled OUT.yaml``. Output is deterministic for a given
N, seed and span rate. The text is invented and varied; it is not evidence.

Like the bundled Table 1, a small share of studies (``--span-rate``, default 0.05) are
sub-rows: they have no tally or printed outcome of their own, name the row above in
``spans_from``, and that row's tally covers both (its counts add up to both rows' N).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from pathlib import Path

# id -> (class from model.TREATMENT_CLASSES, aliases, printed names, doses, weight)
TREATMENTS = {
    "warfarin": (
        "vitamin K antagonist",
        ["coumadin", "low dose warfarin"],
        ["Warfarin", "Low dose warfarin", "Coumadin"],
        ["1 mg/day", "1 mg daily", "2 mg/day"],
        3,
    ),
    "diltiazem": (
        "calcium channel blocker",
        ["cardizem"],
        ["Diltiazem", "Diltiazem hydrochloride"],
        ["240 mg/day", "180 mg/day", "360 mg/day", "2 mg/kg/day"],
        4,
    ),
    "etidronate": (
        "bisphosphonate",
        ["disodium etidronate"],
        ["Disodium etidronate", "Etidronate"],
        ["10 mg/kg", "20 mg/kg", "400 mg/day"],
        3,
    ),
    "alendronate": (
        "bisphosphonate",
        ["alendronic acid"],
        ["Alendronate", "Alendronic acid"],
        ["10 mg/day", "70 mg/week"],
        2,
    ),
    "minocycline": ("tetracycline antibiotic", [], ["Minocycline"], ["50 mg/day", "100 mg/day"], 2),
    "infliximab": ("TNF inhibitor", ["anti-TNF", "Remicade"], ["Infliximab", "Anti-TNF"], ["3 mg/kg", "5 mg/kg"], 1),
    "aluminium hydroxide": (
        "phosphate binder",
        ["aluminum hydroxide"],
        ["Aluminium hydroxide", "Aluminum hydroxide"],
        ["120 ml/day", "1.8 g/day"],
        1,
    ),
    "surgical excision": (
        "procedure",
        ["surgery", "surgical removal"],
        ["Surgical removal", "Surgical excision", "Curettage"],
        [None],
        2,
    ),
    "intralesional triamcinolone": (
        "corticosteroid",
        ["intralesional steroids", "steroid injection"],
        ["Intralesional triamcinolone", "Intralesional corticosteroids"],
        ["10 mg/ml", "40 mg/ml"],
        1,
    ),
}

# id -> (aliases, broader, printed forms)
DIAGNOSES = {
    "scleroderma": ([], None, ["Scleroderma"]),
    "systemic sclerosis": (["SSc"], "scleroderma", ["Systemic sclerosis", "SSc"]),
    "limited cutaneous systemic sclerosis": (
        ["lcSSc", "CREST"],
        "systemic sclerosis",
        ["Limited cutaneous SSc", "CREST"],
    ),
    "diffuse cutaneous systemic sclerosis": (["dcSSc"], "systemic sclerosis", ["Diffuse cutaneous SSc"]),
    "idiopathic inflammatory myositis": (["IIM"], None, ["Inflammatory myositis"]),
    "dermatomyositis": (["DM"], "idiopathic inflammatory myositis", ["Dermatomyositis"]),
    "juvenile dermatomyositis": (["JDM"], "dermatomyositis", ["Juvenile dermatomyositis", "JDM"]),
    "overlap syndrome": ([], None, ["Overlap syndrome", "Mixed connective tissue disease"]),
}

FOOTNOTES = [
    ("*", "as indicated by change in subcutaneous calcinosis per clinical and radiograph evaluation"),
    ("†", "in a follow up of 6–48 months, as rated by patients"),
    ("‡", "defined as relief of pain and improvement in function"),
]

SURNAMES = (
    "Abe Almeida Andersen Baker Bauer Becker Berger Bianchi Black Blanco Brown Chen Costa Cruz Dahl "
    "Dubois Duarte Eriksson Fischer Fontaine Garcia Gomez Hansen Hartmann Hudson Ibrahim Ito Jensen "
    "Kaur Keller Kim Kowalski Lambert Larsen Lefebvre Lopez Maillard Martin Meier Mendelson Moreau "
    "Mukamel Müller Nakamura Nielsen Novak Oliveira Ortega Patel Petrov Ramos Ricci Rossi Sato Schmidt "
    "Schneider Silva Smith Suzuki Tanaka Torres Traoré Van Dijk Vargas Wagner Weber Wolff Yamamoto Yoshida "
    "Zhang Zimmermann Øberg Šimić"
).split()
INITIALS = "A B C D E F G H J K L M N P R S T V W AB AM CJ DE HL JP MR RG SK TW".split()
JOURNALS = (
    "Ann Rheum Dis",
    "Arthritis Rheum",
    "J Rheumatol",
    "Rheumatology (Oxford)",
    "Br J Dermatol",
    "J Am Acad Dermatol",
    "Clin Exp Rheumatol",
    "Pediatr Dermatol",
    "Arch Dermatol",
    "Semin Arthritis Rheum",
    "Lupus Sci Med",
    "Mod Rheumatol",
)
TITLE_OPENERS = (
    "Treatment of calcinosis cutis with {t}",
    "{T} for calcinosis in {d}",
    "Calcinosis universalis responding to {t}",
    "Successful use of {t} in {d}-associated calcinosis",
    "Failure of {t} to halt calcinosis in {d}",
    "Long-term {t} therapy for dystrophic calcification",
    "Soft tissue calcification in {d}: experience with {t}",
    "A trial of {t} in calcinosis of {d}",
    "Regression of subcutaneous calcinosis during {t} treatment",
    "{T} and calcinosis: what have we learned?",
)
TITLE_TAILS = (
    "",
    ": a case report",
    ": report of {n} cases",
    ": an open study",
    ": a retrospective series",
    " — a single-centre experience",
    ": clinical and radiographic follow-up",
)
OUTCOME_WORDS = {
    "improved": ("improved", "improvement", "regression", "response", "resolution"),
    "unchanged": ("unchanged", "no change", "stable", "no progression"),
    "worsened": ("worsened", "progression", "worsening", "new lesions"),
    "not_stated": ("lost to follow up", "not stated", "outcome not reported"),
}
NOTES = (
    "Outcome wording was read as a tally by the person who entered the row.",
    '"Response" is read as improved.',
    '"Stable" is read as unchanged.',
    "The split of patients by diagnosis is not stated.",
    "Follow up ranged from 3 to 36 months.",
    "The source is a conference abstract.",
    "Doses were adjusted for weight; the printed dose is the starting dose.",
    "Two patients also received physiotherapy.",
)
MEASURES = ("clinical", "radiographic", "bone scan", "patient-rated")

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .,()/'+-]*$")
_RESERVED = frozenset(
    "null Null NULL true True TRUE false False FALSE yes Yes YES no No NO on On ON off Off OFF y Y n N".split()
)


def q(text: str) -> str:
    """A YAML scalar for ``text``: plain when unambiguous, else double-quoted (JSON escapes are valid YAML)."""
    if _PLAIN.match(text) and text not in _RESERVED and ": " not in text and " #" not in text and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(items: list[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tally(rng: random.Random, n: int) -> dict[str, int]:
    """Split n patients into outcomes, favouring improved and unchanged."""
    weights = [rng.random() * 3, rng.random() * 2, rng.random(), rng.random() * 0.5]
    counts = dict.fromkeys(("improved", "unchanged", "worsened", "not_stated"), 0)
    names = list(counts)
    for _ in range(n):
        counts[rng.choices(names, weights)[0]] += 1
    return counts


def _outcome_text(rng: random.Random, tally: dict[str, int], n: int) -> str:
    parts = []
    for outcome, count in tally.items():
        if count:
            word = rng.choice(OUTCOME_WORDS[outcome])
            parts.append(f"{count}/{n} {word}" if n > 1 else word.capitalize())
    return ", ".join(parts)


def build(n: int, seed: int = 2004, span_rate: float = 0.05) -> dict:
    """The dataset as plain Python structures (emitted as YAML by ``render``)."""
    rng = random.Random(f"{seed}:{n}:{span_rate}")
    n_refs = max(1, math.ceil(n / 10))
    treatment_ids = list(TREATMENTS)
    weights = [TREATMENTS[t][4] for t in treatment_ids]
    diagnosis_ids = list(DIAGNOSES)

    references = []
    used_ids: set[str] = set()
    for i in range(n_refs):
        authors = [f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}" for _ in range(rng.choice((1, 2, 3, 4, 6)))]
        year = rng.randint(1965, 2024)
        base = slug(authors[0].rsplit(" ", 1)[0]) + str(year)
        ident = base
        suffix = 0
        while ident in used_ids:
            suffix += 1
            ident = f"{base}{chr(ord('a') + suffix % 26)}{suffix // 26 or ''}"
        used_ids.add(ident)
        t = rng.choice(treatment_ids)
        d = rng.choice(diagnosis_ids)
        title = rng.choice(TITLE_OPENERS).format(t=t, T=t[0].upper() + t[1:], d=d) + rng.choice(TITLE_TAILS).format(
            n=rng.randint(2, 30)
        )
        first_page = rng.randint(1, 1900)
        ref = {
            "id": ident,
            "authors": authors,
            "et_al": len(authors) >= 6,
            "title": title,
            "journal": rng.choice(JOURNALS),
            "year": year,
            "volume": str(rng.randint(1, 90)),
            "pages": f"{first_page}-{first_page + rng.randint(1, 12)}",
        }
        if rng.random() < 0.6:
            ref["doi"] = f"10.{rng.randint(1000, 9999)}/synth.{year}.{i:06d}"
        if rng.random() < 0.1:
            ref["kind"] = "conference abstract"
        references.append(ref)

    studies: list[dict] = []
    for i in range(n):
        ref = references[i * n_refs // n]
        parent = studies[-1] if studies else None
        if (
            parent is not None
            and "spans_from" not in parent
            and parent["reference"] == ref["id"]
            and len(parent["tally"]["covers"]) == 1
            and rng.random() < span_rate
        ):
            # A sub-row printed under the row above: no outcome or reference cell of its own.
            sub_n = rng.randint(1, 12)
            sub_dose = rng.choice(TREATMENTS[parent["treatment"]][3])
            study = {
                "id": f"{parent['id']}-sub",
                "source": "user",
                "treatment_printed": f">{sub_dose}" if sub_dose else "Second procedure",
                "treatment": parent["treatment"],
                "dose": f">{sub_dose}" if sub_dose else None,
                "n": sub_n,
                "diagnosis_printed": parent.get("diagnosis_printed"),
                "diagnoses": parent["diagnoses"],
                "spans_from": parent["id"],
                "reference": parent["reference"],
                "design": "case series" if sub_n > 1 else "case report",
            }
            extra = _tally(rng, sub_n)
            for k, v in extra.items():
                parent["tally"][k] += v
            parent["tally"]["covers"].append(study["id"])
            studies.append(study)
            continue
        treatment = rng.choices(treatment_ids, weights)[0]
        cls, _aliases, printed, doses, _w = TREATMENTS[treatment]
        dose = rng.choice(doses)
        size = rng.choice((1, 1, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45))
        terms = rng.sample(diagnosis_ids, rng.choice((1, 1, 1, 2)))
        tally = _tally(rng, size)
        if rng.random() < 0.05:
            design = "open trial phase"
        elif rng.random() < 0.02 and size > 1:
            design = "placebo-controlled trial"
        else:
            design = "case report" if size == 1 else "case series"
        surname = ref["authors"][0].rsplit(" ", 1)[0]
        who = surname if len(ref["authors"]) == 1 and not ref["et_al"] else f"{surname} et al"
        study = {
            "id": f"s{i:06d}-{slug(treatment)}",
            "source": "user",
            "treatment_printed": f"{rng.choice(printed)} {dose}" if dose else rng.choice(printed),
            "treatment": treatment,
            "dose": dose,
            "n": size,
            "diagnosis_printed": " ".join(rng.choice(DIAGNOSES[t][2]) for t in terms),
            "diagnoses": terms,
            "outcome_printed": _outcome_text(rng, tally, size),
            "reference_printed": f"{who} ({ref['year']})",
            "reference": ref["id"],
            "design": design,
            "tally": {**tally, "covers": [f"s{i:06d}-{slug(treatment)}"]},
            "outcome_measures": sorted(rng.sample(MEASURES, rng.randint(0, 2)), key=MEASURES.index),
        }
        if rng.random() < 0.1:
            study["footnote"] = rng.choice(FOOTNOTES)[0]
        if rng.random() < 0.3:
            study["notes"] = rng.sample(NOTES, rng.randint(1, 2))
        if rng.random() < 0.05:
            study["phase"] = rng.choice(("phase I", "phase II"))
        studies.append(study)

    first_ref = references[0]["id"]
    return {
        "dataset": {
            "title": f"Synthetic benchmark dataset ({n} studies)",
            "version": f"synthetic-{n}-seed{seed}",
            "source": first_ref,
            "notes": ["Invented data for benchmarking calcinosis; it is not evidence."],
        },
        "references": references,
        "studies": studies,
        "later_evidence": [
            {
                "id": "synthetic-warfarin",
                "reference": first_ref,
                "treatments": ["warfarin"],
                "statement": "An invented later statement on warfarin, used only to fill the later column.",
                "level": "IV",
            },
            {
                "id": "synthetic-bisphosphonates",
                "reference": first_ref,
                "classes": ["bisphosphonate"],
                "statement": "An invented later statement on bisphosphonates.",
            },
        ],
    }


def vocabulary_names() -> set[str]:
    """Every treatment, class and diagnosis name (ids and aliases) of data/vocabulary.yaml, case-folded."""
    import yaml

    vocabulary = yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "data" / "vocabulary.yaml").read_text("utf-8")
    )
    names = set()
    for section in ("treatments", "diagnoses", "classes"):
        for record in vocabulary.get(section) or ():
            names.add(str(record["id"]).casefold())
            names.update(str(a).casefold() for a in record.get("aliases") or ())
    return names


def render(data: dict, shared: bool = True) -> str:
    """The dataset as YAML in the style of the bundled files (block records, flow lists).

    ``shared`` False: one file of a folder, with only its references, studies and the footnotes
    (markers belong to their file); the metadata, vocabulary and later evidence are in the first.
    """
    out = ["# Synthetic calcinosis dataset written by bench/make_synthetic.py. Invented; not evidence.", ""]
    if shared:
        meta = data["dataset"]
        out.append("dataset:")
        for key in ("title", "version", "source"):
            out.append(f"  {key}: {q(meta[key])}")
        out.append("  notes:")
        out.extend(f"    - {q(note)}" for note in meta["notes"])
    out += ["", "footnotes:"]
    for marker, text in FOOTNOTES:
        out.append(f"  - marker: {q(marker)}")
        out.append(f"    text: {q(text)}")
    # Every dataset is read with the tool's vocabulary: declare only the terms it lacks, with
    # only the aliases it does not already give to a term of its own.
    known = vocabulary_names() if shared else set()
    out += ["", "treatments:"] if shared else []
    for ident, (cls, aliases, _printed, _doses, _w) in TREATMENTS.items() if shared else ():
        if ident.casefold() in known:
            continue
        out.append(f"  - id: {q(ident)}")
        out.append(f"    class: {q(cls)}")
        aliases = [a for a in aliases if a.casefold() not in known]
        if aliases:
            out.append(f"    aliases: {flow(aliases)}")
    out += ["", "diagnoses:"] if shared else []
    for ident, (aliases, broader, _printed) in DIAGNOSES.items() if shared else ():
        if ident.casefold() in known:
            continue
        out.append(f"  - id: {q(ident)}")
        aliases = [a for a in aliases if a.casefold() not in known]
        if aliases:
            out.append(f"    aliases: {flow(aliases)}")
        if broader:
            out.append(f"    broader: {q(broader)}")
    out += ["", "references:"]
    for ref in data["references"]:
        out.append(f"  - id: {q(ref['id'])}")
        out.append(f"    authors: {flow(ref['authors'])}")
        if ref["et_al"]:
            out.append("    et_al: true")
        out.append(f"    title: {q(ref['title'])}")
        out.append(f"    journal: {q(ref['journal'])}")
        out.append(f"    year: {ref['year']}")
        out.append(f'    volume: "{ref["volume"]}"')
        out.append(f"    pages: {q(ref['pages'])}")
        for key in ("doi", "kind"):
            if key in ref:
                out.append(f"    {key}: {q(ref[key])}")
    out += ["", "studies:"]
    for s in data["studies"]:
        out.append(f"  - id: {q(s['id'])}")
        out.append(f"    source: {s['source']}")
        out.append(f"    treatment_printed: {q(s['treatment_printed'])}")
        out.append(f"    treatment: {q(s['treatment'])}")
        for key in ("dose", "phase"):
            if s.get(key):
                out.append(f"    {key}: {q(s[key])}")
        out.append(f"    n: {s['n']}")
        if s.get("diagnosis_printed"):
            out.append(f"    diagnosis_printed: {q(s['diagnosis_printed'])}")
        out.append(f"    diagnoses: {flow(s['diagnoses'])}")
        if s.get("outcome_printed"):
            out.append(f"    outcome_printed: {q(s['outcome_printed'])}")
        if s.get("footnote"):
            out.append(f"    footnote: {q(s['footnote'])}")
        if s.get("reference_printed"):
            out.append(f"    reference_printed: {q(s['reference_printed'])}")
        out.append(f"    reference: {q(s['reference'])}")
        if s.get("spans_from"):
            out.append(f"    spans_from: {q(s['spans_from'])}")
        out.append(f"    design: {s['design']}")
        if "tally" in s:
            t = s["tally"]
            counts = ", ".join(f"{k}: {t[k]}" for k in ("improved", "unchanged", "worsened", "not_stated") if t[k])
            covers = t["covers"]
            if len(covers) > 1:
                counts = (counts + ", " if counts else "") + f"covers: {flow(covers)}"
            out.append(f"    tally: {{{counts}}}")
        if s.get("outcome_measures"):
            out.append(f"    outcome_measures: {flow(s['outcome_measures'])}")
        if s.get("notes"):
            out.append("    notes:")
            out.extend(f"      - {q(note)}" for note in s["notes"])
    out += ["", "later_evidence:"] if shared else []
    for e in data["later_evidence"] if shared else ():
        out.append(f"  - id: {q(e['id'])}")
        out.append(f"    reference: {q(e['reference'])}")
        for key in ("treatments", "classes"):
            if key in e:
                out.append(f"    {key}: {flow(e[key])}")
        out.append(f"    statement: {q(e['statement'])}")
        if "level" in e:
            out.append(f"    level: {q(e['level'])}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of studies")
    parser.add_argument("out", type=Path, help="YAML file to write (its folder is created)")
    parser.add_argument("--seed", type=int, default=2004, help="random seed (default 2004)")
    parser.add_argument(
        "--span-rate",
        type=float,
        default=0.05,
        help="share of studies that are sub-rows spanned by the row above (default 0.05; 0 for none)",
    )
    parser.add_argument(
        "--files",
        type=int,
        default=0,
        help="write OUT as a folder of this many files (file-000.yaml, ...): the studies in equal runs, each "
        "file with the references its studies cite; the first also holds the metadata and vocabulary",
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.files < 0 or args.files > args.n:
        parser.error("--files must be between 1 and N")
    data = build(args.n, args.seed, args.span_rate)
    studies = data["studies"]
    subrows = sum(1 for s in studies if "spans_from" in s)
    if args.files:
        size = write_folder(data, args.out, args.files)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(render(data), encoding="utf-8")
        size = args.out.stat().st_size
    print(
        f"wrote {args.out}: {len(studies)} studies ({subrows} sub-rows), {len(data['references'])} references, "
        f"{size} bytes" + (f" in {args.files} files" if args.files else ""),
        file=sys.stderr,
    )
    return 0


def write_folder(data: dict, folder: Path, files: int) -> int:
    """The dataset as ``files`` files in ``folder``; returns the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    studies = data["studies"]
    home: dict[str, int] = {}  # reference id -> the file of the first study citing it
    chunks: list[list[dict]] = [[] for _ in range(files)]
    for index, study in enumerate(studies):
        part = index * files // len(studies)
        chunks[part].append(study)
        home.setdefault(study["reference"], part)
    refs: list[list[dict]] = [[] for _ in range(files)]
    for ref in data["references"]:
        refs[home.get(ref["id"], 0)].append(ref)
    total = 0
    for part in range(files):
        piece = {**data, "references": refs[part], "studies": chunks[part]}
        path = folder / f"file-{part:03d}.yaml"
        path.write_text(render(piece, shared=part == 0), encoding="utf-8")
        total += path.stat().st_size
    return total


if __name__ == "__main__":
    sys.exit(main())
