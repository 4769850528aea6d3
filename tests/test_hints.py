"""Each hint fits the error it answers and names the snippet's own tensor (app/capture/hints.py)."""

import io
import pdb
import re
import sys

import pytest
import torch

from app.capture import capture
from app.capture.hints import _CUT_BY, MESSAGE_CHARS, hint_for
from app.capture.record import CUT_OPS

from .helpers import CAPTURE, cpu_clock


def error_of(code: str) -> dict:
    error = capture(code, **CAPTURE)["error"]
    assert error is not None
    return error


def test_a_syntax_error_raised_as_the_code_ran_does_not_say_the_code_never_ran():
    """`eval("(")` on line 3, after a print: the code ran up to there, and the hint says so (it said the code never
    ran), in both languages."""
    run = capture('x = torch.ones(2, requires_grad=True)\nprint("hi")\ny = eval("(")\n', **CAPTURE)
    hint = run["error"]["hint"]
    assert run["error"]["type"] == "SyntaxError" and run["stdout"] == "hi\n"
    assert "never ran" not in hint["en"] and "The code ran up to line 3" in hint["en"] and "eval" in hint["en"]
    assert "코드는 3번 줄까지 실행되었습니다" in hint["ko"] and "실행되지 않았습니다" not in hint["ko"]


def test_a_syntax_error_says_the_code_never_ran_and_points_at_its_column():
    error = error_of("x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 +\n")
    assert (error["type"], error["line"], error["column"]) == ("SyntaxError", 2, 13)
    assert "never ran" in error["hint"]["en"] and "line 2, column 13" in error["hint"]["en"]
    assert "실행되지 않았습니다" in error["hint"]["ko"] and "2번 줄 13열" in error["hint"]["ko"]
    assert "no_grad" not in error["hint"]["en"]


@pytest.mark.parametrize(
    ("code", "en", "ko"),
    [
        ("if y > 1\n    y.backward()\n", "A colon (:) is missing", "콜론(:)이 빠졌습니다"),
        (
            "x = torch.tensor([1.0, 2.0]\ny = x\n",
            "The '(' opened at the marked spot is never closed",
            "괄호 '('를 닫지",
        ),
        ("x = torch.ones(2))\n", "This ')' closes nothing", "여는 괄호 '('가 없습니다"),
        ("print('loss)\n", "close it with the quote it opened with", "따옴표(' 또는 \")로 닫으세요"),
        ("x = torch.tensor([1.0 2.0])\n", "put a comma between them", "쉼표를 넣으세요"),
        ("for i in range(3):\nprint(i)\n", "must be indented under it", "들여 써야 합니다"),
        ("y = x ** \n", "a value after an operator", "연산자 뒤의 값"),
    ],
)
def test_a_syntax_error_says_what_to_change(code, en, ko):
    """A learner's SyntaxError said only "Fix the marked spot" after Python's words (`expected ':'`, in English in the
    Korean hint too): it says what to change, in both languages, the line and column still named."""
    error = error_of(code)
    assert error["type"] in ("SyntaxError", "IndentationError") and error["line"]
    assert en in error["hint"]["en"] and error["hint"]["en"].endswith("Then run it again.")
    assert ko in error["hint"]["ko"] and error["hint"]["ko"].endswith("고친 뒤 다시 실행하세요.")
    assert "Fix the marked spot" not in error["hint"]["en"]


@pytest.mark.parametrize("name", ["z", "scores", "out.logits"])
def test_the_non_scalar_hint_names_the_tensor_backward_was_called_on(name):
    code = f"class O: pass\nout = O()\nx = torch.ones(3, requires_grad=True)\n{name} = x * 2\n{name}.backward()\n"
    hint = error_of(code)["hint"]
    assert f"{name}.backward(torch.ones_like({name}))" in hint["en"] and f"{name}.sum().backward()" in hint["en"]
    assert f"{name} 텐서" in hint["ko"] and " y" not in hint["en"].replace(" you", "")


def test_the_no_graph_hint_speaks_of_a_dashed_cut_only_where_there_is_one():
    none_requires = error_of("a = torch.tensor(2.0)\nb = a * 3\nb.backward()\n")["hint"]
    assert "dashed" not in none_requires["en"] and "requires_grad=True" in none_requires["en"]
    assert none_requires["en"].startswith("b is not part of any graph")
    cut = error_of("a = torch.tensor(2.0, requires_grad=True)\nwith torch.no_grad():\n    b = a * 3\nb.backward()\n")[
        "hint"
    ]
    assert "dashed cut" in cut["en"] and "점선" in cut["ko"]


@pytest.mark.parametrize(
    ("made", "en", "ko"),
    [
        ("nn.Parameter(h, requires_grad=False)", "by nn.Parameter(...), which makes a new leaf", "nn.Parameter(...): "),
        ("torch.tensor(h.sum().item())", "by .item(), which takes the value out", ".item(): 값을 파이썬 수로"),
    ],
)
def test_the_no_graph_hint_names_the_call_that_cut(made, en, ko):
    """A tensor cut off by `nn.Parameter(h)` or `.item()` was said to be cut off by torch.no_grad(): every cut op has
    its own words."""
    hint = error_of(f"w = torch.ones(3, requires_grad=True)\nh = w * 2\nq = {made}\nz = (q * 3).sum()\nz.backward()\n")[
        "hint"
    ]
    assert en in hint["en"] and ko in hint["ko"] and "no_grad" not in hint["en"] + hint["ko"]
    assert _CUT_BY.keys() >= CUT_OPS


def test_the_no_graph_hint_looks_only_at_the_way_the_tensor_was_made():
    """A cut elsewhere in the run (a value printed through .detach()) made the hint speak of a cut, where `w` only
    lacked requires_grad; tracking stopped by argmax and == was told to add requires_grad=True to tensors that had
    it."""
    unrelated = error_of(
        "x = torch.ones(4, 2)\nmodel = nn.Linear(2, 1)\nprint(model(x).detach().mean().item())\n"
        "w = torch.randn(2)\nloss = (x @ w).pow(2).mean()\nloss.backward()\n"
    )["hint"]
    assert "dashed" not in unrelated["en"] and "requires_grad=True" in unrelated["en"]
    argmax = error_of(
        "scores = torch.randn(4, 3, requires_grad=True)\nlabels = torch.tensor([0, 1, 2, 0])\n"
        "accuracy = (scores.argmax(1) == labels).float().mean()\naccuracy.backward()\n"
    )["hint"]
    assert "argmax" in argmax["en"] and "requires_grad=True in" not in argmax["en"] and "argmax" in argmax["ko"]
    assert argmax["en"].startswith("accuracy is not part of any graph")


def test_a_parameters_grad_set_to_none_by_zero_grad_is_said_to_be_so():
    """`opt.zero_grad(); lin.weight.grad.norm()`: the hint offered retain_grad(), which a leaf does not need."""
    hint = error_of(
        "lin = nn.Linear(2, 1)\nopt = torch.optim.SGD(lin.parameters(), lr=0.1)\n"
        "lin(torch.ones(1, 2)).sum().backward()\nopt.step()\nopt.zero_grad()\nprint(lin.weight.grad.norm())\n"
    )["hint"]
    assert "zero_grad()" in hint["en"] and "retain_grad" not in hint["en"]
    assert "zero_grad()" in hint["ko"] and "리프 텐서" in hint["ko"]


def test_hints_use_the_tutorials_terms():
    for error in (
        {"type": "RuntimeError", "message": m, "line": 1}
        for m in (
            "grad can be implicitly created only for scalar outputs",
            "element 0 of tensors does not require grad and does not have a grad_fn",
            "Trying to backward through the graph a second time",
            "a leaf Variable that requires grad is being used in an in-place operation.",
            "one of the variables needed for gradient computation has been modified by an inplace operation",
        )
    ):
        hint = hint_for(error, "loss.backward()\n")
        assert hint is not None and "기울기" not in hint["ko"], error["message"]
    assert hint_for({"type": "ValueError", "message": "something else", "line": 1}) is None


@pytest.mark.parametrize("message", ["[Errno 1] Operation not permitted", "[Errno 13] Permission denied"])
def test_what_the_sandbox_refuses_gets_a_hint_that_says_what_to_do_instead(message):
    hint = hint_for({"type": "PermissionError", "message": message, "line": 10})
    assert "multiprocessing" in hint["en"] and "multiprocessing" in hint["ko"]
    assert "sandbox" in hint["en"] and "샌드박스" in hint["ko"]


