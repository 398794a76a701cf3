"""Education partnerships between one school and one institution."""
