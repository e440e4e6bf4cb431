"""Read and check the coders' workbooks / CSV files (rule read_codings)."""

from pathlib import Path

from medvirk.codings import find_coding_files, read_codings
from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "read_codings") as log:
    folder = Path("data/raw") / snakemake.wildcards.study / "codings"
    files = find_coding_files(folder, snakemake.params.coders)
    grid, ladder = read_codings(
        files,
        read_csv(snakemake.input.examples)["example_id"].tolist(),
        read_csv(snakemake.input.factors)["factor_id"].tolist(),
    )
    grid["data_source"] = "coders"
    write_csv(grid, snakemake.output.codings)
    write_csv(ladder, snakemake.output.ladder)
    log.info("codings of %d coders read from %s", len(files), folder)
