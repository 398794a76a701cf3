"""The ceiling for the class-load benchmark: a bare Flask JSON endpoint on the same setup."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/api/v1/play/sync")
def sync():
    return jsonify({"acked": [e.get("id") for e in request.get_json()["events"]], "score": 0})