def test_a_process_group_the_sandbox_refuses_its_socket_gets_a_hint_to_train_in_one_process():
    """torch.distributed's store binds a socket, which the sandbox refuses: its DistNetworkError had no hint."""
    message = (
        "The server socket has failed to bind. port: 29533, useIpv6: 0, code: -1, name: EPERM, message: operation "
        "not permitted"
    )
    hint = hint_for({"type": "DistNetworkError", "message": message, "line": 7})
    assert hint is not None
    assert "DDP(model)" in hint["en"] and "DDP(model)" in hint["ko"] and "샌드박스" in hint["ko"]


@pytest.mark.parametrize(
    ("line", "name", "en", "ko"),
    [
        ("print(h.grad * 2)", "h", "h.retain_grad()", "리프 텐서가 아님"),  # made by an op
        ("x.grad.zero_()", "x", "no backward() has reached it", "backward()도 이 텐서까지 오지"),  # none ran yet
        ("w = model.weight.grad + 1", "model.weight", "does not require grad", "requires_grad=False"),
        ("print(x.grad, h.grad.sum())", "h", "h.retain_grad()", "리프 텐서가 아님"),  # (x is no None: not before)
    ],
)
def test_using_a_grad_that_is_none_says_why_this_ones_stays_none_and_names_the_tensor(line, name, en, ko):
    code = (
        "class M: pass\nmodel = M()\nmodel.weight = torch.ones(2)\nx = torch.ones(2, requires_grad=True)\n"
        f"h = x * 2\n{'h.sum().backward(retain_graph=True)' if 'x.grad,' in line else ''}\n{line}\n"
    )
    hint = error_of(code)["hint"]
    assert hint["en"].startswith(f"{name}.grad is None here") and en in hint["en"]
    assert hint["ko"].startswith(f"{name}.grad가 None이라서") and ko in hint["ko"]
    assert "zero_grad" not in hint["en"]  # (no zero_grad() ran)


@pytest.mark.parametrize(
    ("call", "en", "ko"),
    [
        ("loss.backward(inputs=[w])", "backward() was given inputs=", "inputs= 인자로 그래디언트를 구할 텐서를"),
        ("g, = torch.autograd.grad(loss, w)", "the only backward passes here were torch.autograd.grad()", "돌려줄 뿐"),
    ],
)
def test_a_grad_left_none_by_a_call_that_chose_its_inputs_says_so(call, en, ko):
    """`x.grad.zero_()` raised, and the hint said no backward() had reached x and to call backward() first: the
    code had, with inputs= leaving x out (or only torch.autograd.grad ran, which fills no .grad)."""
    code = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\nw = torch.tensor([3.0, 4.0], requires_grad=True)\n"
        f"loss = (x * w).sum()\n{call}\nx.grad.zero_()\n"
    )
    plain = {"torch": torch}
    with pytest.raises(AttributeError):  # (the oracle: plain torch leaves x.grad None too)
        exec(code, plain)
    hint = error_of(code)["hint"]
    assert hint["en"].startswith("x.grad is None here") and en in hint["en"]
    assert "no backward() has reached it" not in hint["en"]
    assert hint["ko"].startswith("x.grad가 None이라서") and ko in hint["ko"]


@pytest.mark.parametrize(
    ("code", "en", "not_en"),
    [
        (  # the classic: a loss rebuilt from a list of losses
            "w = torch.tensor(1.0, requires_grad=True)\nlosses = [w * 2, w * 3]\ntotal = torch.tensor(losses).mean()\n"
            "total.backward()\n",
            "torch.tensor(...), which copies the values",
            "argmax",
        ),
        (
            "w = torch.tensor(1.0, requires_grad=True)\ncopy = w.new_tensor(w * 2)\ncopy.backward()\n",
            ".new_tensor(...)",
            "none of the tensors it was made from has requires_grad=True",
        ),
        (  # every parameter frozen
            "model = nn.Linear(2, 1)\nfor p in model.parameters():\n    p.requires_grad = False\n"
            "loss = model(torch.ones(1, 2)).sum()\nloss.backward()\n",
            "requires_grad=False (a frozen parameter)",
            ".detach() or .data",
        ),
        (  # a gradient of a gradient without create_graph=True
            "x = torch.tensor(2.0, requires_grad=True)\n(g,) = torch.autograd.grad(x ** 3, x)\n"
            "(h,) = torch.autograd.grad(g, x)\n",
            "create_graph=True",
            "create them with requires_grad=True",
        ),
        (  # a loss rebuilt from .item()
            "w = torch.tensor(1.0, requires_grad=True)\ntotal = 0.0\nfor i in range(2):\n    total += (w * i).item()\n"
            "loss = torch.tensor(total, requires_grad=False)\nloss.backward()\n",
            ".item()",
            "dashed",
        ),
        (  # requires_grad set after the op that used it (the hint listed every way a graph is left)
            "x = torch.tensor([1.0, 2.0])\nloss = (x * 3).sum()\nx.requires_grad_(True)\nloss.backward()\n",
            "line 3 set x.requires_grad only after line 2 had used x",
            ".item()",
        ),
        (
            "x = torch.tensor([1.0, 2.0])\ny = x * 2\nloss = (y * 3).sum()\nx.requires_grad = True\nloss.backward()\n",
            "line 4 set x.requires_grad only after line 2 had used x",
            ".item()",
        ),
    ],
    ids=["torch_tensor_of_losses", "new_tensor", "frozen", "grad_of_grad", "item", "late", "late_attribute"],
)
def test_a_tensor_outside_any_graph_is_told_what_took_it_out(code, en, not_en):
    hint = error_of(code)["hint"]
    assert en in hint["en"] and not_en not in hint["en"], hint["en"]
    assert "그래프" in hint["ko"] and not re.search(r"\b(which|the|a)\b", hint["ko"]), hint["ko"]  # (all Korean)


def test_a_leaf_rebound_to_its_update_is_told_to_update_in_place():
    code = (
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\nfor step in range(2):\n    loss = (w ** 2).sum()\n"
        "    loss.backward()\n    w = w - 0.1 * w.grad\n"
    )
    hint = error_of(code)["hint"]
    assert "w -= lr * w.grad" in hint["en"] and "torch.no_grad()" in hint["en"] and "retain_grad" not in hint["en"]
    assert "제자리" in hint["ko"]


def test_backward_twice_through_a_carried_hidden_state_says_to_detach_it():
    code = (
        "w = torch.tensor(0.5, requires_grad=True)\nh = torch.zeros(1)\nfor step in range(2):\n"
        "    h = torch.tanh(w * h + 1)\n    loss = h.sum()\n    loss.backward()\n"
    )
    hint = error_of(code)["hint"]
    assert "h = h.detach()" in hint["en"] and "retain_graph=True" in hint["en"] and "detach()" in hint["ko"]


def test_a_none_that_is_no_grad_gets_no_hint():
    assert error_of("x = None\ny = x * 2\n")["hint"] is None


def test_a_very_long_message_is_read_in_its_first_characters_only():
    """Each hint's needle was looked for in the whole message: a snippet's 50 MB message took 3.8 s of CPU, past the
    run's time on a busy host. Only the first MESSAGE_CHARS characters, what a Run keeps by default, are searched:
    50 MB takes about what 64 KB takes, and a needle past them is not found."""
    needle = "Trying to backward through the graph a second time"
    short, huge = "x" * MESSAGE_CHARS, "x" * 50_000_000

    def cpu_s(message: str) -> tuple[float, dict | None]:
        with cpu_clock() as spent:
            hint = hint_for({"type": "RuntimeError", "message": message, "line": 1}, "y.backward()\n")
            return spent(), hint

    assert cpu_s(needle + huge)[1] is not None
    assert cpu_s(huge + needle)[1] is None
    base = min(cpu_s(short)[0] for _ in range(3))
    assert min(cpu_s(huge)[0] for _ in range(3)) < 5 * base + 0.05  # (searched whole: 100 times as long)


@pytest.mark.parametrize("message", ["unsupported operand type(s) for *: 'NoneType' and 'int'", "element 0 of tensors"])
def test_a_very_long_failing_line_is_read_in_its_first_characters_only(message):
    """The name patterns backtrack on a line of `a.a.a…`: 16 KB of it took 5 s, 64 KB minutes. Only the first
    LINE_CHARS characters are searched, so the hint comes at once; a name past them is not looked for."""
    line = "a." * 32_000 + "grad * 2"
    with cpu_clock() as spent:
        hint = hint_for({"type": "TypeError", "message": message, "line": 2}, "x = 1\n" + line + "\n")
        assert spent() < 2  # (without the cut: over a minute)
    assert hint is None or "a.a.a" not in hint["en"]


