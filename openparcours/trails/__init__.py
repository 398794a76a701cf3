"""Trails of stations with tasks: drafts that authors edit, versions that visits play."""
