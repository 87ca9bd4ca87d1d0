"""The dataset format: every field a record of a data file may hold, what it means, an example,
and the converter that checks it. The loader, the JSON Schema (`calcinosis schema`), the
starter file (`calcinosis new`) and the dataset writer are all built from these specs, so that
they cannot disagree.
"""

from __future__ import annotations

from .. import model
from ..references import csl
from .fields import (
    Field,
    Invalid,
    Spec,
    boolean,
    describe,
    list_of,
    one_of,
    optional_text,
    optional_whole_number,
    positive_number,
    record,
    records,
    text,
    text_list,
    whole_number,
)
from .tree import Mapping

COUNT = "patients with this outcome (0 when absent)"

READING_SPEC: Spec = {
    "improved": Field("improved", whole_number, False, "patients improved, in this reading", 9),
    "unchanged": Field("unchanged", whole_number, False, "patients unchanged, in this reading", 0),
    "worsened": Field("worsened", whole_number, False, "patients worsened, in this reading", 0),
    "not_improved": Field(
        "not_improved", whole_number, False, "patients stated not to have improved, in this reading", 0
    ),
    "not_stated": Field("not_stated", whole_number, False, "patients whose outcome is not stated", 0),
}

TALLY_SPEC: Spec = {
    "improved": Field("improved", whole_number, False, f"improved: {COUNT}", 2),
    "unchanged": Field("unchanged", whole_number, False, f"unchanged: {COUNT}", 2),
    "worsened": Field("worsened", whole_number, False, f"worsened: {COUNT}", 0),
    "not_improved": Field(
        "not_improved",
        whole_number,
        False,
        f"stated not to have improved, without saying unchanged or worse ('0/4 showed improvement'): {COUNT}",
        0,
    ),
    "not_stated": Field("not_stated", whole_number, False, f"outcome not stated: {COUNT}", 0),
    "covers": Field(
        "covers",
        text_list,
        False,
        "ids of every row this tally counts, when the source prints one outcome across several rows "
        "(default: the row itself); the other rows then have no tally of their own",
        ["metzger1974-etidronate-10mgkg", "metzger1974-etidronate-20mgkg"],
    ),
    "alternative": Field(
        "alternative",
        record(READING_SPEC, model.Tally, "alternative reading", "a mapping of outcome counts"),
        False,
        "another reading of an ambiguous outcome, with the same total; tallies that include the row say so",
        {"improved": 9},
    ),
}

tally = record(TALLY_SPEC, model.Tally, "tally", "a mapping of outcome counts")

ARM_SPEC: Spec = {
    "label": Field("label", text, True, "the arm as the source names it", "Placebo group"),
    "received": Field(
        "received",
        text,
        True,
        f"a treatment (or its alias), or one of: {', '.join(model.CONTROLS)} (a control arm, never counted as treated)",
        "placebo",
    ),
    "n": Field("n", whole_number, True, "patients in the arm", 4),
    "tally": Field("tally", tally, True, "the arm's patients by outcome; they add up to its n", {"not_stated": 4}),
    "notes": Field("notes", text_list, False, "readings and caveats for this arm", []),
}

DATASET_SPEC: Spec = {
    "title": Field("title", text, True, "what the dataset holds", "My calcinosis studies"),
    "version": Field("version", text, True, "the dataset's own version, quoted", "1.0.0"),
    "source": Field("source", text, True, "id of the reference the dataset is drawn from", "smith2024"),
    "table_title": Field(
        "table_title", text, False, "the title of the source's table, as printed", "Table 1 Treatments"
    ),
    "notes": Field("notes", text_list, False, "conventions of the whole dataset", []),
}

QUIRK_SPEC: Spec = {
    "id": Field("id", text, True, "a stable id", "spelling-of-author"),
    "text": Field("text", text, True, "the oddity of the source, and what was kept", "The table spells ..."),
    "applies_to": Field("applies_to", text_list, False, "ids of the rows and references it concerns", []),
}