@pytest.mark.parametrize(
    ("code", "en", "ko"),
    [
        (
            "layer = nn.Linear(3, 2)\nout = layer(torch.ones(4, 5))\n",
            "Here the left has 5 columns and the right 3 rows.",
            "여기서는 왼쪽의 열 수가 5, 오른쪽의 행 수가 3입니다.",
        ),
        (
            "c = torch.ones(2, 3) + torch.ones(2, 4)\n",
            "Here axis 1 has sizes 3 and 4.",
            "여기서는 1번 축의 크기가 3, 4로 서로 다릅니다.",
        ),
        (
            "y = torch.ones(3, requires_grad=True)\nz = y @ torch.ones(2)\n",
            "Here the lengths are 3 and 2.",
            "여기서는 길이가 3, 2입니다.",
        ),
        (
            "m = torch.ones(2, 3)\nz = m @ torch.ones(2)\n",
            "Here the matrix has 3 columns and the vector 2 entries.",
            "여기서는 행렬의 열 수가 3, 벡터의 원소 수가 2입니다.",
        ),
    ],
)
def test_a_shape_mismatch_gets_a_hint_with_the_sizes_that_differ(code, en, ko):
    hint = error_of(code)["hint"]
    assert en in hint["en"] and "x.shape" in hint["en"]
    assert ko in hint["ko"] and "x.shape" in hint["ko"]


