"""`flask registry import FILE`: the state's school list from the command line."""

from pathlib import Path

import click
from flask.cli import AppGroup

from openparcours.registry import service
from openparcours.registry.importing import SchoolListRefused

registry_cli = AppGroup("registry", help="The state's school list (Schulgrunddaten NRW).")


@registry_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--district", help="Take only this district's rows (e.g. “Kreis Recklinghausen”).")
@click.option("--check", is_flag=True, help="Report what would change, save nothing.")
def import_command(path: Path, district: str | None, check: bool) -> None:
    """Import schuldaten.csv: creates and updates schools by their Schulnummer.

    Prints the counts and each row left out with its line; exits with 1 if the file as a whole
    is refused.
    """
    try:
        report = service.import_school_list(path.read_bytes(), district=district, check=check)
    except SchoolListRefused as error:
        for problems in error.errors.values():
            for problem in problems:
                click.echo(f"line {problem['line']}: {problem['message']}", err=True)
        click.echo(error.message, err=True)
        raise SystemExit(1) from error
    for problem in report.problems:
        click.echo(f"line {problem['line']}: {problem['message']}", err=True)
    click.echo(
        f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.other_districts} of other districts, {len(report.problems)} left out"
        + ("" if report.saved else " (checked, nothing saved)")
    )
