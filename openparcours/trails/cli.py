"""`flask trails import|export`: the open trail format on the command line (trails/README.md)."""

from pathlib import Path

import click
from flask.cli import AppGroup

from openparcours.errors import ServiceError
from openparcours.organisations.service import get_organisation_by_slug
from openparcours.trails.format import exporting, importing, zips
from openparcours.trails.format.problems import ImportFailed
from openparcours.trails.service import get_trail

trails_cli = AppGroup("trails", help="Import and export trails in the open trail format.")


@trails_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--org", "org_slug", required=True, help="Short name (slug) of the institution.")
@click.option("--title", help="The trail's title (default: its own; a plain GeoJSON file's name).")
def import_command(path: Path, org_slug: str, title: str | None) -> None:
    """Import a trail folder, a .zip of one, or a .geojson file as a new draft.

    Prints the new trail's id; or every problem with its JSON path, and exits with 1.
    """
    try:
        organisation = get_organisation_by_slug(org_slug)
        trail = importing.import_trail(path, organisation, None, title)
    except ImportFailed as error:
        for where, problems in error.errors.items():
            for problem in problems:
                click.echo(f"{where}: {problem['message']}", err=True)
        click.echo(error.message, err=True)
        raise SystemExit(1) from error
    except ServiceError as error:
        click.echo(error.message, err=True)
        raise SystemExit(1) from error
    click.echo(trail.id)
    for warning in trail.import_warnings:
        click.echo(f"{warning['path']}: {warning['message']}", err=True)
    click.echo(f"Imported {trail.title!r} with {len(trail.stations)} stations.", err=True)


@trails_cli.command("export")
@click.argument("trail_id", type=int)
@click.argument("path", type=click.Path(path_type=Path))
def export_command(trail_id: int, path: Path) -> None:
    """Export a trail's draft to a folder, or to a zip when PATH ends in .zip."""
    try:
        geojson, files = exporting.export_trail(get_trail(trail_id))
        if path.suffix.lower() == ".zip":
            zips.write_zip(path, geojson, files)
        else:
            exporting.write_folder(path, geojson, files)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Exported trail {trail_id} to {path} ({len(files)} media files).", err=True)