FOOTNOTE_SPEC: Spec = {
    "marker": Field("marker", text, True, "the marker as printed; markers belong to their own file", "*"),
    "text": Field("text", text, True, "the footnote's text, verbatim", "As rated by patients"),
}

CLASS_SPEC: Spec = {
    "id": Field("id", text, True, "a treatment class (the bundled vocabulary has its own)", "cephalosporin"),
}

TREATMENT_SPEC: Spec = {
    # Not a term of the vocabulary (sodium thiosulfate is one): the example declares a new one.
    "id": Field("id", text, True, "the normalised treatment name", "ceftriaxone"),
    "class": Field("treatment_class", text, True, "its class: a class of the vocabulary or of a file", "cephalosporin"),
    "aliases": Field("aliases", text_list, False, "other names users type for it", ["Rocephin"]),
}

DIAGNOSIS_SPEC: Spec = {
    "id": Field("id", text, True, "the normalised diagnosis term", "morphoea"),
    "aliases": Field("aliases", text_list, False, "other names users type for it", []),
    "broader": Field("broader", optional_text, False, "a broader term, which then finds this one", "scleroderma"),
}

# A reference is a CSL item (references/csl.py): which fields it needs depends on its type, and
# the checks (dataset/check.py) say so; the spec marks required only what every type needs.
REFERENCE_SPEC: Spec = {
    "id": Field("id", text, True, "a citation key, such as first author and year", "smith2024"),
    "type": Field(
        "type",
        one_of(csl.TYPES),
        False,
        "the CSL item type: article-journal (default), book, chapter, paper-conference, thesis, report, "
        "dataset, webpage, ...",
        "article-journal",
    ),
    "number": Field("number", optional_whole_number, False, "the number the source paper gives it", 7),
    "authors": Field(
        "authors",
        text_list,
        False,
        "authors in order, as 'Surname Initials', or an organisation's name whole; required for a "
        "journal article, book (or editors), chapter, conference paper and thesis",
        ["Smith AB", "Jones C"],
    ),
    "et_al": Field("et_al", boolean, False, "true if the printed list is cut short with 'et al'", False),
    "editors": Field("editors", text_list, False, "editors in order, as 'Surname Initials'", []),
    "title": Field("title", text, True, "the title, as printed", "Sodium thiosulfate for calcinosis"),
    "journal": Field(
        "journal", text, False, "the journal's abbreviation, as printed (required for a journal article)", "J Rheumatol"
    ),
    "container_title": Field(
        "container_title",
        optional_text,
        False,
        "what holds a work that is not a journal article: a chapter's book, a paper's proceedings, a page's site",
        "Dermoscopy Image Analysis",
    ),
    "collection_title": Field(
        "collection_title", optional_text, False, "the series, as printed", "Digital Imaging and Computer Vision"
    ),
    "year": Field("year", whole_number, True, "year of publication", 2024),
    "issued": Field(
        "issued",
        optional_text,
        False,
        "the full date as stated (2024, 2024-03 or 2024-03-12), if more than a year",
        "2024-03",
    ),
    "volume": Field("volume", optional_text, False, "volume, quoted", "51"),
    "issue": Field("issue", optional_text, False, "issue, quoted", "3"),
    "supplement": Field("supplement", optional_text, False, "supplement, as printed", "suppl 1"),
    "pages": Field("pages", optional_text, False, "pages as printed", "101-5"),
    "edition": Field("edition", optional_text, False, "the edition, as printed", "2"),
    "publisher": Field("publisher", optional_text, False, "the publisher (a thesis's university)", "CRC Press"),
    "publisher_place": Field("publisher_place", optional_text, False, "the publisher's place", "Boca Raton"),
    "event": Field("event", optional_text, False, "the conference or event, as printed", "EULAR 2003"),
    "genre": Field(
        "genre", optional_text, False, "the kind of work as stated (PhD thesis, technical report)", "PhD thesis"
    ),
    "report_number": Field(
        "report_number", optional_text, False, "a report's, patent's or standard's own number (CSL number)", "TR-12"
    ),
    "abstract_number": Field("abstract_number", optional_text, False, "an abstract's number, quoted", "0389"),
    "doi": Field("doi", optional_text, False, "the DOI, only if the source states it", "10.1136/ard.2003.014431"),
    "pmid": Field(
        "pmid", optional_text, False, "the PubMed id (digits), only if the source states it, quoted", "12345678"
    ),
    "isbn": Field("isbn", optional_text, False, "the ISBN, only if the source states it", "978-1-4822-5326-9"),
    "issn": Field("issn", optional_text, False, "the ISSN, only if the source states it", "0003-4967"),
    "url": Field("url", optional_text, False, "the URL, only if the source states it", "https://example.org/report"),
    "kind": Field(
        "kind",
        one_of(csl.KINDS),
        False,
        "the tool's own mark: journal article (default for an article-journal), conference abstract or review",
        "journal article",
    ),
    "notes": Field("notes", text_list, False, "notes on the entry", []),
}

