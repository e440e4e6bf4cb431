"""Export the study as a REFI-QDA project (.qdpx) and codebook (.qdc) for QDA programs."""

from medvirk.io import read_csv
from medvirk.machine_coder import human_codings
from medvirk.refiqda import present_codings, write_qdc, write_qdpx
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "export_qdpx") as log:
    factors = read_csv(snakemake.input.factors)
    categories = read_csv(snakemake.input.categories)
    grid_path = snakemake.input.get("codings")
    # The coders as users; the machine coder (if it coded) is not one.
    grid = human_codings(read_csv(grid_path)) if grid_path else None
    codings = present_codings(grid)
    write_qdpx(
        snakemake.output.qdpx,
        read_csv(snakemake.input.examples),
        factors,
        categories,
        codings=codings,
        consensus=read_csv(snakemake.input.consensus),
    )
    write_qdc(snakemake.output.qdc, factors, categories)
    log.info("coders exported: %s, and the consensus", sorted(set(codings["coder"])))
    log.info("wrote %s and %s", snakemake.output.qdpx, snakemake.output.qdc)
