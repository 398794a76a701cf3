"""Visits: a class playing one trail version, its teams and their events."""
