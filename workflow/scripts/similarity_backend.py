"""Which similarity backend the run uses; a fallback from embeddings to TF-IDF is announced."""

from medvirk.notices import write_notices
from medvirk.runlog import logged
from medvirk.similarity import Resolved, backend_notices

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "similarity_backend") as log:
    resolved = Resolved(params.backend, params.note_nb, params.note_en)
    write_notices(backend_notices(resolved), snakemake.output.notices)
    log.info("similarity backend: %s", resolved.backend)