STUDY_SPEC: Spec = {
    "id": Field("id", text, True, "a stable id for the row", "smith2024-thiosulfate"),
    "source": Field(
        "source",
        one_of(model.SOURCES),
        True,
        "where the row comes from: table 1, case reports (the source's own series) or user",
        "user",
    ),
    "table_row": Field("table_row", optional_whole_number, False, "its position in the source's table", 1),
    "treatment_printed": Field(
        "treatment_printed", text, True, "the treatment cell as printed", "Sodium thiosulfate 12.5 g"
    ),
    "treatment": Field(
        "treatment", text, True, "the treatment (a name or alias of the vocabulary)", "sodium thiosulfate"
    ),
    "dose": Field("dose", optional_text, False, "the dose as printed", "12.5 g"),
    "phase": Field(
        "phase",
        optional_text,
        False,
        "the trial phase as printed; rows of one reference with phases may share patients",
        "phase II",
    ),
    "n": Field("n", whole_number, True, "number of patients, as printed (control arms included)", 4),
    "diagnosis_printed": Field("diagnosis_printed", optional_text, False, "the diagnosis cell as printed", "SSc"),
    "diagnoses": Field(
        "diagnoses", text_list, False, "normalised diagnoses (names or aliases of the vocabulary)", ["SSc"]
    ),
    "outcome_printed": Field(
        "outcome_printed", optional_text, False, "the outcome cell as printed", "2 improved, 2 unchanged*"
    ),
    "footnote": Field("footnote", optional_text, False, "the marker of a footnote of the same file", "*"),
    "reference_printed": Field(
        "reference_printed", optional_text, False, "the reference cell as printed", "Smith et al (2024)"
    ),
    "reference": Field("reference", text, True, "id of the reference the row cites", "smith2024"),
    "spans_from": Field(
        "spans_from",
        optional_text,
        False,
        "the row above whose printed cells also cover this one",
        "smith2024-thiosulfate",
    ),
    "design": Field(
        "design",
        one_of(model.DESIGNS, model.DESIGN_ALIASES),
        True,
        f"the study design, coded by the tool's vocabulary: {', '.join(model.DESIGNS)}",
        "case series",
    ),
    "tally": Field(
        "tally", tally, False, "patients by outcome; they add up to n (not with arms)", {"improved": 2, "unchanged": 2}
    ),
    "arms": Field(
        "arms",
        records(ARM_SPEC, model.Arm, "arm"),
        False,
        "the arms as the source reports them (then no tally of the row's own); patients in no arm stay apart",
        [],
    ),
    "outcome_measures": Field(
        "outcome_measures",
        list_of(model.OUTCOME_MEASURES),
        False,
        f"measures the outcome text names: {', '.join(model.OUTCOME_MEASURES)}",
        ["clinical"],
    ),
    "notes": Field("notes", text_list, False, "readings and caveats: every reading not plain in the text", []),
}

