"""`flask media migrate --to s3://bucket/prefix`: the media files into another storage."""

import click
from flask.cli import AppGroup

from openparcours.media.service import storage
from openparcours.media.storage import Transfer, copy_all, storage_at

media_cli = AppGroup("media", help="The media files' storage.")


def report(transfer: Transfer) -> None:
    """Say what was copied; fail, naming them, if some files were damaged."""
    click.echo(f"Media files: {transfer}")
    if transfer.damaged:
        raise click.ClickException(
            "Damaged, not copied (their bytes no longer match their name): "
            + ", ".join(transfer.damaged)
        )


@media_cli.command("migrate")
@click.option("--to", "target", required=True, help="s3://bucket/prefix or a folder")
def migrate_command(target: str) -> None:
    """Copy every media file of this installation to TARGET and check each copy's SHA-256.
    Safe to run again (while the app runs, too): it copies only what is missing or damaged.
    Then set MEDIA_URL to TARGET and restart the app."""
    try:
        destination = storage_at(target)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--to") from error
    report(copy_all(storage(), destination))
