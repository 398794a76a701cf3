"""What every spreadsheet export needs."""


def safe_cell(value):
    """Text as a spreadsheet shows it, never as a formula (a team may be called "=1+1")."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
