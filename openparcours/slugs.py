"""URL- and command-line-friendly names from German titles."""

import re
import unicodedata

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def slugify(text: str, max_length: int = 80, fallback: str = "organisation") -> str:
    """Lower-case ASCII words joined by hyphens; at least two characters (else `fallback`)."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug if len(slug) >= 2 else fallback
