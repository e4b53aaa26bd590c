"""What the fates page prints of a stored analysis: its figures read off the curves, without
the statistics libraries (``fates`` computes; this only reads what it stored), so that the web
pages never import them.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mutualwatch.analysis import wording
from mutualwatch.analysis.spells import COMPETING_EXITS, EXIT_CODES, EXIT_LABELS
from mutualwatch.register.labels import legal_form_label, service_area_label

#: The competing exits as charts and tables name them, by the label the analysis stores and by
#: code: the analysis's groups are named here, once, for the charts and the tables alike.
FATE_NAMES = {EXIT_LABELS[exit_]: EXIT_LABELS[exit_].capitalize() for exit_ in COMPETING_EXITS}
FATE_NAMES_BY_CODE = {EXIT_CODES[e]: FATE_NAMES[EXIT_LABELS[e]] for e in COMPETING_EXITS}


def fate_name(label: str) -> str:
    return FATE_NAMES.get(label, label)


#: How each chart's groups are named, from the codes the analysis stores them by.
GROUP_NAMES: dict[str, Callable[[str], str]] = {
    "incidence-spin-outs": fate_name,
    "incidence-outsourcings": fate_name,
    "survival-by-legal-form": legal_form_label,
    "survival-by-service-area": service_area_label,
    "private-by-network": str,
}

#: Years at which the page's tables give each curve: the charts' text alternative.
TABLE_YEARS = (1.0, 2.0, 5.0, 10.0, 15.0, 20.0)


def curve_table(curve: Mapping[str, Any], group: str) -> list[dict[str, object]]:
    """A stored curve read at ``TABLE_YEARS``: the rows of the table under its chart."""
    rows: list[dict[str, object]] = []
    points = curve.get("points") or []
    if not points:
        return rows
    spells = curve.get("spells", 0)
    for years in TABLE_YEARS:
        if points[-1]["years"] < years:
            break
        current = points[0]
        for point in points:
            if point["years"] > years:
                break
            current = point
        followed = next((p["at_risk"] for p in points if p["years"] >= years), 0)
        rows.append(
            {
                "group": group,
                "years": years,
                "estimate": current["estimate"],
                "lower": current["lower"],
                "upper": current["upper"],
                "at_risk": followed,
                "spells": spells,
            }
        )
    return rows


def chart_tables(document: Mapping[str, Any]) -> dict[str, list[dict[str, object]]]:
    """For every chart, its figures as table rows (the chart's text alternative)."""
    survival, incidence = document["survival"], document["incidence"]

    def exits(curves: Mapping[str, Any]) -> list[dict[str, object]]:
        return [
            row
            for curve in curves.get("exits", {}).values()
            for row in curve_table(curve, fate_name(curve["label"]))
        ]

    def named(curve: Mapping[str, Any], chart: str) -> list[dict[str, object]]:
        return curve_table(curve, GROUP_NAMES[chart](curve["label"]))

    return {
        "incidence-spin-outs": exits(incidence["spin_outs"]),
        "incidence-outsourcings": exits(incidence["outsourcings"]),
        "survival-by-legal-form": [
            row for c in survival["by_legal_form"] for row in named(c, "survival-by-legal-form")
        ],
        "survival-by-service-area": [
            row for c in survival["by_service_area"] for row in named(c, "survival-by-service-area")
        ],
        "private-by-network": [
            row
            for g in incidence["by_network"]
            if not g.get("too_few")
            for row in curve_table(g["exits"]["private"], g["label"])
        ],
    }


def table_row_text(row: Mapping[str, Any]) -> dict[str, object]:
    """A table row as the page prints it, formatted once when the figures are cached rather
    than by the template on every view: a national page has hundreds of rows."""
    return {
        "group": row["group"],
        "years": f"{row['years']:.0f}",
        "estimate": f"{row['estimate']:.3f}",
        "interval": f"{row['lower']:.3f} to {row['upper']:.3f}",
        "at_risk": row["at_risk"],
    }


def page_figures(document: Mapping[str, Any], chart_names: Iterable[str]) -> dict[str, Any]:
    """What the fates page prints of an analysis: every figure but the curves' points, which
    the charts (fetched apart) and the whole analysis's JSON download carry."""
    drawn = set(chart_names)
    survival = document["survival"]

    def too_few(curves: Iterable[Mapping[str, Any]], chart: str) -> list[dict[str, Any]]:
        name = GROUP_NAMES[chart]
        return [
            {"label": name(c["label"]), "spells": c["spells"]} for c in curves if c.get("too_few")
        ]

    return {
        "spells": document["spells"],
        "rules": document["rules"],
        "headline": document["headline"],
        "cox": document["cox"],
        "charts": sorted(drawn),
        "tables": {
            name: [table_row_text(row) for row in rows]
            for name, rows in chart_tables(document).items()
            if name in drawn
        },
        "too_few_forms": too_few(survival["by_legal_form"], "survival-by-legal-form"),
        "too_few_areas": too_few(survival["by_service_area"], "survival-by-service-area"),
        "summary": wording.national_sentences(document),
    }
