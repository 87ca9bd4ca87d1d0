"""Certainty of evidence (GRADE): the arithmetic on the reviewer's ratings (grade.py), the
evidence shown beside each rating (evidence.py) and the rows of a Summary of Findings
(findings.py). The records themselves are model/certainty.py, so that the loader can build them.
Nothing here chooses a rating."""
