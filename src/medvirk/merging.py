"""Propose merges of similar factors and measure them against the human merge.

Method, in order:

1. Features: TF-IDF over content lemmas (see `medvirk.lemmatize`) and TF-IDF over
   character 3–5-grams within words (catches compounds: "brukerråd" ~ "brukerrådet"), each
   L2-normalised, weighted and stacked, then L2-normalised again. Cosine similarity is then
   a dot product of sparse rows. Or, with `backend` (see `medvirk.similarity`), any
   row-normalised vectors, e.g. sentence embeddings; the functions below take either.
2. Proposals: agglomerative clustering, cosine distance, average linkage, cut at a distance
   threshold. Up to `exact_limit` phrases the full pairwise distance matrix is used (exact,
   scikit-learn). Above it the matrix would not fit (50,000 phrases: 2.5e9 cells), so each
   phrase's k nearest neighbours are found by an exact sparse search a block of rows at a
   time (`knn_distance_graph`), and average linkage runs on that sparse graph with a heap
   (`sparse_average_linkage`; pairs outside the graph count as distance 1): memory grows
   with n × k, not n².
3. Suggestions: for each phrase, the nearest codebook factors by cosine similarity (a
   phrases × factors matrix; the codebook is small).
4. Evaluation against the curated merge map: adjusted Rand index, adjusted mutual
   information, homogeneity, completeness, number of groups, misplaced factors, and a sweep
   of all of these over the distance threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    completeness_score,
    homogeneity_score,
)
from sklearn.preprocessing import normalize

from medvirk.lemmatize import lemmatize_texts

DEFAULT_THRESHOLD = 0.8
DEFAULT_LEMMA_WEIGHT = 0.5
EXACT_LIMIT = 5000


def _identity(tokens):
    return tokens


def featurize(
    texts: Sequence[str],
    lemmas: Sequence[Sequence[str]] | None = None,
    *,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
) -> sp.csr_matrix:
    """Sparse, row-normalised feature matrix (n_texts × n_features) for `texts`.

    `lemmas` are the content lemmas of each text (computed if not given). `lemma_weight`
    in [0, 1] is the share of the lemma block; the rest goes to character n-grams.
    """
    if not 0.0 <= lemma_weight <= 1.0:
        raise ValueError(f"lemma_weight must be between 0 and 1, got {lemma_weight}")
    texts = [str(t) for t in texts]
    if lemmas is None:
        lemmas = lemmatize_texts(texts)
    # A text with no content lemma keeps its lower-cased words so it is not an empty row.
    lemma_docs = [list(ls) or t.lower().split() for ls, t in zip(lemmas, texts, strict=True)]
    word = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform(lemma_docs)
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), lowercase=True, sublinear_tf=True
    ).fit_transform(" ".join(ls) + " " + t for ls, t in zip(lemma_docs, texts, strict=True))
    stacked = sp.hstack(
        [np.sqrt(lemma_weight) * normalize(word), np.sqrt(1 - lemma_weight) * normalize(char)]
    ).tocsr()
    return normalize(stacked)


def _backend(backend, lemma_weight: float = DEFAULT_LEMMA_WEIGHT):
    """`backend`, or the TF-IDF backend with `lemma_weight` when none is given."""
    if backend is not None:
        return backend
    from medvirk.similarity import TfidfBackend

    return TfidfBackend(lemma_weight)


def cosine_similarity_sparse(a: sp.spmatrix, b: sp.spmatrix) -> sp.csr_matrix:
    """Cosine similarity of the rows of two row-normalised sparse matrices (sparse result)."""
    return (a @ b.T).tocsr()


def cluster(
    features: sp.spmatrix,
    distance_threshold: float = DEFAULT_THRESHOLD,
    *,
    exact_limit: int = EXACT_LIMIT,
    n_neighbors: int = 30,
) -> np.ndarray:
    """Group labels (0..k-1, numbered by first appearance) from average-linkage clustering.

    Up to `exact_limit` rows: scikit-learn on the full cosine distance matrix. Above it:
    `sparse_average_linkage` on each row's `n_neighbors` nearest neighbours.
    """
    n = features.shape[0]
    if n == 0:
        return np.array([], dtype=int)
    if n == 1:
        return np.array([0])
    if n > exact_limit:
        return sparse_average_linkage(knn_distance_graph(features, n_neighbors), distance_threshold)
    sim = (features @ features.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=distance_threshold,
    )
    return renumber(model.fit_predict(dist))


def knn_distance_graph(
    features: sp.spmatrix, n_neighbors: int = 30, *, max_cells: int = 10_000_000
) -> sp.csr_matrix:
    """Sparse n × n matrix of cosine distances from each row to its nearest neighbours.

    Exact brute-force search on row-normalised sparse rows, a block of rows at a time, so
    at most `max_cells` similarities are held at once and no n × n matrix is ever built.
    The result is symmetric; zero distances are stored as 1e-12 so duplicates keep their
    edge.
    """
    features = sp.csr_matrix(features)
    n = features.shape[0]
    k = min(n_neighbors, n - 1)
    block = max(1, max_cells // max(n, 1))
    rows, cols, dists = [], [], []
    transposed = features.T.tocsc()
    for start in range(0, n, block):
        stop = min(n, start + block)
        sim = (features[start:stop] @ transposed).toarray()
        sim[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not its own neighbour
        idx = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        rows.append(np.repeat(np.arange(start, stop), k))
        cols.append(idx.ravel())
        dists.append(1.0 - np.take_along_axis(sim, idx, axis=1).ravel())
    d = np.clip(np.concatenate(dists), 1e-12, 1.0)
    g = sp.csr_matrix((d, (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    return g.maximum(g.T).tocsr()


def sparse_average_linkage(graph: sp.spmatrix, distance_threshold: float) -> np.ndarray:
    """Average-linkage clustering cut at `distance_threshold`, from a sparse distance graph.

    Pairs without an edge count as distance 1, the largest cosine distance between
    non-negative TF-IDF vectors, so a cluster pair never looks closer than it is; with
    every pair in the graph this is exact average linkage.
    Merges are taken cheapest first from a heap; cluster neighbourhoods are merged
    smaller-into-larger, so time grows about as edges × log(edges).
    """
    import heapq

    graph = sp.coo_matrix(graph)
    n = graph.shape[0]
    size = [1] * n
    # For each live cluster: neighbour -> [sum of known distances, number of known pairs].
    links: list[dict[int, list[float]] | None] = [{} for _ in range(n)]
    for i, j, d in zip(graph.row.tolist(), graph.col.tolist(), graph.data.tolist(), strict=True):
        if i < j:
            links[i][j] = [d, 1]
            links[j][i] = [d, 1]

    def linkage(a: int, b: int, total: float, count: float) -> float:
        pairs = size[a] * size[b]
        return (total + (pairs - count)) / pairs

    heap = [
        (linkage(i, j, t, c), i, j)
        for i in range(n)
        for j, (t, c) in links[i].items()
        if i < j and linkage(i, j, t, c) <= distance_threshold
    ]
    heapq.heapify(heap)
    parent = list(range(n))
    while heap:
        dist_ab, a, b = heapq.heappop(heap)
        if links[a] is None or links[b] is None or b not in links[a]:
            continue
        t, c = links[a][b]
        if abs(linkage(a, b, t, c) - dist_ab) > 1e-12:
            continue  # stale entry
        if len(links[a]) < len(links[b]):
            a, b = b, a
        # merge b into a
        del links[a][b]
        del links[b][a]
        for k, (tk, ck) in links[b].items():
            links[k].pop(b)
            entry = links[a].setdefault(k, [0.0, 0])
            entry[0] += tk
            entry[1] += ck
            links[k][a] = entry
        links[b] = None
        parent[b] = a
        size[a] += size[b]
        for k, (tk, ck) in links[a].items():
            d = linkage(a, k, tk, ck)
            if d <= distance_threshold:
                heapq.heappush(heap, (d, min(a, k), max(a, k)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return renumber([root(i) for i in range(n)])


def renumber(labels: Sequence[int]) -> np.ndarray:
    """Relabel groups 0, 1, 2... in order of first appearance (stable across runs)."""
    mapping: dict = {}
    return np.array([mapping.setdefault(lab, len(mapping)) for lab in labels], dtype=int)


def propose_groups(
    items: pd.DataFrame,
    distance_threshold: float = DEFAULT_THRESHOLD,
    *,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
    features: sp.spmatrix | None = None,
    id_column: str = "raw_factor_id",
    text_column: str = "text",
    backend=None,
) -> pd.DataFrame:
    """One row per item with its proposed group and the group's representative label.

    Columns: group_id (G001...), `id_column`, `text_column`, group_size, representative
    (the member text closest to the group centroid), similarity_to_centroid. Pass
    `features` (from `featurize` or `backend.vectors`) to skip recomputing them, e.g. in a
    threshold sweep; `backend` (`medvirk.similarity`) makes them (default: TF-IDF).
    """
    texts = items[text_column].astype(str).tolist()
    if features is None:
        features = _backend(backend, lemma_weight).vectors(texts)
    labels = cluster(features, distance_threshold)
    out = pd.DataFrame({id_column: items[id_column].to_numpy(), text_column: texts})
    out["group"] = labels
    sims = np.zeros(len(texts))
    reps: dict[int, str] = {}
    for group, idx in out.groupby("group").indices.items():
        centroid = normalize(sp.csr_matrix(features[idx].mean(axis=0)))
        s = (features[idx] @ centroid.T).toarray().ravel()
        sims[idx] = s
        reps[group] = texts[idx[int(np.argmax(s))]]
    out["similarity_to_centroid"] = sims.round(4)
    out["representative"] = out["group"].map(reps)
    out["group_size"] = out.groupby("group")[id_column].transform("size")
    width = max(3, len(str(len(reps))))
    out["group_id"] = ["G" + str(g + 1).zfill(width) for g in out["group"]]
    cols = ["group_id", id_column, text_column, "group_size", "representative"]
    out = out[cols + ["similarity_to_centroid"]].sort_values(["group_id", id_column])
    return out.reset_index(drop=True)


def suggest_codebook_factors(
    phrases: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    top_k: int = 3,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
    id_column: str = "raw_factor_id",
    text_column: str = "text",
    codebook_text_column: str = "codebook_text",
    backend=None,
) -> pd.DataFrame:
    """The `top_k` nearest codebook factors for each phrase, with cosine similarity.

    `codebook` has factor_id, label_nb and `codebook_text_column` (the text that stands
    for the factor, e.g. its label plus the raw texts merged into it) or `exemplars` (those
    texts as a list, see `codebook_texts`). `backend` (`medvirk.similarity`, default TF-IDF)
    scores each phrase against each factor: TF-IDF fits codebook and phrases together and
    compares with the joined text; embeddings take the nearest exemplar. Only an n_phrases
    × n_factors matrix is built. Long format: one row per phrase × rank; ties go to the
    factor listed first.
    """
    cols = [id_column, text_column, "rank", "factor_id", "label_nb", "similarity"]
    if phrases.empty or codebook.empty:
        return pd.DataFrame(columns=cols)
    if "exemplars" in codebook.columns:
        exemplars = [list(e) for e in codebook["exemplars"]]
    else:
        exemplars = [[t] for t in codebook[codebook_text_column].astype(str)]
    ph_texts = phrases[text_column].astype(str).tolist()
    sim = _backend(backend, lemma_weight).factor_similarity(ph_texts, exemplars)
    k = min(top_k, len(exemplars))
    idx = np.argsort(-sim, axis=1, kind="stable")[:, :k]
    rows = pd.DataFrame(
        {
            id_column: np.repeat(phrases[id_column].to_numpy(), k),
            text_column: np.repeat(ph_texts, k),
            "rank": np.tile(np.arange(1, k + 1), len(ph_texts)),
            "factor_id": codebook["factor_id"].to_numpy()[idx.ravel()],
            "label_nb": codebook["label_nb"].to_numpy()[idx.ravel()],
            "similarity": np.take_along_axis(sim, idx, axis=1).ravel().round(4),
        }
    )
    return rows[cols]


SUGGESTION_COLUMNS = [
    "source",
    "raw_factor_id",
    "example_id",
    "coder",
    "text",
    "n_coders",
    "n_examples",
    "rank",
    "factor_id",
    "label_nb",
    "similarity",
]
SOURCE_RAW = "raw_factor"
SOURCE_CODER = "coder_sheet"


def same_factor_key(texts: Sequence[str]) -> list[str]:
    """A key per text under which near-identical wordings count as the same factor: the
    distinct content lemmas in sorted order ("Felles mål" ~ "felles målene"), or the
    lower-cased words when a text has no content lemma."""
    texts = [str(t) for t in texts]
    return [
        " ".join(sorted(set(ls))) or " ".join(t.lower().split())
        for ls, t in zip(lemmatize_texts(texts), texts, strict=True)
    ]


def suggestion_table(
    unmapped: pd.DataFrame,
    codebook: pd.DataFrame,
    free_text: pd.DataFrame | None = None,
    *,
    top_k: int = 3,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
    backend=None,
) -> pd.DataFrame:
    """Nearest codebook factors for raw factors the merge map leaves unmapped and for the
    free-text factors coders wrote in their sheets, one row per phrase × rank.

    `unmapped` has raw_factor_id, text (and example_id if known); `free_text` has
    example_id, coder, text (see `medvirk.codings.free_text_factors`). `source` says where a
    phrase came from (`raw_factor` or `coder_sheet`). For coders' factors, `n_coders` and
    `n_examples` count the coders and examples that named the same factor (same content
    lemmas, see `same_factor_key`), so a factor several coders found independently stands
    out. E-mail addresses and phone numbers in free text are replaced by placeholders.
    The two sources are searched separately, so the raw factors' suggestions do not depend
    on what coders wrote. Sorted by source, raw factor, example, coder, text and rank.
    """
    from medvirk.privacy import scrub_text

    parts = []
    if not unmapped.empty:
        raw = suggest_codebook_factors(
            unmapped, codebook, top_k=top_k, lemma_weight=lemma_weight, backend=backend
        ).drop(columns="text")
        examples = unmapped.get("example_id", pd.Series("", index=unmapped.index))
        phrases = unmapped.assign(example_id=examples.fillna(""))[
            ["raw_factor_id", "example_id", "text"]
        ]
        parts.append(phrases.merge(raw, on="raw_factor_id").assign(source=SOURCE_RAW))
    if free_text is not None and not free_text.empty:
        phrases = free_text[["example_id", "coder", "text"]].astype(str)
        phrases = phrases.assign(text=phrases["text"].map(scrub_text)).drop_duplicates()
        phrases = phrases.reset_index(drop=True).assign(phrase_id=lambda d: d.index)
        key = pd.Series(same_factor_key(phrases["text"].tolist()), index=phrases.index)
        phrases["n_coders"] = phrases.groupby(key)["coder"].transform("nunique")
        phrases["n_examples"] = phrases.groupby(key)["example_id"].transform("nunique")
        near = suggest_codebook_factors(
            phrases,
            codebook,
            top_k=top_k,
            lemma_weight=lemma_weight,
            id_column="phrase_id",
            backend=backend,
        ).drop(columns="text")
        parts.append(phrases.merge(near, on="phrase_id").assign(source=SOURCE_CODER))
    if not parts:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS)
    out = pd.concat(parts, ignore_index=True).reindex(columns=SUGGESTION_COLUMNS)
    for col in ("raw_factor_id", "example_id", "coder"):
        out[col] = out[col].map(lambda v: "" if pd.isna(v) else str(v))
    out[["n_coders", "n_examples"]] = out[["n_coders", "n_examples"]].astype("Int64")
    out = out.sort_values(["source", "raw_factor_id", "example_id", "coder", "text", "rank"])
    return out.reset_index(drop=True)


def codebook_texts(factors: pd.DataFrame, assignments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Codebook factors with the text that stands for each: label plus merged raw texts
    (`codebook_text`), and the same texts as a list (`exemplars`: the label, then each raw
    text the merge map puts under the factor, in the merge map's order)."""
    out = factors[["factor_id", "label_nb"]].copy()
    merged: dict = {}
    if assignments is not None and not assignments.empty:
        merged = _mapped(assignments).groupby("factor_id")["text"].agg(lambda s: list(map(str, s)))
    out["exemplars"] = [
        [str(label), *merged.get(f, [])]
        for f, label in zip(out["factor_id"], out["label_nb"], strict=True)
    ]
    out["codebook_text"] = [" ".join(e).strip() for e in out["exemplars"]]
    return out[["factor_id", "label_nb", "codebook_text", "exemplars"]]


