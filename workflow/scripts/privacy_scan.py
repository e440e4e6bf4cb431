"""Fail the run if personal data occurs in any output of the study (rule privacy_scan).

A failing scan names the input that carried each value and deletes the outputs that hold it.
"""

import sys

from medvirk.io import read_optional_csv
from medvirk.privacy import check_study

smk = snakemake  # noqa: F821
sys.stderr = open(smk.log[0], "w", encoding="utf-8")  # noqa: SIM115

check = check_study(
    smk.wildcards.study,
    read_optional_csv(smk.input.contacts),
    skip=[smk.output.scan, smk.log[0], smk.params.report],
)
print(check.message(for_disk=True), file=sys.stderr)
if not check.ok:
    print(check.message(), file=sys.__stderr__)
    sys.exit(1)
with open(smk.output.scan, "w", encoding="utf-8") as fh:
    fh.write(check.message())
