"""The dataset format: every field a record of a data file may hold, what it means, an example,
and the converter that checks it. The loader, the JSON Schema (`calcinosis schema`), the
starter file (`calcinosis new`) and the dataset writer are all built from these specs, so that
they cannot disagree.
"""

from __future__ import annotations

from .. import model
from .fields import (
    Field,
    Spec,
    boolean,
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
    "id": Field("id", text, True, "a treatment class (the bundled vocabulary has its own)", "thiosulfate salt"),
}

TREATMENT_SPEC: Spec = {
    "id": Field("id", text, True, "the normalised treatment name", "sodium thiosulfate"),
    "class": Field(
        "treatment_class", text, True, "its class: a class of the vocabulary or of a file", "thiosulfate salt"
    ),
    "aliases": Field("aliases", text_list, False, "other names users type for it", ["STS"]),
}

DIAGNOSIS_SPEC: Spec = {
    "id": Field("id", text, True, "the normalised diagnosis term", "morphoea"),
    "aliases": Field("aliases", text_list, False, "other names users type for it", []),
    "broader": Field("broader", optional_text, False, "a broader term, which then finds this one", "scleroderma"),
}

REFERENCE_SPEC: Spec = {
    "id": Field("id", text, True, "a citation key, such as first author and year", "smith2024"),
    "number": Field("number", optional_whole_number, False, "the number the source paper gives it", 7),
    "authors": Field("authors", text_list, True, "authors in order, as 'Surname Initials'", ["Smith AB", "Jones C"]),
    "et_al": Field("et_al", boolean, False, "true if the printed list is cut short with 'et al'", False),
    "title": Field("title", text, True, "the title, as printed", "Sodium thiosulfate for calcinosis"),
    "journal": Field("journal", text, True, "the journal's abbreviation, as printed", "J Rheumatol"),
    "year": Field("year", whole_number, True, "year of publication", 2024),
    "volume": Field("volume", optional_text, False, "volume, quoted", "51"),
    "issue": Field("issue", optional_text, False, "issue, quoted", "3"),
    "supplement": Field("supplement", optional_text, False, "supplement, as printed", "suppl 1"),
    "pages": Field("pages", optional_text, False, "pages as printed", "101-5"),
    "abstract_number": Field("abstract_number", optional_text, False, "an abstract's number, quoted", "0389"),
    "doi": Field("doi", optional_text, False, "the DOI, only if the source states it", "10.1136/ard.2003.014431"),
    "pmid": Field(
        "pmid", optional_text, False, "the PubMed id (digits), only if the source states it, quoted", "12345678"
    ),
    "kind": Field(
        "kind",
        one_of(("journal article", "conference abstract", "review")),
        False,
        "journal article (default), conference abstract or review (the tool's vocabulary)",
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
