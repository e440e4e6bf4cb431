import os

from snakemake.utils import min_version

from medvirk.settings import validate_settings

from medvirk.limits import check_settings_file

min_version("9.0")


configfile: "config/config.yaml"


# A study's own settings (its coders, say) in data/raw/<study>/study.yaml override the defaults
# for that study only; `--config` and `--configfile` on the command line still win. It is checked
# first (size, no YAML aliases, no templates), as Snakemake's own loader expands aliases.
if os.path.isfile(f"data/raw/{config['study']}/study.yaml"):
    check_settings_file(f"data/raw/{config['study']}/study.yaml")

    configfile: f"data/raw/{config['study']}/study.yaml"


# The settings checked against the schema: a wrong one stops here with a message in Bokmål and
# English naming it (medvirk.settings), and the schema's defaults are filled in.
validate_settings(
    config,
    f"{workflow.basedir}/workflow/schemas/config.schema.yaml",
    workflow.configfiles,
)


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/prepare.smk"
include: "workflow/rules/merge.smk"
include: "workflow/rules/coding.smk"
include: "workflow/rules/agreement.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/reproduction.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/privacy.smk"
include: "workflow/rules/export.smk"
include: "workflow/rules/summary.smk"


rule all:
    default_target: True
    input:
        final_outputs(),


onsuccess:
    # The run summary on the terminal: what changed a count or an agreement figure without
    # stopping the run (results/<study>/run_summary.md, also in the report).
    summary = f"results/{STUDY}/run_summary.md"
    if os.path.isfile(summary):
        with open(summary, encoding="utf-8") as fh:
            print(fh.read())
