import click
from flask.cli import AppGroup

from openparcours.accounts import service
from openparcours.errors import ServiceError
from openparcours.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create a site admin (may do everything)."""
    try:
        user = service.create_user(email, display_name, password, is_site_admin=True)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Site admin {user.email} created.")
