"""``grassroots import areas FILE``: import area boundaries from GeoJSON or TopoJSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.places.boundaries import BoundaryError, ImportReport, Mapping, import_areas
from grassroots.places.models import AreaKind

HELP = "area boundaries from a GeoJSON or TopoJSON file (election districts, neighborhoods, ...)"
# Problems listed one by one; the rest are counted.
SHOWN_PROBLEMS = 50


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "file", help="A GeoJSON FeatureCollection or a TopoJSON Topology, in longitude/latitude."
    )
    parser.add_argument(
        "--kind",
        required=True,
        help="What kind of area the features are: " + ", ".join(AreaKind.values) + ", or another slug.",
    )
    parser.add_argument("--code-property", required=True, help="The property that holds each area's code.")
    parser.add_argument(
        "--name-property", default="", help="The property that holds each area's name (default: KIND CODE)."
    )
    parser.add_argument(
        "--parent", default="", metavar="CODE", help="The code (or KIND:CODE) of the area to put them under."
    )
    parser.add_argument(
        "--within",
        default="",
        metavar="KIND",
        help="Nest each area under the area of this kind that covers the largest part of it.",
    )
    parser.add_argument(
        "--object",
        default="",
        dest="object_name",
        metavar="NAME",
        help="The TopoJSON object to read, when it has several.",
    )


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"{path} is not a file.")
    mapping = Mapping(
        kind=options["kind"],
        code_property=options["code_property"],
        name_property=options["name_property"],
        parent=options["parent"],
        within=options["within"],
        object_name=options["object_name"],
    )
    try:
        report = import_areas(path, mapping)
    except BoundaryError as exc:
        raise CommandError(str(exc)) from exc
    for line in summary(report, path.name):
        command.stdout.write(line)
    if report.features and report.created + report.updated + report.unchanged == 0:
        raise CommandError("No area could be imported.")


def summary(report: ImportReport, file_name: str) -> list[str]:
    """What an import did, for people to read."""
    lines = [
        f"{file_name} ({report.source}): {report.features:,} features of kind {report.kind}.",
        f"{report.created:,} created, {report.updated:,} updated, {report.unchanged:,} unchanged, "
        f"{len(report.repairs):,} repaired, {len(report.errors):,} errors.",
    ]
    if report.nested:
        under = ", ".join(f"{kind.replace('_', ' ')} {n:,}" for kind, n in report.nested.most_common())
        lines.append(f"Nested under: {under}.")
    lines.append(
        f"Households placed by location: {report.households_moved:,} moved, "
        f"{report.buildings_moved:,} buildings moved."
    )
    for title, problems in (("Repairs", report.repairs), ("Errors", report.errors)):
        if problems:
            lines.append(f"{title}:")
            lines.extend(f"  {problem}" for problem in problems[:SHOWN_PROBLEMS])
            if len(problems) > SHOWN_PROBLEMS:
                lines.append(f"  ... and {len(problems) - SHOWN_PROBLEMS:,} more")
    return lines
