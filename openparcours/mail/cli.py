import click
from flask.cli import AppGroup

from openparcours.mail import delivery, service

mail_cli = AppGroup("mail", help="The outbox: the latest mails, and delivering them.")


@mail_cli.command("list")
@click.option("--limit", "-n", default=20, show_default=True, help="How many of the latest.")
def list_command(limit: int) -> None:
    """The latest mails: when, state, attempts, recipient, subject, last error."""
    for mail in service.latest(limit):
        line = (
            f"{mail.id:>6}  {mail.created_at:%Y-%m-%d %H:%M}  {mail.state.value:<8}  "
            f"{mail.attempts:>2}  {mail.recipient}  {mail.subject}"
        )
        click.echo(line + (f"  ({mail.last_error})" if mail.last_error else ""))


@mail_cli.command("send")
def send_command() -> None:
    """Deliver the mails that are due (for cron; the app's schedule does it as well)."""
    report = delivery.deliver_due()
    click.echo(f"Sent {report.sent}, to retry {report.retried}, failed {report.failed}.")
