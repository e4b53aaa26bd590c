"""Probabilistic linking of suppliers to register bodies: the one home of splink.

Written against splink's backend-neutral API: the same model runs on DuckDB (one machine) or
Spark (``backend="spark"``, a cluster). Both tables arrive as tables in the backend with the
columns ``prepare`` builds: a cleaned name, its first and last words, the postcode and its
district, and the town.
"""

from typing import Any

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

# Blocking: pairs are compared only when they share a cleaned name, or the first word of the
# name together with the postcode district, or the first and last words of the name. Never a
# postcode alone: formation agents register thousands of companies at one address.
BLOCKING_RULES: list[Any] = [
    block_on("name_clean"),
    block_on("first_word", "postcode_district"),
    block_on("first_word", "last_word"),
]
COMPARISONS: list[Any] = [
    cl.JaroWinklerAtThresholds("name_clean", [0.97, 0.92, 0.85]),
    cl.PostcodeComparison("postcode"),
    cl.ExactMatch("town"),
]
FIELDS = {"name_clean": "Name", "postcode": "Postcode", "town": "Town"}
# EM on a few hundred suppliers learns that true matches "never" disagree on a field, which
# would make one moved office outweigh an identical name. No level's m-probability goes below
# this floor: a disagreement counts against a pair, never infinitely.
M_FLOOR = 0.01
EM_PAIRS = 5e6
# Pairs kept for each supplier (best first): enough to decide and to show reviewers, after
# candidates dissolved before the supplier's first notice are dropped.
KEPT = 10
PROBE_RECORDS = 200_000


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        comparisons=COMPARISONS,
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        # Of all supplier-body pairs, a true one is about one in the number of bodies.
        probability_two_random_records_match=1e-4,
    )


def floored(model: dict[str, Any]) -> dict[str, Any]:
    """The trained model with every m-probability at least M_FLOOR, renormalised."""
    for comparison in model["comparisons"]:
        levels = [
            level
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level") and level.get("m_probability") is not None
        ]
        for level in levels:
            level["m_probability"] = max(level["m_probability"], M_FLOOR)
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total
    return model


BACKENDS = ("duckdb", "spark")


def spark_session(master: str, checkpoints: str) -> Any:
    """A Spark session with splink's similarity functions (Jaro-Winkler and the rest) on its
    classpath: ``local[*]`` on one machine, or a cluster's master URL. splink breaks long
    lineages with checkpoints, written under ``checkpoints`` (on a cluster, a shared path)."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master(master)
        .appName("mutualwatch link-suppliers")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(checkpoints)
    return session


def database_api(backend: str, connection: Any) -> Any:
    if backend == "duckdb":
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=connection)
    raise ValueError(f"unknown backend {backend!r}: {' or '.join(BACKENDS)}")


def spark_tables(session: Any, suppliers: str, bodies: str) -> tuple[Any, Any]:
    """The two Parquet files as Spark data frames."""
    return session.read.parquet(suppliers), session.read.parquet(bodies)


def predict(
    backend: str, connection: Any, suppliers: Any, bodies: Any, threshold: float
) -> list[dict[str, Any]]:
    """Scored pairs above ``threshold`` or with identical names: unique ids, probability and
    each field's match weight (log2 of its Bayes factor: splink's waterfall, a bar a field).

    On DuckDB, ``suppliers`` and ``bodies`` name tables in ``connection``; on Spark,
    ``connection`` is the session and they are Parquet files."""
    api = database_api(backend, connection)
    if backend == "spark":
        suppliers, bodies = spark_tables(connection, suppliers, bodies)
    left = api.register(suppliers, dataset_display_name="suppliers")
    right = api.register(bodies, dataset_display_name="bodies")
    linker = Linker([left, right], settings(), log_level="WARNING")
    training = linker.training
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1, min_count_per_level=None)
    # Each EM session fixes what its blocking rule makes uninformative: blocked on the name,
    # the postcode and town are learnt; blocked on the postcode district, the name is. On a
    # national register the district gives billions of pairs: EM trains on a sample of at
    # most EM_PAIRS, its size estimated from a probe of about PROBE_RECORDS records a side.
    counts = [
        linker.misc.query_sql(f"SELECT count(*) AS n FROM {table.physical_name}")
        for table in (left, right)
    ]
    records = sum(count.as_record_list()[0]["n"] for count in counts)
    probe = min(1.0, PROBE_RECORDS / max(records, 1))
    for rule in (block_on("name_clean"), block_on("postcode_district")):
        training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=EM_PAIRS, record_sample_proportion=probe
        )
    model = floored(linker.misc.save_model_to_json())
    linker = Linker([left, right], model, log_level="WARNING")
    table = linker.inference.predict()
    # Backend-neutral SQL: for each supplier, its KEPT best pairs above the threshold, and every
    # pair with identical names; only the columns the decisions and the review page need.
    weight_columns = ", ".join(f"mw_{column}" for column in FIELDS)
    supplier = "CASE WHEN source_dataset_l = 'suppliers' THEN unique_id_l ELSE unique_id_r END"
    rows = linker.misc.query_sql(
        f"""
        SELECT supplier, body, match_probability, match_weight, {weight_columns} FROM (
            SELECT {supplier} AS supplier,
                   CASE WHEN source_dataset_l = 'suppliers' THEN unique_id_r
                        ELSE unique_id_l END AS body,
                   match_probability, match_weight, {weight_columns},
                   name_clean_l = name_clean_r AS same_name,
                   row_number() OVER (
                       PARTITION BY {supplier} ORDER BY match_probability DESC
                   ) AS place
            FROM {table.physical_name}
        ) ranked
        WHERE (place <= {KEPT} AND match_probability >= {float(threshold)}) OR same_name
        """
    ).as_record_list()
    pairs = []
    for row in rows:
        weights = {
            label: round(float(row[f"mw_{column}"]), 2)
            for column, label in FIELDS.items()
            if row.get(f"mw_{column}") is not None
        }
        pairs.append(
            {
                "supplier": row["supplier"],
                "body": row["body"],
                "probability": float(row["match_probability"]),
                "weight": float(row["match_weight"]),
                "weights": weights,
            }
        )
    return pairs