# Errors learners meet that PyTorch's message alone leaves unexplained: the snippet, then what its hint must say (in
# English, in Korean), details read from the message included.
COMMON_ERRORS = {
    "bce_target_shape": (
        "out = torch.sigmoid(nn.Linear(2, 1)(torch.ones(6, 2)))\nF.binary_cross_entropy(out, torch.ones(6))\n",
        "here the target is [6] and the prediction [6, 1]",
        "지금은 정답이 [6], 예측이 [6, 1]입니다",
    ),
    "bce_long_target": (
        "x = torch.zeros(3, requires_grad=True)\nF.binary_cross_entropy_with_logits(x, torch.tensor([0, 1, 1]))\n",
        "target.float()",
        "target.float()",
    ),
    "dim_out_of_range": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\nF.softmax(x, dim=1)\n",
        "the tensor has 1 axis (dims -1 to 0), and dim=1",
        "이 텐서의 축은 1개(dim -1부터 0까지)인데 dim=1을 주었습니다",
    ),
    "conv_unbatched": ("nn.Conv2d(1, 4, 3)(torch.ones(3, 32))\n", "conv2d got [3, 32]", "conv2d에 [3, 32]가"),
    "stack_sizes": ("torch.stack([torch.ones(3, 2), torch.ones(4, 2)])\n", "same shape: pad", "torch.cat을"),
    "cat_sizes": ("torch.cat([torch.ones(2, 2), torch.ones(3, 2)], dim=1)\n", "along axis 1", "1번 축을 따라"),
    "rnn_input_size": (
        "nn.RNN(4, 8)(torch.ones(5, 1, 3))\n",
        "the layer expects 4 features, the input has 3",
        "층은 특징 4개를 기대하는데 입력에는 3개가",
    ),
    "lstm_hidden": (
        "nn.LSTM(3, 4)(torch.ones(5, 2, 3), (torch.zeros(2, 4), torch.zeros(2, 4)))\n",
        "(num_layers, N, hidden_size)",
        "h0.unsqueeze(0)",
    ),
    "embedding_float": ("nn.Embedding(10, 3)(torch.tensor([1.0, 2.0]))\n", "idx.long()", "idx.long()"),
    "grad_called": (
        "w = torch.ones(2, requires_grad=True)\n(w * 2).sum().backward()\nw.grad()\n",
        "not w.grad()",
        "w.grad()가 아니라 w.grad",
    ),
    "hook_grad_input": (
        "lin = nn.Linear(2, 1)\nlin.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))\n"
        "lin(torch.ones(1, 2, requires_grad=True)).sum().backward()\n",
        "one entry per input",
        "입력마다 하나씩",
    ),
    "clip_non_finite": (
        "w = torch.ones(2, requires_grad=True)\n(w * float('inf')).sum().backward()\n"
        "torch.nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)\n",
        "cannot repair broken ones",
        "detect_anomaly()",
    ),
    "scheduler_of_parameters": (
        "model = nn.Linear(2, 1)\ntorch.optim.lr_scheduler.StepLR(model.parameters(), 1)\n",
        "the optimizer itself",
        "옵티마이저 자체를",
    ),
    "post_accumulate_returns": (
        "w = torch.ones(2, requires_grad=True)\nw.register_post_accumulate_grad_hook(lambda p: p.grad * 2)\n"
        "(w * 2).sum().backward()\n",
        "write a def",
        "def로 쓰세요",
    ),
    "inference_mode": (
        "with torch.inference_mode():\n    x = torch.ones(3)\nw = torch.ones(3, requires_grad=True)\n(w * x).sum()\n",
        "torch.inference_mode() can never join a graph",
        "torch.no_grad() 안에서 만들거나",
    ),
    "integer_tensor": ("x = torch.tensor([1, 2, 3], requires_grad=True)\n", "Write 1.0 instead of 1", "정수(int64)"),
    "anomaly_nan": (
        "x = torch.tensor([0.0, 1.0], requires_grad=True)\nwith torch.autograd.detect_anomaly():\n"
        "    y = torch.sqrt(x) * 0\n    y.sum().backward()\n",
        "SqrtBackward0, for its input 0",
        "SqrtBackward0의 0번 입력",
    ),
    "plain_tensor_as_parameter": (
        "layer = nn.Linear(2, 2)\nlayer.weight = torch.zeros(2, 2)\n",
        "layer.weight = nn.Parameter(values)",
        "nn.Parameter(또는 None)",
    ),
    "module_before_init": (
        "class Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(2, 1)\nNet()\n",
        "call super().__init__()",
        "super().__init__()을 호출하세요",
    ),
    "requires_grad_of_a_result": (
        "w = torch.ones(2, requires_grad=True)\ny = w * 2\ny.requires_grad = False\n",
        ".retain_grad()",
        "리프 텐서",
    ),
    "unused_input": (
        "a = torch.ones(2, requires_grad=True)\nb = torch.ones(2, requires_grad=True)\n"
        "torch.autograd.grad((a * 2).sum(), [a, b])\n",
        "with respect to b (inputs[1])",
        "b (inputs[1])에 대한",
    ),
    "hook_without_grad": ("x = torch.ones(2)\nx.register_hook(print)\n", "requires_grad=True first", "훅을 거세요"),
    "numpy_of_graph": ("w = torch.ones(2, requires_grad=True)\n(w * 2).numpy()\n", "x.detach().numpy()", "NumPy"),
    "hook_resizes": (
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.register_hook(lambda g: g.sum())\ny.sum().backward()\n",
        "The hook <lambda> returned another shape",
        "훅 <lambda>이 다른 모양",
    ),
    "custom_function_gradients": (
        "class Scale(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, k):\n        return x * k\n"
        "    @staticmethod\n    def backward(ctx, g):\n        return g\n"
        "x = torch.ones(2, requires_grad=True)\nScale.apply(x, 3.0).sum().backward()\n",
        "ScaleBackward needs 2 and returned 1",
        "2개가 필요한데 1개를",
    ),
    "view_shape": ("x = torch.ones(6)\nx.view(3, 5)\n", "[3, 5] holds 15 elements, and the tensor has 6", "원소 15개"),
    "dtypes": (
        "import numpy as np\nx = torch.from_numpy(np.ones((2, 3)))\nlayer = nn.Linear(3, 1)\nlayer(x)\n",
        "(Double and Float)",
        "x = x.float()",
    ),
    "autocast_result_outside": (
        "with torch.autocast('cpu', dtype=torch.bfloat16):\n    h = nn.Linear(2, 2)(torch.randn(1, 2))\n"
        "y = h @ torch.randn(2, 2)\n",
        "(BFloat16 and float). A result made inside torch.autocast",
        "(BFloat16, float). torch.autocast 안에서",
    ),
    "grad_of_a_method_call": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\ng, = torch.autograd.grad((x ** 3).sum(), x)\n"
        "gg, = torch.autograd.grad(g.sum(), x)\n",
        "g is not part of any graph",
        "g 텐서는",
    ),
    "checkpoint_of_inputs_without_grad": (
        "from torch.utils.checkpoint import checkpoint\nlin = nn.Linear(3, 3)\nx = torch.randn(2, 3)\n"
        "y = checkpoint(lin, x, use_reentrant=True)\ny.sum().backward()\n",
        "y is not part of any graph: torch.utils.checkpoint with use_reentrant=True",
        "use_reentrant=False",
    ),
    "backward_twice_in_a_row": (
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2\ny.backward()\nprint(x.grad)\ny.backward()\n",
        "Line 3 already ran y.backward() through this graph",
        "3번 줄에서 이미 같은 그래프로 y.backward()를",
    ),
    "two_losses_sharing_a_graph": (
        "trunk = nn.Linear(2, 2)\nfeat = trunk(torch.ones(3, 2)).tanh()\nloss_a = feat.sum()\n"
        "loss_b = feat.pow(2).mean()\nloss_a.backward()\nloss_b.backward()\n",
        "Line 5 ran loss_a.backward() through the part of the graph this loss_b.backward() shares",
        "5번 줄의 loss_a.backward()가 이 loss_b.backward()와 함께 쓰는",
    ),
    "gan_generator_step_after_discriminator_backward": (
        "G, D = nn.Linear(2, 2), nn.Linear(2, 1)\nfor step in range(2):\n    fake = G(torch.randn(4, 2))\n"
        "    d_loss = D(fake).mean()\n    d_loss.backward(retain_graph=False)\n    g_loss = -D(fake).mean()\n"
        "    g_loss.backward()\n",
        "Line 5 ran d_loss.backward() through the part of the graph this g_loss.backward() shares",
        ".detach()한 텐서",
    ),
    "a_loss_called_backward_on_as_written": (
        "trunk = nn.Linear(2, 2)\nfeat = trunk(torch.ones(3, 2)).tanh()\nloss_a = feat.sum()\n"
        "F.mse_loss(feat, torch.zeros(3, 2)).backward()\nloss_a.backward()\n",
        "Line 4 ran F.mse_loss(feat, torch.zeros(3, 2)).backward() through the part of the graph",
        "4번 줄의 F.mse_loss(feat, torch.zeros(3, 2)).backward()가",
    ),
    # (here the first loss is the one to cut off: the discriminator's, stepped before the generator's)
    "gan_discriminator_loss_is_the_one_to_detach_whichever_comes_first": (
        "G, D = nn.Linear(2, 2), nn.Linear(2, 1)\nfake = G(torch.randn(4, 2))\nd_loss = D(fake).mean()\n"
        "d_loss.backward()\ng_loss = -D(fake).mean()\ng_loss.backward()\n",
        "the discriminator's loss on the generator's output, D(fake.detach()), whichever step comes first",
        "생성자의 출력을 떼어 내서 판별자에 넘기세요(D(fake.detach()))",
    ),
    "seed_of_another_shape": (
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward(torch.ones(2))\n",
        "Here it is (2) and the output is (3)",
        "넘긴 값이 (2), 출력이 (3)",
    ),
    "custom_gradient_of_another_shape": (
        "class BadSum(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x.sum()\n"
        "    @staticmethod\n    def backward(ctx, g):\n        return torch.ones(2) * g\n"
        "x = torch.ones(3, requires_grad=True)\nBadSum.apply(x).backward()\n",
        "BadSumBackward returned [2] for input 0, whose shape is [3]",
        "grad.expand(shape)",
    ),
    "gradcheck_mismatch": (
        "class Cube(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n"
        "        ctx.save_for_backward(x)\n        return x ** 3\n    @staticmethod\n    def backward(ctx, g):\n"
        "        (x,) = ctx.saved_tensors\n        return g * 2 * x ** 2\n"
        "x = torch.rand(3, dtype=torch.float64, requires_grad=True)\ntorch.autograd.gradcheck(Cube.apply, (x,))\n",
        "(analytical)",
        "numerical",
    ),
    "legacy_function": (
        "class Old(torch.autograd.Function):\n    def forward(self, x):\n        return x * 2\n"
        "x = torch.ones(2, requires_grad=True)\nOld()(x)\n",
        "MyFunction.apply(x)",
        "@staticmethod",
    ),
    "backward_of_a_number": (
        "w = torch.ones(2, requires_grad=True)\nloss = (w ** 2).sum().item()\nloss.backward()\n",
        "loss is a Python number, not a tensor",
        "loss는 텐서가 아니라 파이썬 숫자",
    ),
    "float_class_indices": (
        "F.cross_entropy(torch.randn(4, 3), torch.tensor([0.0, 1.0, 2.0, 1.0]))\n",
        "target.long()",
        "클래스 번호",
    ),
    "nll_float_target": (
        "F.nll_loss(torch.randn(3, 4).log_softmax(1), torch.tensor([1.0, 2.0, 0.0]))\n",
        "nll_loss does not",
        "nll_loss는 받지",
    ),
    "optimizer_of_frozen": (
        "model = nn.Linear(3, 1)\nmodel.requires_grad_(False)\n"
        "opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)\n",
        "every parameter was frozen",
        "모두 얼렸을 때",
    ),
    "if_on_a_vector": ("x = torch.randn(3)\nif x > 0:\n    print(x)\n", "(x > 0).any()", "torch.where"),
    "item_of_a_vector": ("x = torch.ones(3)\nx.item()\n", "x.tolist()", "torch.stack([a, b])"),
    "batch_sizes": (
        "F.cross_entropy(torch.randn(4, 3), torch.tensor([0, 1, 2]))\n",
        "4 predictions but 3 targets",
        "예측은 4개인데 정답은 3개",
    ),
    "view_of_transpose": ("x = torch.ones(2, 3)\nx.t().view(6)\n", ".reshape(...)", ".contiguous().view(...)"),
    "optimizer_of_a_product": (
        "w = torch.randn(3, requires_grad=True) * 0.01\nopt = torch.optim.SGD([w], lr=0.1)\n",
        "(torch.randn(3) * 0.01).requires_grad_()",
        "리프 텐서만 받는데",
    ),
    "optimizer_of_nothing": (
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layers = [nn.Linear(2, 2)]\nopt = torch.optim.SGD(Net().parameters(), lr=0.1)\n",
        "nn.ModuleList",
        "파이썬 리스트",
    ),
    "bce_of_scores": (
        "F.binary_cross_entropy(torch.tensor([2.0]), torch.tensor([1.0]))\n",
        "binary_cross_entropy_with_logits",
        "torch.sigmoid",
    ),
    "grad_of_an_input_without_grad": (
        "x = torch.ones(2)\nw = torch.ones(2, requires_grad=True)\ntorch.autograd.grad((w * x).sum(), [x])\n",
        "requires_grad=True",
        "requires_grad_()",
    ),
    "embedding_index": ("emb = nn.Embedding(3, 2)\nemb(torch.tensor([5]))\n", "num_embeddings - 1", "어휘 크기"),
    "conv_channels": (
        "conv = nn.Conv2d(3, 4, 3)\nconv(torch.randn(1, 1, 8, 8))\n",
        "the layer expects 3 and the input has 1",
        "층은 3개를 기대하는데 입력에는 1개가",
    ),
}


@pytest.mark.parametrize("case", sorted(COMMON_ERRORS))
def test_a_common_error_gets_a_hint_with_its_own_details(case):
    code, en, ko = COMMON_ERRORS[case]
    hint = error_of(code)["hint"]
    assert hint is not None, case
    assert en in hint["en"] and ko in hint["ko"], hint


def test_a_saved_tensor_changed_in_place_names_the_line_that_changed_it():
    """PyTorch names the op whose saved output changed (`output 0 of Sigmoid`), not where: the hint finds the in-place
    op that made that version in the forward graph. Without such an op it stays general."""
    code = "a = torch.tensor([1.0, 2.0], requires_grad=True)\nb = a.sigmoid()\nb.mul_(2)\nb.sum().backward()\n"
    error = error_of(code)
    assert error["line"] == 4
    assert error["hint"]["en"].startswith("Line 3 (`b.mul_(2)`) changed `b` in place, which backward had saved")
    assert error["hint"]["ko"].startswith("3번 줄(`b.mul_(2)`)이 역전파가 쓰려고 저장해 둔 `b` 텐서를 제자리")
    leaf = error_of("w = torch.ones(2, requires_grad=True)\nx = w * 1\ny = x * x\nx.add_(1)\ny.sum().backward()\n")
    assert leaf["hint"]["en"].startswith("Line 4 (`x.add_(1)`) changed `x` in place")
    general = hint_for(
        {"type": "RuntimeError", "message": "has been modified by an inplace operation: [t] is at version 1"}
    )
    assert general is not None and general["en"].startswith("A tensor that backward needs (a saved tensor)")