CASE_SPEC: Spec = {
    "number": Field("number", whole_number, True, "the case's number in the paper", 1),
    "study": Field("study", text, True, "id of the study row the case belongs to", "smith2024-thiosulfate"),
    "age_years": Field("age_years", whole_number, True, "age in years", 35),
    "sex": Field("sex", text, True, "sex as printed", "female"),
    "ssc_subtype": Field("ssc_subtype", text, True, "systemic sclerosis subtype as printed", "limited cutaneous"),
    "disease_duration_years": Field(
        "disease_duration_years", optional_whole_number, True, "years of disease (null where not printed)", 10
    ),
    "disease_duration_text": Field("disease_duration_text", optional_text, True, "duration as printed", "for 10 years"),
    "lesion_sites": Field("lesion_sites", text_list, True, "lesion sites", ["elbows"]),
    "lesion_sites_text": Field("lesion_sites_text", text, True, "lesion sites as printed", "on her elbows"),
    "largest_lesion_cm": Field("largest_lesion_cm", positive_number, True, "largest lesion in cm", 2),
    "largest_lesion_text": Field("largest_lesion_text", text, True, "largest lesion as printed", "up to 2 cm"),
    "lesion_duration_before_treatment_text": Field(
        "lesion_duration_before_treatment_text", text, True, "how long lesions were present, as printed", "for years"
    ),
    "dose_printed": Field("dose_printed", text, True, "the dose as printed", "12.5 g"),
    "time_to_response_months": Field(
        "time_to_response_months", optional_whole_number, True, "months to response (null for none)", 2
    ),
    "time_to_response_text": Field("time_to_response_text", optional_text, True, "as printed", "Within 2 months"),
    "response": Field(
        "response",
        one_of(("complete resolution", "partial response", "no change", "worsened")),
        True,
        "the response: complete resolution, partial response, no change or worsened",
        "complete resolution",
    ),
    "response_text": Field("response_text", text, True, "the response as printed", "the lesions had disappeared"),
    "coagulation_text": Field("coagulation_text", text, True, "PT/PTT as printed", "PT and PTT remained normal"),
    "bleeding_text": Field("bleeding_text", text, True, "bleeding as printed", "no tendency for bleeding"),
    "follow_up_text": Field("follow_up_text", text, True, "follow-up as printed", "for a year"),
    "patient_origin": Field(
        "patient_origin", optional_text, False, "the patient's origin, a term beside the printed words", "Arab"
    ),
    "patient_origin_text": Field(
        "patient_origin_text", optional_text, False, "the patient's origin as printed", "of Arab origin"
    ),
    "prior_treatments": Field(
        "prior_treatments",
        text_list,
        False,
        "treatments before the study's, each a treatment or class of the vocabulary (names or aliases)",
        ["penicillamine", "calcium channel blocker"],
    ),
    "prior_treatments_text": Field(
        "prior_treatments_text",
        optional_text,
        False,
        "prior treatments as printed",
        "Penicillamine treatment was ineffective",
    ),
    "notes": Field("notes", text_list, False, "notes", []),
}

LATER_SPEC: Spec = {
    "id": Field("id", text, True, "a stable id", "smith2024-thiosulfate-statement"),
    "reference": Field("reference", text, True, "id of the later review", "smith2024"),
    "statement": Field(
        "statement",
        text,
        True,
        "what the review states: its own words when quoted is true (… marks words left out), else condensed",
        "Might be useful.",
    ),
    "quoted": Field("quoted", boolean, False, "true if the statement is the review's own words, verbatim", False),
    "quoted_from": Field(
        "quoted_from", optional_text, False, "where in the review the quotation stands", "abstract, Results"
    ),
    "treatments": Field(
        "treatments", text_list, False, "treatments it is about (names or aliases)", ["sodium thiosulfate"]
    ),
    "classes": Field("classes", text_list, False, "treatment classes it is about", []),
    "level": Field("level", optional_text, False, "the level as the review grades it, on its own scale", "IV"),
    "scope": Field(
        "scope",
        optional_text,
        False,
        "a diagnosis term the statement is limited to; rows with a broader diagnosis show it qualified",
        "juvenile dermatomyositis",
    ),
}


