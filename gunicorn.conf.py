"""gunicorn's settings for OpenParcours (`gunicorn --config gunicorn.conf.py …`): workers that
start warm. The master imports the app once and forks the workers from it, so a new worker
answers its first request at once instead of importing everything while phones wait."""

preload_app = True


def post_fork(server, worker):
    app = worker.app.wsgi()  # the app the master loaded
    database = app.extensions.get("sqlalchemy")  # the benchmark's bare endpoint has none
    if database is not None:
        # Connections opened in the master belong to it; this worker opens its own.
        with app.app_context():
            database.engine.dispose(close=False)
    # One request inside the worker opens its database connection and fills the caches that
    # a first request fills (routing, schemas), before any phone waits for it.
    app.test_client().get("/api/v1/health")
