"""Visits: a class playing one trail version; opening it, the live board, results, retention."""