def test_an_rnn_state_of_another_batch_and_autograd_grad_twice_get_hints_that_fit():
    """h0 made for a batch of 2 under an input of 1 was told to add a layers axis it had; a second
    torch.autograd.grad through a freed graph was told of `y.backward()` and of loops, not of its line 3."""
    rnn = error_of("rnn = nn.RNN(3, 5, batch_first=True)\nout, h = rnn(torch.randn(1, 4, 3), torch.zeros(1, 2, 5))\n")
    assert rnn["hint"]["en"].startswith("The initial state's batch (its axis 1) is 2, where the layer and its input")
    assert "torch.zeros(1, 1, 5)" in rnn["hint"]["ko"] and "unsqueeze" not in rnn["hint"]["en"]
    twice = error_of(
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\ng1, = torch.autograd.grad(y, x)\n"
        "g2, = torch.autograd.grad(y, x)\n"
    )
    assert twice["hint"]["en"].startswith("Line 3 already went backward through this graph")
    assert "3번 줄에서 이미" in twice["hint"]["ko"]


@pytest.mark.parametrize(
    ("source", "said_en", "said_ko"),
    [
        ("losses = []\nlossses.append(1)\n", "did you mean losses?", "losses를 쓰려던 것인가요?"),
        ("a = np.zeros(3)\n", "Add `import numpy as np` at the top.", "np를 import하지 않고 썼습니다."),
        (
            "def f():\n    q = 1\nf()\nprint(q)\n",
            "a name made inside a function is not seen",
            "함수 안에서 만든 이름은",
        ),
        ("Loss = 1\nprint(loss)\n", "did you mean Loss?", "Loss를 쓰려던 것인가요?"),
        ("X = torch.ones(2)\ny = x * 2\n", "did you mean X?", "X를 쓰려던 것인가요?"),
    ],
)
def test_a_name_not_defined_is_explained_with_the_name_meant_or_the_import_it_needs(source, said_en, said_ko):
    """A NameError had no hint: a Korean learner saw only Python's English words. It says which name was meant (a
    close one the snippet wrote), or the import a common name needs (gradwalk imports torch, nn and F only)."""
    run = capture(source, **CAPTURE)
    assert run["error"]["type"] == "NameError"
    hint = run["error"]["hint"]
    assert said_en in hint["en"] and said_ko in hint["ko"], hint


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ('steps = int(input("steps? "))\n', "input() waits for someone to type a line"),
        ("x = torch.ones(2, requires_grad=True)\nbreakpoint()\nprint(x)\n", "breakpoint() (or pdb.set_trace())"),
        ("import pdb\npdb.set_trace()\n", "breakpoint() (or pdb.set_trace())"),
    ],
)
def test_code_that_waits_for_a_keyboard_is_told_the_server_has_none(code: str, said: str, monkeypatch):
    """input() ends in `EOFError: EOF when reading a line` and the debugger in BdbQuit, with nothing to say why. The
    sandbox gives a snippet an empty standard input, and so does this test: run with pytest's debugger, the snippet's
    waited for a developer who ran the tests at a terminal to type."""

    def set_trace(*, header: str | None = None) -> None:  # (pdb's, reading an empty input, as in the sandbox)
        pdb.Pdb(stdin=io.StringIO(), stdout=io.StringIO()).set_trace(sys._getframe().f_back)

    monkeypatch.setattr(sys, "stdin", io.StringIO())
    monkeypatch.setattr(pdb, "set_trace", set_trace)
    error = error_of(code)
    assert error["type"] == ("EOFError" if "input(" in code else "BdbQuit"), error
    hint = hint_for(error, code)
    assert hint is not None and hint["en"].startswith(said) and "키보드" in hint["ko"]


@pytest.mark.parametrize(
    ("code", "call"),
    [
        ("criterion = nn.CrossEntropyLoss\nloss = criterion(out, y)\n", "criterion(...)"),
        ("loss = nn.MSELoss(out, y.float().unsqueeze(1).expand(5, 3))\n", "nn.MSELoss(...)"),
    ],
)
def test_a_loss_class_called_with_tensors_says_to_make_the_loss_first(code, call):
    """`criterion = nn.CrossEntropyLoss` without brackets, then `criterion(out, y)` (or `nn.MSELoss(pred, y)`): the
    tensors become the constructor's settings and torch raises "Boolean value of Tensor ... is ambiguous" there. The
    hint spoke of if/while/and/or, which the line has none of; it now says the class must be made first."""
    setup = "out = nn.Linear(4, 3)(torch.randn(5, 4))\ny = torch.tensor([0, 2, 1, 1, 0])\n"
    error = error_of(setup + code)
    assert (
        error["type"] == "RuntimeError"
        and "ambiguous" in error["message"]
        and error["line"] == setup.count("\n") + code.count("\n")
    )
    loss = re.search(r"nn\.(\w+)", code)[1]
    assert f"criterion = nn.{loss}()" in error["hint"]["en"] and call in error["hint"]["en"]
    assert f"nn.{loss}()" in error["hint"]["ko"] and "클래스" in error["hint"]["ko"]
    assert "(x > 0).all()" not in error["hint"]["en"]


def test_an_ambiguous_tensor_in_an_if_keeps_the_general_hint_beside_a_loss_class():
    """A loss class bound without brackets elsewhere in the snippet does not take over the hint of an `if` on a
    tensor: only a line that calls the class gets the loss hint."""
    error = error_of("criterion = nn.L1Loss\nx = torch.randn(3)\nif x > 0:\n    pass\n")
    assert "(x > 0).all()" in error["hint"]["en"] and "L1Loss" not in error["hint"]["en"]


def test_gloo_finding_no_address_in_the_sandbox_gets_the_one_process_hint():
    """init_process_group("gloo", init_method="file://...") needs no socket to start, but gloo then finds no address
    to use in the sandbox's network namespace: "Cannot resolve 127.0.0.1 to a (local) address" had no hint."""
    hint = hint_for({"type": "RuntimeError", "message": "Cannot resolve 127.0.0.1 to a (local) address", "line": 9})
    assert hint is not None and "DDP(model)" in hint["en"] and "샌드박스" in hint["ko"]


def test_shared_memory_the_sandbox_refuses_gets_a_hint_to_train_in_one_process():
    """Hogwild training: model.share_memory() then mp.Process workers. The sandbox has no /dev/shm for the tensors,
    and torch's RuntimeError ("unable to open shared memory object ... Permission denied") had no hint."""
    message = "unable to open shared memory object </torch_4_4082130113_0> in read-write mode: Permission denied (13)"
    hint = hint_for({"type": "RuntimeError", "message": message, "line": 28})
    assert hint is not None and "share_memory()" in hint["en"] and "Hogwild" in hint["ko"] and "샌드박스" in hint["ko"]


def test_rsample_of_a_distribution_without_one_says_what_to_use_instead():
    """MixtureSameFamily (like Categorical) has no rsample: torch raises a NotImplementedError with no message, which
    had no hint."""
    error = error_of(
        "import torch.distributions as D\nmix = D.Categorical(logits=torch.zeros(3))\n"
        "dist = D.MixtureSameFamily(mix, D.Normal(torch.zeros(3), torch.ones(3)))\nz = dist.rsample()\n"
    )
    assert (error["type"], error["line"]) == ("NotImplementedError", 4)
    assert (
        "has_rsample" in error["hint"]["en"]
        and "sample()" in error["hint"]["en"]
        and "REINFORCE" in error["hint"]["ko"]
    )


@pytest.mark.parametrize(
    ("code", "op", "said"),
    [
        ("y = torch.unique(x)\ny.sum().backward()\n", "_unique2", "no derivative"),
        (
            "b = F.embedding_bag(torch.tensor([0, 1, 2]), x, torch.tensor([0, 1]))\n"
            "g, = torch.autograd.grad(b.pow(2).sum(), x, create_graph=True)\ng.sum().backward()\n",
            "_embedding_bag_backward",
            "nn.Embedding",
        ),
    ],
)
def test_a_derivative_pytorch_does_not_implement_gets_a_hint(code, op, said):
    """ "the derivative for '...' is not implemented" had no hint; one that is itself a backward (differentiated again
    through create_graph=True) says so, and embedding_bag's names what computes the same bags twice-differentiably."""
    error = error_of("x = torch.randn(3, 2, requires_grad=True)\n" + code)
    assert error["type"] == "NotImplementedError" and op in error["message"]
    assert op in error["hint"]["en"] and said in error["hint"]["en"] and op in error["hint"]["ko"]
    assert ("create_graph" in error["hint"]["en"]) == op.endswith("_backward")


