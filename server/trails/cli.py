from pathlib import Path

import click
from flask.cli import AppGroup

from server.errors import ServiceError
from server.organisations.service import get_organisation_by_slug
from server.trails import format as trail_format
from server.trails.service import get_trail

trails_cli = AppGroup("trails", help="Import and export trails in the open trail format.")


@trails_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--org", "org_slug", required=True, help="Short name (slug) of the institution.")
@click.option("--title", help="Title for a plain GeoJSON file (default: the file name).")
def import_command(path: Path, org_slug: str, title: str | None) -> None:
    """Import a trail folder, a .zip of one, or a .geojson file as a new draft."""
    try:
        organisation = get_organisation_by_slug(org_slug)
        trail = trail_format.import_trail(trail_format.read_source(path), organisation, None, title)
    except ServiceError as error:
        for where, messages in (error.errors or {"$": [error.message]}).items():
            for message in messages:
                click.echo(f"{where}: {message}", err=True)
        raise SystemExit(1) from error
    click.echo(f"Imported trail {trail.id}: {trail.title} ({len(trail.stations)} stations)")


@trails_cli.command("export")
@click.argument("trail_id", type=int)
@click.argument("path", type=click.Path(path_type=Path))
def export_command(trail_id: int, path: Path) -> None:
    """Export a trail's draft to a folder, or to a .zip when PATH ends in .zip."""
    try:
        package = trail_format.export_trail(get_trail(trail_id))
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    if path.suffix.lower() == ".zip":
        path.write_bytes(trail_format.zip_bytes(package))
    else:
        trail_format.write_folder(package, path)
    click.echo(f"Exported trail {trail_id} to {path}")
