"""Settings: read from the environment, each bad one named; contradictions and unsafe combinations refused at
start with a message naming the variables."""

import pytest

from app.settings import Settings, SettingsError


def test_settings_come_from_the_environment_and_bad_ones_are_named():
    assert Settings.from_env({"GRADWALK_MAX_NODES": "500"}).max_nodes == 500
    with pytest.raises(SettingsError, match="GRADWALK_MAX_ELEMENTS"):
        Settings.from_env({"GRADWALK_MAX_ELEMENTS": "0"})


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"GRADWALK_PAGE_FOLD_NODES": "5000"}, ["GRADWALK_PAGE_FOLD_NODES", "GRADWALK_PAGE_DRAW_MAX_NODES"]),
        ({"GRADWALK_RENDER_MAX_NODES": "500"}, ["GRADWALK_PAGE_FOLD_NODES", "GRADWALK_RENDER_MAX_NODES"]),
        ({"GRADWALK_MAX_SOURCE_BYTES": "300000"}, ["GRADWALK_MAX_SOURCE_BYTES", "GRADWALK_MAX_REQUEST_BYTES"]),
    ],
)
def test_contradictory_limits_are_refused_naming_both(environment, named):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environment)
    assert all(name in str(refused.value) for name in named), refused.value


def test_without_the_jail_the_server_serves_only_on_loopback_unless_told():
    unjailed = Settings(sandbox="off")
    for host in ("127.0.0.1", "::1", "localhost"):
        unjailed.check_host(host)
    for host in ("0.0.0.0", "::", "192.0.2.10", "gradwalk.example"):
        with pytest.raises(SettingsError, match="GRADWALK_SANDBOX=off"):
            unjailed.check_host(host)
    Settings(sandbox="off", allow_remote_unsandboxed=True).check_host("0.0.0.0")
    Settings().check_host("0.0.0.0")  # jailed: anywhere


def test_gradwalk_serve_refuses_an_unjailed_public_host(tmp_path):
    from app.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADWALK_SANDBOX", "off")
        patch.setenv("GRADWALK_DATA_DIR", str(tmp_path))
        assert main(["serve", "--host", "0.0.0.0", "--port", "9"]) == 2


@pytest.mark.parametrize(("workers", "kept", "running"), [(2, 1, 1), (4, 1, 3), (1, 1, 1), (4, 2, 2), (2, 0, 0)])
def test_one_client_never_runs_in_every_worker_but_those_kept_for_others(workers, kept, running):
    assert Settings(workers=workers, workers_kept_for_others=kept).client_running_runs() == running
