"""What every domain shares over HTTP: health, API docs, the PWA, security headers."""
