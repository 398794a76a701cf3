"""Mail: an outbox table that every domain's mails go through, delivered by the schedule."""