def test_an_attribute_error_inside_a_modules_property_says_the_property_hid_it():
    """nn.Module.__getattr__ answers an AttributeError raised inside a property's code by saying the property itself
    is missing ("'Model' object has no attribute 'scale'" for a typo in scale's body): that had no hint."""
    code = (
        "class Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(3, 2)\n\n"
        "    @property\n    def scale(self):\n        return self.fc.weight.norm() / self.temprature\n\n"
        "    def forward(self, x):\n        return self.fc(x) * self.scale\n\n\nout = Model()(torch.randn(1, 3))\n"
    )
    error = error_of(code)
    assert error["type"] == "AttributeError" and "'scale'" in error["message"]
    assert "property (line 7)" in error["hint"]["en"] and "__getattr__" in error["hint"]["en"]
    assert "7번 줄" in error["hint"]["ko"] and "scale이" in error["hint"]["ko"]
    plain = error_of("class Model(nn.Module):\n    pass\n\n\nModel().scale\n")
    assert plain["hint"] is None or "property" not in plain["hint"]["en"]


def test_integer_labels_given_to_bce_say_to_make_the_target_float():
    """nn.BCELoss with labels written torch.tensor([1, 0, 1, 1]) raises "Found dtype Long but expected Float", which
    had no hint."""
    error = error_of(
        "pred = torch.sigmoid(nn.Linear(2, 1)(torch.randn(4, 2)).squeeze(1))\ny = torch.tensor([1, 0, 1, 1])\n"
        "criterion = nn.BCELoss()\nloss = criterion(pred, y)\n"
    )
    assert (error["type"], error["line"]) == ("RuntimeError", 4) and "Found dtype Long" in error["message"]
    assert "target.float()" in error["hint"]["en"] and "target.float()" in error["hint"]["ko"]


@pytest.mark.parametrize(("inputs", "target", "said"), [("", ".double()", "Double을"), (".double()", "", "Float를")])
def test_a_float_target_of_another_precision_is_not_called_integer_labels(inputs, target, said):
    """BCELoss with a float64 target (a NumPy array's floats) raises "Found dtype Double but expected Float": the hint
    said the labels were integers written as torch.tensor([0, 1]), and its Korean wrote "Float을" (플로트를)."""
    error = error_of(
        f"pred = torch.sigmoid(torch.randn(4{', dtype=torch.float64' if inputs else ''}, requires_grad=True))\n"
        f"y = torch.tensor([1.0, 0.0, 1.0, 1.0]){target}\nloss = nn.BCELoss()(pred, y)\n"
    )
    assert "Found dtype" in error["message"] and error["hint"] is not None, error
    assert "integer" not in error["hint"]["en"] and "정수" not in error["hint"]["ko"], error["hint"]
    assert said in error["hint"]["ko"] and "float64" in error["hint"]["en"], error["hint"]


def test_an_lstms_states_unpacked_flat_say_to_unpack_them_in_brackets():
    """`out, h, c = lstm(x)`: nn.LSTM returns (output, (h_n, c_n)), and Python's "not enough values to unpack
    (expected 3, got 2)" had no hint; any other such unpacking keeps none."""
    error = error_of("lstm = nn.LSTM(3, 4, batch_first=True)\nout, h, c = lstm(torch.randn(2, 5, 3))\n")
    assert error["type"] == "ValueError" and "out, (h_n, c_n) = lstm(x)" in error["hint"]["en"]
    assert "out, (h_n, c_n)" in error["hint"]["ko"]
    assert error_of("a, b, c = (1, 2)\n")["hint"] is None


@pytest.mark.parametrize("use", ["best.sum()", "F.relu(best)", "(best - scores).abs()", "best.shape"])
def test_max_with_a_dim_used_as_a_tensor_says_to_take_its_values(use):
    """`best = scores.max(dim=1)` is (values, indices): using it as a tensor raised errors naming
    torch.return_types.max, with no hint."""
    error = error_of(f"scores = torch.randn(3, 4)\nbest = scores.max(dim=1)\nout = {use}\n")
    assert "torch.return_types.max" in error["message"]
    assert "(values, indices)" in error["hint"]["en"] and "result.values" in error["hint"]["en"]
    assert "(values, indices)" in error["hint"]["ko"]


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("w = torch.randn(3, 2)\nx = torch.randn(3)\ny = torch.mm(x, w)\n", "x.unsqueeze(0)"),
        ("w = torch.randn(3)\nx = torch.randn(2, 3)\ny = x.mm(w)\n", "torch.matmul"),
        ("a = torch.randn(2, 3)\nb = torch.randn(3, 4)\nc = torch.bmm(a, b)\n", "(batch, n, m)"),
    ],
)
def test_mm_and_bmm_given_the_wrong_number_of_dimensions_say_what_takes_them(code, said):
    """torch.mm with a vector ("self must be a matrix", "mat2 must be a matrix") and torch.bmm with matrices
    ("batch1 must be a 3D tensor") had no hint."""
    error = error_of(code)
    assert error["type"] == "RuntimeError" and said in error["hint"]["en"] and said in error["hint"]["ko"]


def test_a_comparison_with_max_dims_pair_says_it_compared_whole_objects():
    """`predicted = logits.max(dim=1)` then `(predicted == labels).sum()`: the pair == a tensor is one Python bool,
    and "'bool' object has no attribute 'sum'" had no hint."""
    error = error_of(
        "logits = torch.randn(4, 3)\nlabels = torch.tensor([0, 2, 1, 1])\npredicted = logits.max(dim=1)\n"
        "correct = (predicted == labels).sum()\n"
    )
    assert error["type"] == "AttributeError" and "x.argmax(dim=1)" in error["hint"]["en"]
    assert "x.argmax(dim=1)" in error["hint"]["ko"]
    assert error_of("flag = True\nflag.sum()\n")["hint"] is None


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("torch.linalg.eigh(A @ A.T).sum()", "result.eigenvalues (or eigenvalues, eigenvectors = torch.linalg.eigh("),
        ("torch.linalg.slogdet(A).exp()", "result.sign (or sign, logabsdet = torch.linalg.slogdet("),
        ("torch.aminmax(A).abs()", "result.min (or min, max = torch.aminmax("),
    ],
)
def test_a_named_tuple_of_other_fields_used_as_a_tensor_names_its_own_fields(code, said):
    """torch.linalg.eigh(...).sum() was told that eigh 'with a dim returns (values, indices)' and to take
    result.values, which it has not: a named tuple of other fields gets them, as torch.return_types gives them."""
    error = error_of(f"A = torch.randn(3, 3)\nB = {code}\n")
    assert "torch.return_types" in error["message"], error
    assert said in error["hint"]["en"] and said.split(" (")[0] in error["hint"]["ko"], error["hint"]
    assert "indices" not in error["hint"]["en"] and "dim" not in error["hint"]["en"], error["hint"]


@pytest.mark.parametrize(
    ("code", "en", "ko"),
    [
        (
            "h = torch.ones(3) * 2\nW = torch.ones(4, 2)\nout = h @ W\n",
            "Here h (on the left) has 3 columns and W (on the right) 4 rows. Print both shapes (h.shape, W.shape)",
            "여기서는 왼쪽 h의 열 수가 3, 오른쪽 W의 행 수가 4입니다. 두 텐서의 모양(h.shape, W.shape)",
        ),
        (
            "a = torch.ones(2, 5)\nb = torch.ones(3, 2)\nc = torch.mm(a, b)\n",
            "Here a (on the left) has 5 columns and b (on the right) 3 rows.",
            "여기서는 왼쪽 a의 열 수가 5, 오른쪽 b의 행 수가 3입니다.",
        ),
        (
            "X = torch.ones(2, 3)\nW = torch.ones(3, 4)\nlayer = nn.Linear(5, 1)\nout = layer(X @ W)\n",
            "Here the left has 4 columns and the right 5 rows. In a model",
            "여기서는 왼쪽의 열 수가 4, 오른쪽의 행 수가 5입니다. 모델에서는",
        ),
    ],
)
def test_a_matrix_product_that_fails_on_the_line_names_its_two_tensors(code, en, ko):
    """`out = h @ W` was told of "a layer's in_features" and to print x.shape, a name it does not have: the product the
    line writes names its two tensors, where their sizes are the error's (a layer's inside the line keeps the rest)."""
    hint = error_of(code)["hint"]
    assert en in hint["en"] and ko in hint["ko"], hint


