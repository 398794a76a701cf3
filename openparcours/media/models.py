from datetime import datetime

from flask import url_for
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openparcours.database import UTCDateTime, utcnow
from openparcours.extensions import Model


class Media(Model):
    """One upload. Rows are per upload; identical files share one stored file."""

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The institution whose authors uploaded it; None for photos that teams took.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The team that took the photo: only its own answers may show it, and it goes with the
    # visit's data (sent as an answer or not). `use_alter`: trails name a cover image, so
    # media → teams → visits → trails → media is a cycle the table order must break.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE", use_alter=True), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # "image" | "audio"
    mime: Mapped[str] = mapped_column(String(40))
    file: Mapped[str] = mapped_column(String(80))
    thumbnail: Mapped[str | None] = mapped_column(String(80))
    width: Mapped[int | None]
    height: Mapped[int | None]
    size: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # By name: the visits' models come later than the media's.
    team = relationship("Team")

    @property
    def url(self) -> str:
        """Where the file is served: a team's photo to the team (with its token) and to the
        managers of its visit (with their session), never cached on the way; the institutions'
        media as public files, cacheable for ever (their names are their content's hash)."""
        if self.team_id is not None:
            return url_for("media.TeamPhoto", media_id=self.id)
        return url_for("media_files.media_file", name=self.file)

    @property
    def thumbnail_url(self) -> str | None:
        if self.thumbnail is None:
            return None
        if self.team_id is not None:
            return url_for("media.TeamPhoto", media_id=self.id, size="thumbnail")
        return url_for("media_files.media_file", name=self.thumbnail)