def __getattr__(name: str):
    """FLOW_SPEC, the `flow:` section's fields, built from the PRISMA boxes when first asked for
    (a cold start of `list` never needs it)."""
    if name == "FLOW_SPEC":
        from .flow_spec import flow_spec

        globals()[name] = spec = flow_spec()
        return spec
    raise AttributeError(name)


# --- appraisals (risk of bias) -----------------------------------------------------------------


def _iso_date(node, ctx):
    import datetime

    value = text(node, ctx)
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise Invalid(node, f"expected a date of the form YYYY-MM-DD, got {value!r}") from None
    return value


_iso_date.json_schema = {"type": "string", "format": "date"}  # type: ignore[attr-defined]


def _answers(node, ctx) -> tuple:
    """Item number -> answer, or -> {answer, support}; the answers are checked against the
    tool's set once every file is read (a tool may be declared in another file)."""
    if not isinstance(node, Mapping):
        raise Invalid(node, f"expected a mapping of item number -> answer, got {describe(node)}")
    out, bad = [], []
    for key, (key_node, value_node) in node.items.items():
        if not (key.isascii() and key.isdigit()) or (len(key) > 1 and key.startswith("0")) or len(key) > 4:
            bad.append((key_node, f"item {key!r}: expected an item number such as 1"))
            continue
        support = None
        answer_node = value_node
        if isinstance(value_node, Mapping):
            unknown = [k for k in value_node.items if k not in ("answer", "support")]
            if unknown:
                message = f"item {key}: unknown field {unknown[0]!r} (known fields: answer, support)"
                bad.append((value_node.items[unknown[0]][0], message))
                continue
            if "answer" not in value_node.items:
                bad.append((value_node, f"item {key}: missing required field 'answer'"))
                continue
            answer_node = value_node.items["answer"][1]
            if "support" in value_node.items:
                try:
                    support = optional_text(value_node.items["support"][1], ctx)
                except Invalid as err:
                    bad.append((err.node, f"item {key} support: {err.message}"))
                    continue
        try:
            answer = text(answer_node, ctx)
        except Invalid as err:
            bad.append((err.node, f"item {key}: {err.message}"))
            continue
        out.append(model.Answer(int(key), answer, support))
    if bad:
        raise Invalid(*bad[0], more=bad[1:])
    return tuple(sorted(out))


_answers.json_schema = {  # type: ignore[attr-defined]
    "type": "object",
    "patternProperties": {
        "^[1-9][0-9]*$": {
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {
                        "answer": {"type": "string", "minLength": 1},
                        "support": {"type": ["string", "null"]},
                    },
                    "required": ["answer"],
                    "additionalProperties": False,
                },
            ]
        }
    },
    "additionalProperties": False,
}

TOOL_ITEM_SPEC: Spec = {
    "number": Field("number", whole_number, True, "the item's number as the tool publishes it", 1),
    "question": Field("question", text, True, "the question, as published (or a faithful short form)", "Was ...?"),
    "domain": Field("domain", optional_text, False, "the tool's domain the item belongs to", "selection"),
}

