"""The state's school list (Schulgrunddaten NRW): every school with its number, form, place
and district, imported from the open-data file, for the network office's coverage reports."""
