"""Docs that must not fall behind the code: every setting documented, the JSON Schema current."""

import json
from pathlib import Path

from app.graph import run_schema
from app.settings import ENV_PREFIX, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_with_its_default():
    docs = (ROOT / "docs" / "settings.md").read_text()
    for name, field in Settings.model_fields.items():
        row = next((line for line in docs.splitlines() if f"`{ENV_PREFIX}{name.upper()}`" in line), None)
        assert row is not None, f"{ENV_PREFIX}{name.upper()} is not in docs/settings.md"
        assert f"`{field.default}`" in row, f"the default of {name} in docs/settings.md is not {field.default}"
        assert field.description, f"{name} has no help line"


def test_every_limit_names_its_unit():
    for name in Settings.model_fields:
        if name.startswith("max_") or name.endswith(("_s", "_mb", "_bytes")):
            assert name.endswith(
                ("_s", "_ms", "_mb", "_bytes", "_nodes", "_elements", "_runs", "_threads", "_connections")
            ), name


def test_settings_come_from_the_environment_and_bad_ones_are_named():
    assert Settings.from_env({"GRADWALK_MAX_NODES": "500"}).max_nodes == 500
    try:
        Settings.from_env({"GRADWALK_MAX_ELEMENTS": "0"})
    except SettingsError as exc:
        assert "GRADWALK_MAX_ELEMENTS" in str(exc)
    else:
        raise AssertionError("a bad setting was accepted")


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
        "GET /api/examples",
        "GET /healthz",
        "gradwalk serve",
        "gradwalk capture",
    ):
        assert route in docs, route
