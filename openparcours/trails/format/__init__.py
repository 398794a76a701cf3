"""The open trail format: a GeoJSON FeatureCollection (RFC 7946) with one Feature per station,
the trail's metadata and tasks as foreign members, plus a media folder. See trails/README.md.

Export writes a canonical form (fixed key order, media named by content hash, reproducible
zips), so that export → import → export gives the same bytes. Import checks everything first,
reports every problem at once by its JSON path, and imports nothing if anything is wrong.
"""
