"""The appraisal tools the program knows, as data: their items numbered as published, with
the question text (or, where marked, a faithful short form), the domain, the answer set and the
citation. A data file may declare others in the same shape under ``tools:``.

Sources, read for this module:
- Murad MH, Sultan S, Haffar S, Bazerbachi F. Methodological quality and synthesis of case
  series and case reports. BMJ Evid Based Med 2018;23(2):60-63. doi:10.1136/bmjebm-2017-110853.
  Table 1: eight leading explanatory questions in four domains (selection 1; ascertainment 2-3;
  causality 4-7; reporting 8); "Questions 4, 5 and 6 are mostly relevant to cases of adverse
  drug events."
- Munn Z, Barker TH, Moola S, Tufanaru C, Stern C, McArthur A, Stephenson M, Aromataris E.
  Methodological quality of case series studies: an introduction to the JBI critical appraisal
  tool. JBI Evid Synth 2020;18(10):2127-2133. doi:10.11124/JBISRIR-D-19-00099. Ten questions
  (their wording as a published review reproduces them, PMC7778754 Table 2).
- Moola S, Munn Z, Tufanaru C, et al. Chapter 7: Systematic reviews of etiology and risk. In:
  Aromataris E, Munn Z (editors). JBI Manual for Evidence Synthesis. JBI, 2020. The checklist
  for case reports, eight questions (a book chapter: no article DOI).
Each JBI question is answered yes, no, unclear or not applicable; Murad 2018 lists questions
without an answer set, and the tool uses the same four answers for it (our choice, stated).
None of the three defines a score or an overall judgement.
"""

from __future__ import annotations

from .. import model

BUILTIN = "calcinosis"  # the origin of a built-in tool


def _tool(tool_id: str, name: str, citation: str, items, notes=()) -> model.AppraisalTool:
    return model.AppraisalTool(
        tool_id,
        name,
        citation,
        tuple(model.ToolItem(number, question, domain) for number, domain, question in items),
        model.ANSWERS,
        tuple(notes),
        BUILTIN,
    )


MURAD_2018 = _tool(
    "murad2018",
    "Murad 2018: methodological quality of case reports and case series",
    "Murad MH, Sultan S, Haffar S, Bazerbachi F. Methodological quality and synthesis of case series and case "
    "reports. BMJ Evid Based Med 2018;23(2):60-63. doi:10.1136/bmjebm-2017-110853",
    (
        (
            1,
            "selection",
            "Does the patient(s) represent(s) the whole experience of the investigator (centre) or is the selection "
            "method unclear to the extent that other patients with similar presentation may not have been reported?",
        ),
        (2, "ascertainment", "Was the exposure adequately ascertained?"),
        (3, "ascertainment", "Was the outcome adequately ascertained?"),
        (4, "causality", "Were other alternative causes that may explain the observation ruled out?"),
        (5, "causality", "Was there a challenge/rechallenge phenomenon?"),
        (6, "causality", "Was there a dose-response effect?"),
        (7, "causality", "Was follow-up long enough for outcomes to occur?"),
        (
            8,
            "reporting",
            "Is the case(s) described with sufficient details to allow other investigators to replicate the research "
            "or to allow practitioners make inferences related to their own practice?",
        ),
    ),
    notes=(
        "Murad et al: questions 4, 5 and 6 are mostly relevant to cases of adverse drug events.",
        "The answer set (yes, no, unclear, not applicable) is this tool's choice; the paper lists questions only.",
    ),
)

JBI_CASE_SERIES = _tool(
    "jbi-case-series",
    "JBI critical appraisal checklist for case series",
    "Munn Z, Barker TH, Moola S, Tufanaru C, Stern C, McArthur A, Stephenson M, Aromataris E. Methodological quality "
    "of case series studies: an introduction to the JBI critical appraisal tool. JBI Evid Synth "
    "2020;18(10):2127-2133. doi:10.11124/JBISRIR-D-19-00099",
    (
        (1, None, "Were there clear criteria for inclusion in the case series?"),
        (
            2,
            None,
            "Was the condition measured in a standard, reliable way for all participants included in the case series?",
        ),
        (
            3,
            None,
            "Were valid methods used for identification of the condition for all participants included in the case "
            "series?",
        ),
        (4, None, "Did the case series have consecutive inclusion of participants?"),
        (5, None, "Did the case series have complete inclusion of participants?"),
        (6, None, "Was there clear reporting of the demographics of the participants in the study?"),
        (7, None, "Was there clear reporting of the clinical information of the participants?"),
        (8, None, "Were the outcomes or follow-up results of cases reported?"),
        (9, None, "Was there clear reporting of the presenting site(s)/clinic(s) demographic information?"),
        (10, None, "Was the statistical analysis appropriate?"),
    ),
)

JBI_CASE_REPORT = _tool(
    "jbi-case-report",
    "JBI critical appraisal checklist for case reports",
    "Moola S, Munn Z, Tufanaru C, Aromataris E, Sears K, Sfetcu R, Currie M, Qureshi R, Mattis P, Lisy K, Mu P-F. "
    "Chapter 7: Systematic reviews of etiology and risk. In: Aromataris E, Munn Z (editors). JBI Manual for Evidence "
    "Synthesis. JBI, 2020",
    (
        (1, None, "Were patient's demographic characteristics clearly described?"),
        (2, None, "Was the patient's history clearly described and presented as a timeline?"),
        (3, None, "Was the current clinical condition of the patient on presentation clearly described?"),
        (4, None, "Were diagnostic tests or assessment methods and the results clearly described?"),
        (5, None, "Was the intervention(s) or treatment procedure(s) clearly described?"),
        (6, None, "Was the post-intervention clinical condition clearly described?"),
        (7, None, "Were adverse events (harms) or unanticipated events identified and described?"),
        (8, None, "Does the case report provide takeaway lessons?"),
    ),
)

BUILTIN_TOOLS: dict[str, model.AppraisalTool] = {t.id: t for t in (MURAD_2018, JBI_CASE_SERIES, JBI_CASE_REPORT)}


def tools_of(ds_tools: dict[str, model.AppraisalTool]) -> dict[str, model.AppraisalTool]:
    """Every tool a dataset may use: the built-in ones and those its files declare."""
    return {**BUILTIN_TOOLS, **ds_tools}


def tool_named(ds: model.Dataset, tool_id: str) -> model.AppraisalTool:
    """The tool ``tool_id`` (built-in or declared); a usage error naming the known ones."""
    tools = tools_of(ds.tools)
    if tool_id not in tools:
        from ..errors import UsageError
        from ..words import did_you_mean

        raise UsageError(
            f"unknown appraisal tool {tool_id!r}{did_you_mean(tool_id, list(tools))} (known: {', '.join(tools)})"
        )
    return tools[tool_id]