@pytest.mark.parametrize(
    ("code", "ko"),
    [
        ("c = torch.ones(2, 2) + torch.ones(2, 3)\n", "1번 축의 크기가 2, 3으로 서로 다릅니다"),
        ("conv = nn.Conv2d(1, 4, 3)\nout = conv(torch.ones(28))\n", "[28]이 들어왔습니다"),
        (
            "class Square(torch.autograd.Function):\n    @staticmethod\n"
            "    def forward(ctx, x):\n        return x * x\n"
            "    @staticmethod\n    def backward(ctx, g):\n        return g.sum()\n"
            "x = torch.ones(3, requires_grad=True)\nSquare.apply(x).sum().backward()\n",
            "SquareBackward가 0번 입력",
        ),
        (
            "rnn = nn.RNN(3, 4, batch_first=True)\nh0 = torch.zeros(1, 5, 4)\nout, h = rnn(torch.ones(2, 6, 3), h0)\n",
            "h0을 만드세요",
        ),
    ],
)
def test_a_hints_korean_particle_after_a_number_or_name_follows_its_reading(code, ko):
    """`2, 3로` (삼으로), `SquareBackward이` (백워드가), `[28]가` (팔이), `h0를` (영을): the particles were written
    for one reading; they follow what each fills in."""
    hint = error_of(code)["hint"]
    assert ko in hint["ko"], hint["ko"]


@pytest.mark.parametrize(
    ("code", "en", "ko"),
    [
        (
            "w = torch.ones(2, requires_grad=True)\nfor x in [torch.ones(2), torch.ones(3)]:\n"
            "    loss = (w * x).sum() ** 2\n",
            "Here w has 2 and x 3 on axis 0. Print both shapes (w.shape, x.shape)",
            "여기서는 0번 축에서 w의 크기가 2, x의 크기가 3입니다. 두 텐서의 모양(w.shape, x.shape)",
        ),
        (
            "a = torch.ones(4, 3)\nb = torch.ones(2, 1)\nc = a - b\n",
            "Here a has 4 and b 2 on axis 0.",
            "여기서는 0번 축에서 a의 크기가 4, b의 크기가 2입니다.",
        ),
        (
            "a = torch.ones(3)\nb = torch.ones(3)\nc = a + b * torch.ones(2)\n",
            "Here axis 0 has sizes 3 and 2. Print both shapes (x.shape)",
            "여기서는 0번 축의 크기가 3, 2로 서로 다릅니다.",
        ),
    ],
)
def test_an_element_wise_operation_that_fails_on_the_line_names_its_two_tensors(code, en, ko):
    """`loss = (w * x).sum() ** 2` was told to print x.shape: the operation the line writes between two names names
    them (a loop's x by its alias), where their sizes are the error's; else the sizes alone, as before."""
    hint = error_of(code)["hint"]
    assert en in hint["en"] and ko in hint["ko"], hint


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("vecs = emb(idx)", "idx"),
        ("vecs = F.embedding(batch.tokens, emb.weight)", "batch.tokens"),
        ("emb(idx + 1)", "x"),
    ],
)
def test_the_embedding_index_hint_checks_the_index_the_line_looked_up_with(line, name):
    """An embedding index past the last row: the hint said to check `x.max()` whatever the index was called."""
    code = (
        "class B: pass\nbatch = B()\nemb = nn.Embedding(4, 2)\nidx = torch.tensor([1, 4])\nbatch.tokens = idx\n"
        f"{line}\n"
    )
    hint = error_of(code)["hint"]
    assert f"check the largest index ({name}.max())" in hint["en"] and f"가장 큰 인덱스({name}.max())" in hint["ko"]


@pytest.mark.parametrize(
    ("code", "line", "said_en", "said_ko"),
    [
        (
            "loss = (torch.ones(2, requires_grad=True) * 2).sum()\nprint(loss.data[0])\n",
            2,
            "loss.item()",
            "loss.item()",
        ),
        ("xs = []\nfor x in []:\n    xs.append(x)\nbatch = torch.stack(xs)\n", 4, "was empty", "비어 있습니다"),
        ("parts = []\nwhole = torch.cat(parts)\n", 2, "was empty", "비어 있습니다"),
        ("x = torch.ones(2, device='gpu')\n", 1, "'gpu' is not a device name", "'gpu'는 장치 이름이 아닙니다"),
        ("x = torch.ones(2).to('cuda0')\n", 1, "'cuda0' is not a device name", "'cuda0'은 장치 이름이 아닙니다"),
    ],
    ids=["zero-dim-index", "empty-stack", "empty-cat", "gpu", "cuda0"],
)
def test_common_slips_get_a_hint_on_their_line(code, line, said_en, said_ko):
    """Errors real snippets hit that had no hint: old PyTorch's `loss.data[0]`, an empty list given to torch.stack or
    torch.cat (a loop that never ran), and a device written 'gpu' or 'cuda0'."""
    error = error_of(code)
    assert error["line"] == line
    assert said_en in error["hint"]["en"] and said_ko in error["hint"]["ko"]


def test_the_unused_input_hint_names_the_input_as_the_call_wrote_it():
    """`torch.autograd.grad(z, [x, y])` with y unused: the hint said `inputs[1]`, and the learner had to count; it
    names y (a list or tuple written in the call; not one unpacked into it, `[*params, y]`)."""
    code = "x = torch.tensor(1.0, requires_grad=True)\ny = torch.tensor(2.0, requires_grad=True)\nz = x * 3\n"
    hint = error_of(code + "gx, gy = torch.autograd.grad(z, [x, y])\n")["hint"]
    assert "with respect to y (inputs[1])," in hint["en"] and "y (inputs[1])에 대한" in hint["ko"]
    hint = error_of(code + "ps = [x]\ngx, gy = torch.autograd.grad(outputs=z, inputs=(*ps, y))\n")["hint"]
    assert "with respect to inputs[1]," in hint["en"]


@pytest.mark.parametrize(
    ("change", "line", "written"),
    [
        ("with torch.no_grad():\n    w += 1\n", 4, "w += 1"),
        ("w.detach().mul_(2)\n", 3, "w.detach().mul_(2)"),  # (through an alias sharing w's memory)
        ("opt = torch.optim.SGD([w], lr=0.1)\nw.grad = torch.ones(2)\nopt.step()\n", 5, "opt.step()"),
    ],
)
def test_the_saved_tensor_hint_names_the_line_that_changed_a_saved_leaf(change, line, written):
    """A leaf saved by `w * w`, changed in place before backward: torch's message names no op ("[torch.FloatTensor
    [2]] is at version 1"), and the hint said only that a saved tensor was changed. It names the line, where one
    in-place op moved a tensor of that shape to that version; two did, and it names none."""
    code = "w = torch.ones(2, requires_grad=True)\ny = (w * w).sum()\n" + change + "y.backward()\n"
    hint = error_of(code)["hint"]
    assert hint["en"].startswith(f"Line {line} (`{written}`) changed `w` in place"), hint["en"]
    assert hint["ko"].startswith(f"{line}번 줄(`{written}`)이 역전파가 쓰려고 저장해 둔 `w` 텐서를")
    two = "v = torch.ones(2, requires_grad=True)\ny = (w * v).sum()\nwith torch.no_grad():\n    w += 1\n    v += 1\n"
    hint = error_of("w = torch.ones(2, requires_grad=True)\n" + two + "y.backward()\n")["hint"]
    assert hint["en"].startswith("A tensor that backward needs (a saved tensor) was changed in place")


def test_the_non_scalar_hint_of_autograd_grad_speaks_of_grad_outputs_not_backward():
    """`torch.autograd.grad(y, x)` of a vector y: the hint said to call y.backward(torch.ones_like(y)), another call
    than the one that failed; it says to pass grad_outputs."""
    hint = error_of("x = torch.ones(3, requires_grad=True)\ny = x * 2\n(g,) = torch.autograd.grad(y, x)\n")["hint"]
    assert "grad_outputs=torch.ones_like(y)" in hint["en"] and "backward(" not in hint["en"]
    assert "y 텐서에는 값이 여러 개 있습니다" in hint["ko"] and "grad_outputs로 넘기거나" in hint["ko"]
    hint = error_of("x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n")["hint"]
    assert "y.backward(torch.ones_like(y))" in hint["en"]


