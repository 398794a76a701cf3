"""The ceiling for the sync benchmarks: a bare Flask JSON endpoint on the same setup, which
parses the same batch and answers the same shape as the app's sync."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/api/v1/play/sync")
def sync():
    events = request.get_json()["events"]
    return jsonify(
        {
            "acked": [e.get("id") for e in events],
            "refused": [],
            "results": [
                {"id": e.get("id"), "type": e.get("type"), "correct": None, "points": 0}
                for e in events
            ],
            "score": 0,
        }
    )
