"""Write a fates run to a folder: what `mutualwatch analyse-fates --out DIR` produces.

DIR/fates.json            the whole analysis (curves, headline, Cox model)
DIR/headline.json         the headline figures alone
DIR/spells.csv            the spells behind every figure
DIR/charts/NAME.vl.json   each chart as a Vega-Lite specification
DIR/charts/NAME.svg       each chart as static SVG, for reports
"""

from pathlib import Path

import orjson

from mutualwatch.analysis import charts
from mutualwatch.analysis.services import FatesRun

JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def write_fates(run: FatesRun, out: Path) -> list[Path]:
    """Write every output of the run into ``out`` (created if need be); returns the paths."""
    chart_folder = out / "charts"
    chart_folder.mkdir(parents=True, exist_ok=True)
    written = []

    def write(path: Path, content: bytes) -> None:
        path.write_bytes(content)
        written.append(path)

    write(out / "fates.json", orjson.dumps(run.document, option=JSON_OPTIONS))
    headline = {
        "cut_off": run.document["cut_off"],
        "spells": run.document["spells"],
        "rules": run.document["rules"],
        "headline": run.document["headline"],
    }
    write(out / "headline.json", orjson.dumps(headline, option=JSON_OPTIONS))
    write(out / "spells.csv", run.spells_csv.encode())
    for name, spec in run.charts.items():
        write(chart_folder / f"{name}.vl.json", orjson.dumps(spec, option=JSON_OPTIONS))
        write(chart_folder / f"{name}.svg", charts.to_svg(spec).encode())
    return written
