from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from openparcours.database import UTCDateTime, utcnow
from openparcours.extensions import Model


class RegisteredSchool(Model):
    """One school of the state's list, as the last import found it; the Schulnummer is its
    identity across imports and links a school organisation to it."""

    __tablename__ = "registered_schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    schulnummer: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # The state's key ("02", "20" …); resolved to words by tables.school_form_name().
    school_form_key: Mapped[str] = mapped_column(String(4), index=True)
    government_district: Mapped[str] = mapped_column(String(60), default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(10), default="", server_default="")
    municipality: Mapped[str] = mapped_column(String(120), default="", server_default="")
    street: Mapped[str] = mapped_column(String(200), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    public: Mapped[bool] = mapped_column(default=True)
    # Amtlicher Gemeindeschlüssel (8 digits); its first five name the district (Kreis).
    municipality_key: Mapped[str] = mapped_column(String(8))
    district: Mapped[str] = mapped_column(String(120), index=True)
    opened_on: Mapped[date | None]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