def unmapped_raw_factors(assignments: pd.DataFrame | None) -> pd.DataFrame:
    """Raw factors the merge map puts under no factor; none when the study has no raw factors."""
    if assignments is None:
        return pd.DataFrame(columns=["raw_factor_id", "example_id", "text"])
    return assignments[assignments["factor_id"] == ""]


def _mapped(human: pd.DataFrame) -> pd.DataFrame:
    """Rows the human merge assigned to a factor (factor_id neither missing nor empty)."""
    keep = human["factor_id"].notna() & (human["factor_id"].astype(str).str.strip() != "")
    return human[keep]


def suggestion_accuracy(
    human: pd.DataFrame, factors: pd.DataFrame, *, backend=None
) -> dict[str, float]:
    """Share of mapped raw factors whose human factor is the nearest (top 1) or among the
    three nearest (top 3) codebook labels. Only the labels stand for the codebook here, so
    no raw text is compared with itself."""
    mapped = _mapped(human)
    if mapped.empty:
        return {"suggestion_top1_accuracy": float("nan"), "suggestion_top3_accuracy": float("nan")}
    sug = suggest_codebook_factors(mapped, codebook_texts(factors), top_k=3, backend=backend)
    truth = mapped.set_index("raw_factor_id")["factor_id"]
    hit = sug["factor_id"].to_numpy() == sug["raw_factor_id"].map(truth).to_numpy()
    sug = sug.assign(hit=hit)
    top1 = sug[sug["rank"] == 1]["hit"].mean()
    top3 = sug.groupby("raw_factor_id")["hit"].any().mean()
    return {"suggestion_top1_accuracy": float(top1), "suggestion_top3_accuracy": float(top3)}


