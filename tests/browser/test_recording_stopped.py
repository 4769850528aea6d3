"""A run whose recording stopped at a limit while its code ran on, as a learner sees it: the status says the code
ran on, the message and its hint (in English and Korean) say where the recording stopped, the line is marked; and
when the code then ran out of time, both are said. A loop whose recording paused says so in the status line."""

from pathlib import Path

import orjson
from playwright.sync_api import Page, expect

from app.capture import capture, dumps
from app.store import Store, database_url

from .helpers import wait_drawn

LOOP = """w = torch.ones(3, requires_grad=True)
for step in range(200):
    loss = (w * 2).sum()
    loss.backward()
print(step, w.grad.tolist())
"""
CHAIN = """w = torch.ones(3, requires_grad=True)
y = w
for step in range(200):
    y = y * 1.0
y.sum().backward()
print(step, w.grad.tolist())
"""
LIMITS = {"max_nodes": 60, "max_elements": 64, "max_output_bytes": 1 << 20}


def store(ui_data: Path, run_id: str, run: dict, code: str = CHAIN) -> None:
    run = {**run, "id": run_id, "code": code}
    saved = Store(database_url("", ui_data))
    try:
        saved.save_run(run_id, run["status"], orjson.dumps(run))
    finally:
        saved.close()


def loop_run(code: str = CHAIN) -> dict:
    return orjson.loads(dumps(capture(code, **LIMITS)))


def test_a_graph_limit_says_the_recording_stopped_and_the_code_ran_on(page: Page, ui_data: Path):
    run = loop_run()
    assert run["status"] == "limit" and run["recording_stopped"]["type"] == "GraphLimit"
    store(ui_data, "stoppedRec1", run)
    page.goto("/runs/stoppedRec1")
    wait_drawn(page)
    expect(page.locator("#status")).to_contain_text("Recording stopped at a limit; the code ran on")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("GraphLimit")
    expect(alert).to_contain_text("ran on unrecorded (1 backward pass in all)")
    expect(alert).to_contain_text("the printed output goes on past it")
    line = run["error"]["line"]
    expect(page.locator(".CodeMirror-code .error-line .CodeMirror-linenumber")).to_have_text(str(line))
    expect(page.locator("#stdout")).to_have_text("199 [1.0, 1.0, 1.0]")
    page.locator("#lang").click()
    expect(page.locator("#status")).to_contain_text("기록이 한도에 닿아서 멈췄고")
    expect(alert).to_contain_text("출력은 그 뒤의 내용까지 나와 있습니다")


def test_a_run_stopped_for_time_after_a_recording_limit_says_both(page: Page, ui_data: Path):
    run = loop_run()
    run["status"] = "timeout"
    run["error"] = {**run["error"], "type": "Timeout", "message": "stopped here", "line": 5, "hint": None}
    store(ui_data, "stoppedRec2", run)
    page.goto("/runs/stoppedRec2")
    wait_drawn(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Timeout: stopped here")
    expect(alert).to_contain_text(f"recording had stopped at line {run['recording_stopped']['line']} (GraphLimit)")


def test_a_loop_whose_recording_paused_says_so_and_is_no_error(page: Page, ui_data: Path):
    """200 backward passes of a loop that fill half the graph: the loop pauses and the run is `ok` (no alert); the
    status line says which loop paused and that the graphs show its first iterations and the code after it."""
    run = loop_run(LOOP)
    assert run["status"] == "ok" and run["recording_paused"]["type"] == "LoopPaused"
    store(ui_data, "pausedRec01", run, LOOP)
    page.goto("/runs/pausedRec01")
    wait_drawn(page)
    status = page.locator("#status")
    # (line 4 is loss.backward(), where the recording paused, not the loop's `for`: it was said to be the loop's line)
    expect(status).to_contain_text("its recording paused at line 4")
    expect(status).to_contain_text("a loop took half of what a run may record")
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(page.locator("#stdout")).to_have_text("199 [400.0, 400.0, 400.0]")
    page.locator("#lang").click()
    expect(status).to_contain_text("절반을 써서 4번 줄에서 기록을 멈췄습니다")
