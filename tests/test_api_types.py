"""The PWA's API types are generated from the OpenAPI document (pwa/tools/api_types.py)."""

from pwa.tools.api_types import OUTPUT, write_types


def test_the_committed_api_types_are_generated_from_the_current_schemas(tmp_path):
    # Needs node (as the PWA's build does): without it this fails instead of passing unchecked.
    fresh = tmp_path / "api-types.ts"
    write_types(fresh)
    assert fresh.read_text() == OUTPUT.read_text(), "stale: run pwa/tools/api_types.py"