def grouping_scores(human: Sequence, proposed: Sequence) -> dict[str, float]:
    """ARI, AMI, homogeneity and completeness of `proposed` against `human` groups."""
    return {
        "adjusted_rand_index": float(adjusted_rand_score(human, proposed)),
        "adjusted_mutual_information": float(adjusted_mutual_info_score(human, proposed)),
        "homogeneity": float(homogeneity_score(human, proposed)),
        "completeness": float(completeness_score(human, proposed)),
        "n_groups_proposed": float(len(set(proposed))),
        "n_groups_human": float(len(set(human))),
    }


def misplaced_factors(
    proposed: pd.DataFrame, human: pd.DataFrame, *, id_column: str = "raw_factor_id"
) -> pd.DataFrame:
    """Items whose human factor differs from the majority human factor of their group.

    `proposed` has group_id and `id_column`; `human` has `id_column`, text and factor_id.
    Ties for the majority go to the smallest factor_id, so the table is reproducible.
    """
    merged = proposed[["group_id", id_column]].merge(
        human[[id_column, "text", "factor_id"]], on=id_column, how="inner"
    )
    majority = (
        merged.groupby(["group_id", "factor_id"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["group_id", "n", "factor_id"], ascending=[True, False, True])
        .drop_duplicates("group_id")
        .set_index("group_id")["factor_id"]
    )
    merged["group_majority_factor_id"] = merged["group_id"].map(majority)
    wrong = merged[merged["factor_id"] != merged["group_majority_factor_id"]]
    return wrong.rename(columns={"factor_id": "human_factor_id"}).sort_values(id_column)[
        [id_column, "text", "human_factor_id", "group_id", "group_majority_factor_id"]
    ]


def evaluate(
    proposed: pd.DataFrame,
    human: pd.DataFrame,
    *,
    distance_threshold: float | None = None,
    factors: pd.DataFrame | None = None,
    id_column: str = "raw_factor_id",
) -> pd.DataFrame:
    """Evaluation table (metric, value) of a proposal against the human merge.

    Only items the human merge mapped to a factor are compared. With `factors` (the
    codebook), the top-1/top-3 accuracy of codebook suggestions is added.
    """
    mapped = _mapped(human)
    both = mapped[[id_column, "factor_id"]].merge(
        proposed[[id_column, "group_id"]], on=id_column, how="inner"
    )
    scores = grouping_scores(both["factor_id"].tolist(), both["group_id"].tolist())
    scores["n_factors_evaluated"] = float(len(both))
    scores["n_misplaced"] = float(len(misplaced_factors(proposed, mapped, id_column=id_column)))
    if factors is not None:
        scores.update(suggestion_accuracy(human, factors))
    if distance_threshold is not None:
        scores["distance_threshold"] = float(distance_threshold)
    return pd.DataFrame({"metric": list(scores), "value": [round(v, 4) for v in scores.values()]})


def threshold_sweep(
    items: pd.DataFrame,
    human: pd.DataFrame,
    thresholds: Sequence[float],
    *,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
    id_column: str = "raw_factor_id",
    backend=None,
) -> pd.DataFrame:
    """One row per threshold with every evaluation metric as a column."""
    features = _backend(backend, lemma_weight).vectors(items["text"].astype(str).tolist())
    rows = []
    for t in thresholds:
        proposed = propose_groups(items, t, features=features, id_column=id_column)
        ev = evaluate(proposed, human, id_column=id_column).set_index("metric")["value"]
        rows.append({"distance_threshold": round(float(t), 4), **ev.to_dict()})
    return pd.DataFrame(rows)


def choose_threshold(sweep: pd.DataFrame, n_groups_target: float | None = None) -> float:
    """The threshold with the highest ARI; ties go to the number of groups nearest the
    human count (or `n_groups_target`), then to the smaller threshold."""
    target = n_groups_target if n_groups_target is not None else sweep["n_groups_human"].iloc[0]
    ranked = sweep.assign(
        _gap=(sweep["n_groups_proposed"] - target).abs(),
    ).sort_values(
        ["adjusted_rand_index", "_gap", "distance_threshold"], ascending=[False, True, True]
    )
    return float(ranked["distance_threshold"].iloc[0])


def sweep_figure(sweep: pd.DataFrame, configured: float, title: str):
    """ARI and AMI against the distance threshold, the configured threshold marked, and the
    number of proposed groups against the human count on a second axis. Labels are Bokmål
    with English after a slash, as in the other figures (`medvirk.figures`)."""
    import matplotlib.pyplot as plt

    from medvirk.figures import STYLE

    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8.5, 5.0))
        t = sweep["distance_threshold"]
        ax.plot(
            t,
            sweep["adjusted_rand_index"],
            "o-",
            color="black",
            label="Justert Rand-indeks / adjusted Rand index (ARI)",
        )
        ax.plot(
            t,
            sweep["adjusted_mutual_information"],
            "s--",
            color="0.45",
            label="Justert gjensidig informasjon / adjusted mutual information (AMI)",
        )
        ax.axvline(
            configured,
            color="0.2",
            linestyle=":",
            lw=1.5,
            label=f"Valgt terskel / configured threshold ({configured:g})",
        )
        ax.set_xlabel(
            "Avstandsterskel (cosinusavstand, 0–1) / distance threshold (cosine distance, 0–1)"
        )
        ax.set_ylabel(
            "Samsvar med manuell sammenslåing (1 = lik) /\n"
            "agreement with the manual merge (1 = identical)"
        )
        ax.set_title(title, loc="left")
        ax.set_ylim(min(0.0, float(sweep["adjusted_rand_index"].min())), 1.0)
        ax.grid(True, color="0.9")
        ax2 = ax.twinx()
        ax2.spines["right"].set_visible(True)
        ax2.plot(
            t,
            sweep["n_groups_proposed"],
            "^-",
            color="0.6",
            lw=1,
            label="Antall foreslåtte grupper / number of proposed groups",
        )
        human = sweep["n_groups_human"].iloc[0]
        ax2.axhline(
            human,
            color="0.6",
            lw=0.8,
            linestyle="-.",
            label=f"Manuelle grupper / groups in the manual merge ({human:g})",
        )
        ax2.set_ylabel("Antall grupper / number of groups")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax2.legend(h1 + h2, l1 + l2, loc="center left", fontsize=7, framealpha=0.95)
    return fig


