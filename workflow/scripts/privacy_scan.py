"""Fail the run if a contact's name, phone or e-mail occurs in any output (rule privacy_scan)."""

import sys

from medvirk.io import read_csv
from medvirk.privacy import files_under, leak_report, scan_files

smk = snakemake  # noqa: F821
sys.stderr = open(smk.log[0], "w", encoding="utf-8")  # noqa: SIM115

contacts = read_csv(smk.input.contacts)
files = sorted({str(p) for p in [*smk.input.files, *files_under(smk.params.folders)]})
files = [f for f in files if f != smk.output.scan]
leaks = scan_files(files, contacts)
report = leak_report(files, leaks)
print(report, file=sys.stderr)
if len(leaks):
    print(report, file=sys.__stderr__)
    sys.exit(1)
with open(smk.output.scan, "w", encoding="utf-8") as fh:
    fh.write(report)