TOOL_SPEC: Spec = {
    "id": Field("id", text, True, "a stable id, used by appraisals' 'tool'", "nih-case-series"),
    "name": Field("name", text, True, "the tool's name", "NIH quality assessment tool for case series"),
    "citation": Field("citation", text, True, "where the tool is published, as you cite it", "NIH, 2014"),
    "items": Field(
        "items",
        records(TOOL_ITEM_SPEC, model.ToolItem, "item"),
        True,
        "the items, numbered as published",
        [{"number": 1, "question": "Was the study question or objective clearly stated?"}],
    ),
    "answers": Field(
        "answers",
        text_list,
        False,
        f"the answer set (default: {', '.join(model.ANSWERS)})",
        list(model.ANSWERS),
    ),
    "notes": Field("notes", text_list, False, "notes on the tool", []),
}

APPRAISAL_SPEC: Spec = {
    "study": Field(
        "study", text, True, "id of the study appraised (a bundled study or one of a file)", "smith2024-thiosulfate"
    ),
    "tool": Field(
        "tool",
        text,
        True,
        "the tool: murad2018, jbi-case-series, jbi-case-report, or one declared under 'tools'",
        "nih-case-series",
    ),
    "reviewer": Field(
        "reviewer", text, True, f"the reviewer's initials, or {model.CONSENSUS} for the settled record", "AB"
    ),
    "date": Field("date", _iso_date, True, "when the appraisal was made, YYYY-MM-DD (quoted)", "2024-05-01"),
    "answers": Field(
        "answers",
        _answers,
        True,
        "item number -> answer (from the tool's set), or -> {answer, support}: a quote or reason",
        {1: {"answer": "unclear", "support": "the objective is not stated"}},
    ),
    "overall": Field(
        "overall",
        one_of(model.OVERALL),
        False,
        f"the reviewer's own overall judgement: {', '.join(model.OVERALL)} (never computed from the answers)",
        "moderate",
    ),
    "overall_reason": Field("overall_reason", optional_text, False, "the reason for the overall judgement", "..."),
    "notes": Field("notes", text_list, False, "notes", []),
}


from .certainty import iso_date, reasons  # noqa: E402 - the certainty section's own converters

CERTAINTY_SPEC: Spec = {
    "id": Field("id", text, True, "a stable id", "warfarin-improved"),
    "outcome": Field(
        "outcome",
        one_of(model.STATED_OUTCOMES),
        True,
        f"the outcome rated: {', '.join(model.STATED_OUTCOMES)} (its share of the patients with a stated outcome)",
        "improved",
    ),
    "treatment": Field("treatment", optional_text, False, "the scope: a treatment (or a class, not both)", "warfarin"),
    "class": Field(
        "treatment_class",
        optional_text,
        False,
        "the scope: a treatment class (or a treatment)",
        "calcium channel blocker",
    ),
    "diagnosis": Field(
        "diagnosis",
        optional_text,
        False,
        "limits the scope to rows with this diagnosis (or a narrower one)",
        "systemic sclerosis",
    ),
    "start": Field(
        "start",
        one_of(model.certainty.STARTS),
        True,
        "where certainty starts, as the reviewer records it: high (randomised trials) or low (observational)",
        "low",
    ),
    "start_reason": Field("start_reason", text, True, "why it starts there", "Case reports and case series only"),
    "rated_down": Field(
        "rated_down",
        reasons("down"),
        False,
        f"reasons to rate down ({', '.join(model.certainty.DOWN_REASONS)}), each with change and reason",
        {"risk_of_bias": {"change": -1, "reason": "Case series without a control group"}},
    ),
    "rated_up": Field(
        "rated_up",
        reasons("up"),
        False,
        f"reasons to rate up ({', '.join(model.certainty.UP_REASONS)}), each with change and reason",
        {"dose_response": {"change": 0, "reason": "One dose only"}},
    ),
    "comments": Field(
        "comments",
        optional_text,
        False,
        "the comments column of the Summary of Findings",
        "Outcome as the authors judged it",
    ),
    "reviewer": Field("reviewer", text, True, "who rated it", "A. Reviewer"),
    "date": Field("date", iso_date, True, "when, as YYYY-MM-DD", "2026-01-15"),
    "notes": Field("notes", text_list, False, "notes on the rating", []),
}