# Bokmål / English names of the evaluation metrics, for the LaTeX table.
METRIC_LABELS = {
    "adjusted_rand_index": "Justert Rand-indeks / adjusted Rand index (ARI)",
    "adjusted_rand_index_sd": "ARI, standardavvik mellom halvdelene / ARI, SD over the halves",
    "adjusted_mutual_information": "Justert gjensidig informasjon / adjusted mutual information (AMI)",
    "homogeneity": "Homogenitet / homogeneity",
    "completeness": "Fullstendighet / completeness",
    "n_groups_proposed": "Foreslåtte grupper / proposed groups",
    "n_groups_human": "Lesernes grupper / the readers' groups",
    "n_factors_evaluated": "Råfaktorer vurdert / raw factors evaluated",
    "n_heldout_halves": "Halvdeler holdt utenfor / held-out halves",
    "n_misplaced": "Feilplasserte råfaktorer / misplaced raw factors",
    "suggestion_top1_accuracy": "Nærmeste kodebokfaktor riktig, topp 1 / nearest codebook factor right, top 1",
    "suggestion_top3_accuracy": "Riktig blant de tre nærmeste / right among the three nearest, top 3",
    "distance_threshold": "Avstandsterskel / distance threshold",
}
# How each row of evaluation.csv was measured (column `evaluation`), Bokmål / English.
EVALUATION_LABELS = {
    "cross_validated": "kryssvalidert / cross-validated",
    "labels_only": "bare etiketter / labels only",
    "in_sample_configured": "valgt terskel, samme data / configured, in-sample",
}
BACKEND_LABELS = {"tfidf": "TF-IDF", "embedding": "Setningsvektorer / embeddings"}