def test_the_no_graph_hint_names_the_library_call_that_cut():
    """`sd = lin.state_dict()`, then a loss of `sd["weight"]`: state_dict() detaches what it returns, and the hint said
    the tensors were cut off by .detach(), which the code never wrote."""
    hint = error_of('lin = nn.Linear(2, 1)\nsd = lin.state_dict()\nloss = (sd["weight"] * 2).sum()\nloss.backward()\n')[
        "hint"
    ]
    assert "by state_dict() → .detach()" in hint["en"] and "state_dict() → .detach()" in hint["ko"]
    own = error_of("w = torch.ones(2, requires_grad=True)\nv = w.detach()\nloss = (v * 2).sum()\nloss.backward()\n")
    assert "by .detach()" in own["hint"]["en"]  # (the code's own: as before)


def test_a_deepcopy_of_a_pruned_model_says_what_pruning_keeps():
    """`copy.deepcopy(net)` after `prune.random_unstructured(net[0], ...)`: the pruned module's weight is an op's
    result (weight_orig * weight_mask), and the hint spoke only of a forward's cached output and weight_norm."""
    code = (
        "import copy\nimport torch.nn.utils.prune as prune\nnet = nn.Sequential(nn.Linear(4, 3))\n"
        'prune.random_unstructured(net[0], name="weight", amount=0.5)\nclone = copy.deepcopy(net)\n'
    )
    error = error_of(code)
    assert (error["type"], error["line"]) == ("RuntimeError", 5)
    assert "weight_orig * weight_mask" in error["hint"]["en"] and "prune.remove(module" in error["hint"]["en"]
    assert "가지치기" in error["hint"]["ko"]
    cached = error_of("import copy\nlin = nn.Linear(2, 1)\nlin.cache = lin(torch.ones(1, 2))\ncopy.deepcopy(lin)\n")
    assert "self.cache = out.detach()" in cached["hint"]["en"]  # (no pruning: as before)


def test_a_second_backward_after_a_gradient_penalty_grad_says_create_graph():
    """A gradient penalty's torch.autograd.grad(out, interp, ...) without create_graph=True, then the critic's
    loss.backward(): the hint spoke of a loop's carried hidden state, in a snippet with no loop, and not of the grad()
    call that freed the graph."""
    code = (
        "D = nn.Linear(2, 1)\ninterp = torch.randn(3, 2, requires_grad=True)\nout = D(interp).tanh()\n"
        "grads = torch.autograd.grad(\n    out, interp, grad_outputs=torch.ones_like(out)\n)[0]\n"
        "gp = ((grads.norm(2, dim=1) - 1) ** 2).mean()\nloss = -out.mean() + 10 * gp\nloss.backward()\n"
    )
    error = error_of(code)
    assert (error["type"], error["line"]) == ("RuntimeError", 9)
    assert "Line 4 went backward" in error["hint"]["en"] and "create_graph=True" in error["hint"]["en"]
    assert "4번 줄의 torch.autograd.grad에 create_graph=True" in error["hint"]["ko"]
    kept = code.replace("torch.ones_like(out)\n", "torch.ones_like(out), retain_graph=True,\n").replace(
        "loss.backward()\n", "loss.backward()\nloss.backward()\n"
    )
    assert "Line 4 went backward" not in error_of(kept)["hint"]["en"]  # (a graph the call kept: not that call)


def test_a_multiprocessing_lock_the_sandbox_refused_is_said_to_need_shared_memory():
    """`lock = mp.Lock()` raises PermissionError in the sandbox, which gives no /dev/shm: the hint said the snippet
    cannot start processes, where it started none."""
    code = "import multiprocessing as mp\n\nlock = mp.Lock()\nwith lock:\n    x = torch.ones(2)\n"
    error = {"type": "PermissionError", "message": "[Errno 13] Permission denied", "line": 3}
    hint = hint_for(error, code)
    assert "/dev/shm" in hint["en"] and "threading.Lock" in hint["en"] and "/dev/shm" in hint["ko"]
    started = hint_for(
        {**error, "line": 4}, "import multiprocessing as mp\n\nwith mp.Pool(2) as pool:\n    pool.map(abs, [1])\n"
    )
    assert "cannot start processes" in started["en"]  # (a pool starts processes: as before)


def test_an_op_error_in_a_compiled_function_says_plain_torch_reports_it_while_compiling():
    """An op's error inside a function compiled with torch.compile: gradwalk runs it eagerly, on its line, where plain
    torch compiles it first and raises a TorchRuntimeError on the calling line; the hint said nothing of why the two
    differ. Said of the decorator and of `torch.compile(name)` both, and of no function it did not compile."""
    code = (
        "@torch.compile\ndef project(x, w):\n    h = x @ w\n    return h.relu()\n\n\n"
        "out = project(torch.randn(2, 3), torch.randn(4, 5))\n"
    )
    error = {"type": "RuntimeError", "message": "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", "line": 3}
    hint = hint_for(error, code)
    assert "gradwalk runs project(), compiled with torch.compile" in hint["en"] and "TorchRuntimeError" in hint["en"]
    assert "A matrix product needs" in hint["en"] and "project()를 기록하려고" in hint["ko"]
    called = code.replace("@torch.compile\n", "").replace(
        "out = project(", "fast = torch.compile(project)\nout = fast("
    )
    assert "TorchRuntimeError" in hint_for(error, called)["en"]
    assert "TorchRuntimeError" not in hint_for(error, code.replace("@torch.compile\n", ""))["en"]
    assert "TorchRuntimeError" not in (hint_for({**error, "type": "ValueError"}, code) or {"en": ""})["en"]


@pytest.mark.parametrize(
    ("made", "listed"),
    [("x = x.to(torch.float16)", "[x]"), ("x = x * 0.01", "[b, x]"), ("x = x.double()", '[{"params": [x]}]')],
)
def test_the_non_leaf_optimized_hint_names_the_tensor_and_the_line_that_made_it(made, listed):
    """`x = x.to(torch.float16)` on a leaf, then `SGD([x])`: the hint said only that `torch.randn(3, requires_grad=True)
    * 0.01 is the product`, code the snippet never had; a leaf listed before it (b) is not the one."""
    code = "b = torch.zeros(2, requires_grad=True)\nx = torch.randn(2, requires_grad=True)\n"
    code += f"{made}\nopt = torch.optim.SGD({listed}, lr=0.1)\n"
    hint = error_of(code)["hint"]
    assert f"x is the result of an op, made on line 3 (`{made}`)" in hint["en"], hint["en"]
    assert f"x 텐서는 3번 줄(`{made}`)에서" in hint["ko"] and "is the product" not in hint["en"]
    # (a list named on another line: the words for any)
    other = error_of("w = torch.ones(2, requires_grad=True) * 2\nparams = [w]\nopt = torch.optim.SGD(params, lr=1)\n")
    assert other["hint"]["en"].startswith("An optimizer changes its tensors in place, so it takes leaf tensors only")


def test_the_second_backward_hint_names_a_tensor_made_with_a_graph_before_the_loop():
    """PPO's `old_logp = dist.log_prob(actions)` made before the epochs loop, with the policy's graph: the hint spoke of
    an RNN's hidden state and a running total carried over from the previous step, and named nothing."""
    code = (
        "w = torch.randn(3, requires_grad=True)\n"
        "x = torch.randn(4, 3)\n"
        "old = torch.sigmoid(x @ w)\n"
        "for epoch in range(2):\n"
        "    new = torch.sigmoid(x @ w)\n"
        "    loss = (new / old).mean()\n"
        "    loss.backward()\n"
    )
    hint = error_of(code)["hint"]
    assert hint["en"].startswith("old, made on line 3 before the loop on line 4, still holds the graph"), hint["en"]
    assert "add .detach() to line 3's expression" in hint["en"] and "hidden state" not in hint["en"]
    assert hint["ko"].startswith("old 텐서는 반복문(4번 줄)보다 앞선 3번 줄에서")
    # (a tensor carried from the previous step itself, made inside the loop: the words for that)
    carried = code.replace("old = torch.sigmoid(x @ w)\n", "old = torch.ones(4)\n").replace(
        "    loss.backward()\n", "    loss.backward()\n    old = new\n"
    )
    assert "hidden state" in error_of(carried)["hint"]["en"]
