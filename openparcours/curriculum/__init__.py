"""What schools teach, as shipped reference tables: NRW's subjects, the year groups and the
Medienkompetenzrahmen NRW."""
