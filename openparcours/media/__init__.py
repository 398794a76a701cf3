"""Uploaded images and audio: checked by content, images re-encoded, stored by content hash."""
