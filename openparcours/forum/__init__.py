"""The partners' forum: each partnership's message thread, the institutions' news to their
partner schools, and named contacts who hand over to a successor."""
