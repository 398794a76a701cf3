from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from openparcours.database import UTCDateTime
from openparcours.extensions import Model


class JobRun(Model):
    """When a scheduled job last ran: the row every app process claims before running it."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
