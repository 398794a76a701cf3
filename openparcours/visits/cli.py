import click
from flask.cli import AppGroup

from openparcours.visits import retention

retention_cli = AppGroup("retention", help="Delete visit data whose retention period is over.")


@retention_cli.command("run")
def run_command() -> None:
    """Delete teams, events and photos of visits past their retention period (for cron)."""
    click.echo(f"Deleted the data of {retention.run_retention()} visit(s).")
