"""Writes the app's OpenAPI document as TypeScript types into pwa/src/api-types.ts.

Run from the repository after changing a schema: .venv/bin/python pwa/tools/api_types.py
(or `npm run api-types` in pwa/). A test fails while the committed file is stale.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PWA = Path(__file__).resolve().parent.parent
OUTPUT = PWA / "src" / "api-types.ts"
GENERATOR = PWA / "node_modules" / "openapi-typescript" / "bin" / "cli.js"
# An object without declared properties (a task's definition) is `Record<string, unknown>`.
OPTIONS = ["--empty-objects-unknown"]


def openapi_document() -> dict:
    """The document as the app serves it at /api/v1/openapi.json; it needs no database."""
    sys.path.insert(0, str(PWA.parent))
    from openparcours import create_app
    from openparcours.config import config_for_tests
    from openparcours.extensions import api

    with tempfile.TemporaryDirectory() as folder:
        create_app(config_for_tests(Path(folder), "sqlite://"))
        return api.spec.to_dict()


def write_types(output: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "openapi.json"
        document.write_text(json.dumps(openapi_document(), indent=1))
        subprocess.run(
            ["node", str(GENERATOR), str(document), "--output", str(output), *OPTIONS],
            check=True,
            capture_output=True,
        )


if __name__ == "__main__":
    write_types(OUTPUT)
