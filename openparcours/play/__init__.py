"""Playing a visit: a team joins, gets its bundle, sends its events and photos."""
