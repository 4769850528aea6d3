"""Docs that must not fall behind the code: every setting documented, the JSON Schema current."""

import json
from pathlib import Path

from app.graph import run_schema
from app.settings import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_with_its_default():
    docs = (ROOT / "docs" / "settings.md").read_text()
    for name, field in Settings.model_fields.items():
        row = next((line for line in docs.splitlines() if line.startswith(f"| `{ENV_PREFIX}{name.upper()}`")), None)
        assert row is not None, f"{ENV_PREFIX}{name.upper()} is not in docs/settings.md"
        assert f"`{field.default}`" in row, f"the default of {name} in docs/settings.md is not {field.default}"
        assert field.description, f"{name} has no help line"


# The units a setting's name may end with, and the numeric settings that are no limit (their names are public).
UNITS = (
    "_s",
    "_ms",
    "_mb",
    "_bytes",
    "_nodes",
    "_edges",
    "_elements",
    "_runs",
    "_threads",
    "_connections",
    "_days",
    "_per_min",
    "_per_hour",
)
UNITS += ("_drawings", "_answers", "_passes", "_requests", "_inodes")
NOT_LIMITS = {
    "workers": "how many worker processes",
    "apart_processes": "how many processes work on big Runs at once",
    "workers_kept_for_others": "how many workers one client's runs leave to everyone else",
    "sandbox_uid": "the first uid of the workers",
}


def test_every_limit_names_its_unit():
    """Every number a setting holds is a limit with its unit in its name, or one of the few that are no limit."""
    numeric = [name for name, field in Settings.model_fields.items() if field.annotation in (int, float)]
    assert len(numeric) > 20  # (the selection above is by type, not by the names being checked)
    for name in numeric:
        assert name.endswith(UNITS) or name in NOT_LIMITS, f"{name}: a limit without its unit in its name"


def test_json_schema_in_docs_is_current():
    documented = json.loads((ROOT / "docs" / "run.schema.json").read_text())
    assert documented == run_schema(), "run `python -m app schema > docs/run.schema.json`"


def test_api_docs_name_every_field_of_the_run_and_every_route():
    docs = (ROOT / "docs" / "api.md").read_text()
    schema = run_schema()
    fields = set(schema["properties"])
    for definition in schema["$defs"].values():
        fields |= set(definition.get("properties", {}))
    missing = sorted(f for f in fields if f'"{f}"' not in docs and f"`{f}`" not in docs)
    assert missing == [], f"docs/api.md does not mention {missing}"
    for route in (
        "POST /api/runs",
        "GET /api/runs/{id}",
        "GET /api/runs/{id}/{view}.{fmt}",
        "GET /api/runs/{id}.html",
        "GET /api/examples",
        "GET /healthz",
        "gradwalk serve",
        "gradwalk capture",
    ):
        assert route in docs, route