def _digits(metric: str, value) -> int:
    """Decimals for a LaTeX cell: a count that is a whole number as an integer, else 2."""
    number = pd.to_numeric(value, errors="coerce")
    whole = not pd.isna(number) and float(number).is_integer()
    return 0 if metric.startswith("n_") and whole else 2


def evaluation_latex(evaluation: pd.DataFrame, study: str, used: str = "tfidf") -> str:
    """The merge evaluation (metric, evaluation, one column per backend) as a LaTeX table;
    counts as integers, a backend that could not run as ---."""
    from medvirk.tables import latex_escape, latex_number, latex_table

    backends = [c for c in evaluation.columns if c in BACKEND_LABELS]
    blocks = []
    for how, part in evaluation.groupby("evaluation", sort=False):
        rows = [
            [latex_escape(METRIC_LABELS.get(metric, metric))]
            + [latex_number(row[b], _digits(metric, row[b])) for b in backends]
            for metric, (_, row) in zip(part["metric"], part.iterrows(), strict=True)
        ]
        blocks.append((latex_escape(EVALUATION_LABELS.get(how, how)), rows))
    return latex_table(
        [r"Mål / \textit{metric}"] + [latex_escape(BACKEND_LABELS[b]) for b in backends],
        blocks,
        align=[r"p{0.55\linewidth}"] + ["r"] * len(backends),
        caption=(
            "Foreslått sammenslåing mot lesernes",
            f"proposed merge against the readers' merge ({study})",
        ),
        label=f"tab:{study}-merge-evaluation",
        note=(
            "Kryssvalidert: terskelen velges på en tilfeldig halvdel av råfaktorene og måles på "
            "den andre / cross-validated: the threshold is chosen on a random half of the raw "
            "factors and scored on the other. ARI og AMI / ARI and AMI: 1 = identisk / "
            f"identical, 0 = tilfeldig / chance. Forslagene bruker / the proposals use: {used}."
        ),
    )
