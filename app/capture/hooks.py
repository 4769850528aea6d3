"""The backward side: every autograd node reachable from a recorded tensor, found while its saved values still
exist, with a post hook that keeps the gradients passing through it and when it ran.

One hook serves every node (torch says which node runs). Gradients are kept as views (`_view`), so that autograd
hands a leaf its first gradient as it does without gradwalk, and by reference when they take part in a graph; an
AccumulateGrad node also gets a pre hook, because autograd adds into a leaf's existing `.grad` in place, which
would otherwise change gradients kept from earlier passes.
"""

import contextlib
import copy
import functools
import inspect
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch._C import TensorBase  # (its methods: a wrapper the snippet put on torch.Tensor is never called)

from .peek import runs_own_dispatch
from .saved import Saved, read_saved
from .summary import Summaries, Summary, unreadable
from .torch_internals import (
    DisableTorchDispatch,
    DisableTorchFunction,
    GradMode,
    current_node,
    current_task,
    is_wrapped,
    node_name,
    ones_like,
)
from .values import Kept, Values, grad_fn_of, version_of

Grads = tuple[Kept | Summary | None, ...]
RootGrads = dict[Any, dict[int, torch.Tensor]]  # root node -> output number -> the gradient a call starts it with
# one of the snippet's backward calls: "backward" or "grad", where it starts, and whether it asked for the gradients
# of chosen inputs only (autograd.grad, backward's inputs=)
Call = tuple[str, RootGrads, bool]
LARGE_KEPT_VALUES = 32_000_000  # values of large gradients a run keeps alive for explanations (128 MiB of float32)


class BackwardRecord:
    """What is known of one autograd node: its gradients as the hook received them in the last pass that ran it."""

    __slots__ = (
        "backward_pass",
        "earlier",
        "grad_before",
        "grad_in",
        "grad_out",
        "id",
        "later",
        "name",
        "next",
        "order",
        "received",
        "saved",
        "seeds",
        "sent",
    )

    def __init__(self, node_id: str, node: Any, values: Values):
        self.id = node_id
        self.name = node_name(node)
        self.next: tuple = node.next_functions  # the nodes it sends gradients to (never back to itself)
        self.saved: Saved | None = read_saved(node, values)
        self.grad_in: Grads = ()  # what it produced, one per `next` entry
        # what flowed on to `next` once the snippet's own post hooks on it replaced `grad_in` (None: they did not)
        self.sent: Grads | None = None
        self.grad_out: Grads = ()  # what it received, one per output of the forward op
        # what it received before the snippet's own pre hooks on it replaced that (None: they replaced nothing)
        self.received: Grads | None = None
        # what it received in a pass run unrecorded (the recording paused or stopped) after its last recorded one
        self.later: Grads | None = None
        self.order: int | None = None
        self.backward_pass: int | None = None
        # AccumulateGrad: its leaf's `.grad` just before the last pass added into it, as [value] (None: it had no
        # .grad); [] if it never ran
        self.grad_before: list[Kept | None] = []
        # pass -> {output number: gradient}: what the snippet's backward call itself started this node with in that
        # pass (the gradient it passed, or torch's implicit 1), beside what other nodes sent it
        self.seeds: dict[int, dict[int, Kept]] = {}
        # its runs in recorded passes before its last, oldest first, each a copy of this record as that run left it
        # (a leaf's AccumulateGrad runs in every pass of a training loop; `retain_graph=True` runs a graph again)
        self.earlier: list[BackwardRecord] | None = None

    def remember(self) -> None:
        """It is about to run again: its last run joins `earlier` (once, though a pass that raised began it)."""
        if self.order is None or (self.earlier and self.earlier[-1].backward_pass == self.backward_pass):
            return
        past = copy.copy(self)
        past.earlier = None
        if self.earlier is None:
            self.earlier = []
        self.earlier.append(past)

    @property
    def flowed(self) -> Grads:
        """What flowed from it to each `next` entry: what it produced, or what the snippet's post hooks made of it."""
        return self.grad_in if self.sent is None else self.sent


class Backward:
    """The autograd nodes of one run, by node (which keeps them alive until the run is released)."""

    def __init__(self, values: Values, summaries: Summaries, room: Callable[[], int], explained: int = 0):
        self.values = values
        # Gradients over Summaries.BATCH_ELEMENTS values are kept alive only for the first `explained` nodes of a pass
        # (those explained in full, if it is the last pass), within LARGE_KEPT_VALUES; the others are read at once.
        self.explained = explained
        self.large_left = LARGE_KEPT_VALUES
        self.summaries = summaries
        self.room = room  # how many more nodes the run may hold
        self.records: dict[Any, BackwardRecord] = {}
        self.passes = 0  # backward passes seen
        self.calls: list[str] = []  # what started each pass: "backward" or "grad" (torch.autograd.grad)
        self.chosen: set[int] = set()  # the passes whose call asked for chosen inputs' gradients only
        # the snippet's backward calls under way in each thread, innermost last (a CPU pass runs its nodes' hooks in the
        # thread that called it)
        self._calling: dict[int, list[Call]] = {}
        self.raised: dict[int, BaseException] = {}  # the passes that ended in an exception, and what it was
        # those of them that raised once a node had run, before its gradients went on (the snippet's post hook on it
        # raised, or anomaly mode found a NaN in what it made): no node received anything more in them
        self.raised_after: set[int] = set()
        self._tasks: dict[int, list[int]] = {}  # the engine's graph-task id -> [its pass number, next order in it]
        self._replaced: dict[Any, Grads] = {}  # node -> what it received before the snippet's pre hooks replaced it
        # AccumulateGrad -> what it is about to add: the snippet's post-accumulate-grad hooks run before the node's
        # post hook, and may change in place the `.grad` that is that very gradient (`p.grad.mul_(0.5)`)
        self._adding: dict[Any, Grads] = {}
        self.hook = self._ran  # one bound method, hooked on every node
        self.closed = False
        self.ended = False  # the snippet ended: a daemon thread's passes change nothing the Run is made from
        self.unrecorded: list[tuple[int, int]] = []  # sequence numbers of the nodes made while the recording paused
        # id(a leaf's .grad after an AccumulateGrad ran) -> (a weak reference to that tensor, the leaf): an optimizer's
        # step reads it, and the graphs call it `w.grad`, not `constant`
        self.grad_of: dict[int, tuple[weakref.ref, Any]] = {}
        # id(a gradient that flowed) -> (a weak reference to it, what gradwalk keeps of it: a view, `detach()`).
        # Autograd takes a gradient over as a leaf's .grad only if nothing else holds it (else it copies it): the
        # gradient reaches a node's hook, then the leaf's, as one Python object, so both keep the one view.
        self._views: dict[int, tuple[weakref.ref, torch.Tensor]] = {}
        # node never walked -> what reached it in the last pass run while the recording paused: the nodes of the
        # tensors the snippet had bound when that pass began (`pred`, `loss` of a long training loop's last step)
        self.paused_received: dict[Any, tuple[Kept | None, ...] | None] = {}

    def walk(self, root: Any, everything: bool = False) -> bool:
        """Add every node reachable from `root` not yet known, in the order found, without recursion (`everything`:
        through known nodes too, and those made while the recording paused). Returns False if the run's node limit
        stopped it."""
        records, hook, room = self.records, self.hook, self.room()
        stack = [((root, 0),)]  # next_functions tuples still to look through
        seen: set[Any] = set()
        while stack:
            for node, _ in stack.pop():
                if node is None:
                    continue
                if node in records:
                    if everything and node not in seen:
                        seen.add(node)
                        stack.append(records[node].next)
                    continue
                if not everything and self.unrecorded and any(a <= node._sequence_nr() < b for a, b in self.unrecorded):
                    continue  # (made in a pass that ran unrecorded: its run is unknown, and it may never run again)
                if room <= 0:
                    return False
                room -= 1
                record = records[node] = BackwardRecord(f"b{len(records)}", node, self.values)
                try:  # noqa: SIM105 (a plain try costs less than suppress(), once per node)
                    node.register_hook(hook)
                except (RuntimeError, AttributeError):  # a node kind without hooks: its grads stay unknown
                    pass
                if record.name == "AccumulateGrad":
                    node.register_prehook(self._before_accumulating)
                stack.append(record.next)
        return True

    def watch(self, tensors: Iterable[torch.Tensor]) -> None:
        """A pass is about to run while the recording is paused: what reaches the nodes of `tensors` (the snippet's
        bound tensors) that were never walked is kept (`paused_received`), each node hooked once; the nodes of
        tensors no longer bound are forgotten. A pre hook only looks: it keeps a view and its version (a gradient
        changed in place since shows nothing)."""
        watched: dict[Any, tuple[Kept | None, ...] | None] = {}
        for tensor in tensors:
            node = grad_fn_of(tensor)
            if node is None or node in self.records or node in watched:
                continue
            if node in self.paused_received:
                watched[node] = self.paused_received[node]
                continue
            watched[node] = None
            with contextlib.suppress(RuntimeError, AttributeError):  # (a node kind without hooks)
                node.register_prehook(self._received_paused)
        self.paused_received = watched

    def _received_paused(self, grad_outputs: tuple) -> None:
        node = current_node()
        if node is None or self.ended:
            return
        kept: list[Kept | None] = []
        with DisableTorchFunction(), DisableTorchDispatch():
            for grad in grad_outputs:
                if type(grad) is torch.Tensor and not is_wrapped(grad):
                    view = TensorBase.detach(
                        grad
                    )  # (not a reference to the gradient: autograd still takes it over as is)
                    kept.append(Kept(view, version_of(view)))
                else:
                    kept.append(None)
        self.paused_received[node] = tuple(kept)

    def _ran(self, grad_inputs: tuple, grad_outputs: tuple) -> None:
        """The post hook of every node: keeps what flowed out of the node (`grad_in`) and into it (`grad_out`), and
        when it ran."""
        if self.ended:
            return
        node = current_node()
        record = self.records.get(node)  # (none once the run is over and its records are released)
        if record is None:
            return
        if self.closed:  # a pass run unrecorded: what the node received is the gradient its tensor shows
            if record.name != "AccumulateGrad":  # (a leaf shows its .grad as the snippet ends)
                record.later = tuple(_copied(g) for g in grad_outputs)
            return
        record.later = None
        record.remember()
        # (autograd runs hooks with no torch function mode on: nothing here is recorded)
        task = self._tasks.get(current_task())
        if task is None:
            self.count_pass()
            task = self._tasks[current_task()] = [self.passes, 0]
        self.values.ran[task[0] - 1] += 1
        large = task[1] < self.explained
        adding = self._adding.pop(node, None) if self._adding else None
        record.grad_in = self._keep(grad_inputs, large)
        record.grad_out = adding if adding is not None else self._keep(grad_outputs, large)
        record.received = self._replaced.pop(node, None) if self._replaced else None
        record.sent = None
        if record.saved:
            self._as_used(record.saved)
        record.backward_pass, record.order = task
        task[1] += 1
        if record.name == "AccumulateGrad":
            leaf = node.variable
            grad = leaf.grad
            if grad is not None and id(grad) not in self.grad_of:
                self.grad_of[id(grad)] = (weakref.ref(grad, functools.partial(self._forget_grad, id(grad))), leaf)

    def _as_used(self, saved: Saved) -> None:
        """A saved tensor copied before a change that moved no version of its (a write through `.data` or a numpy
        array): backward used it as it is now, which is what the node keeps then (a change that moved its version
        would have made backward raise)."""
        for index, (name, value) in enumerate(saved):
            if type(value) is Kept and value.copy is not None and value.digest is None:
                live = value.tensor  # (a plain tensor only: comparing runs no subclass's code)
                if type(live) is torch.Tensor and version_of(live) == value.version and not _same(live, value.copy):
                    saved[index] = (name, self.values.keep(live))

    def _forget_grad(self, key: int, dead: weakref.ref) -> None:
        """A `.grad` seen was freed (`zero_grad()` sets them to None each step): its entry goes, so a long
        training loop keeps one per live gradient."""
        found = self.grad_of.get(key)
        if found is not None and found[0] is dead:
            del self.grad_of[key]

    def unwatch(self, tensors: tuple[torch.Tensor, ...]) -> list[tuple[dict, int, tuple]]:
        """Drop gradwalk's weak references to `tensors` (`torch.utils.swap_tensors` refuses a tensor that has any):
        what `rewatch` puts back once the swap is done (the same tensor objects, whatever data they hold then)."""
        dropped = []
        ids = {id(tensor) for tensor in tensors}
        for held in (self.grad_of, self._views):
            for tensor in tensors:
                entry = held.pop(id(tensor), None)
                if entry is not None:
                    dropped.append((held, id(tensor), entry[1:]))
        self.summaries.read = {key: entry for key, entry in self.summaries.read.items() if key not in ids}
        return dropped

    def rewatch(self, tensors: tuple[torch.Tensor, ...], dropped: list[tuple[dict, int, tuple]]) -> None:
        by_id = {id(tensor): tensor for tensor in tensors}
        for held, key, rest in dropped:
            tensor = by_id[key]
            forget = functools.partial(self._forget_grad, key) if held is self.grad_of else None
            held[key] = (weakref.ref(tensor, forget), *rest)

    def grad_owner(self, tensor: Any) -> Any:
        """The leaf whose `.grad` `tensor` was when an AccumulateGrad last wrote it, or None."""
        found = self.grad_of.get(id(tensor))
        return found[1] if found is not None and found[0]() is tensor else None

    def _keep(self, grads: tuple, large: bool) -> Grads:
        kept: list[Kept | Summary | None] = []
        every = self.values.kept
        for g in grads:
            if g is None:
                kept.append(None)
            elif type(g) is not torch.Tensor and runs_own_dispatch(g):  # (no view of it is made without its code,
                kept.append(self.summaries.digest(g))  # and one held would make autograd copy it into a leaf's .grad)
            elif (count := TensorBase.numel(g)) > Summaries.BATCH_ELEMENTS and not (large and count <= self.large_left):
                kept.append(self.summaries.digest(g))  # not kept alive: read now, `max_elements` values at most
            elif count > Summaries.BATCH_ELEMENTS:  # kept for its node's explanation (checked against it)
                self.large_left -= count
                if type(g) is torch.Tensor and not g.requires_grad and not is_wrapped(g):
                    g = self._view(g)  # (as a small one: held itself, autograd would copy it into a leaf's .grad)
                value = self.values.keep(g)  # (counted towards GRADWALK_KEEP_VALUES_MB: let go of in time)
                kept.append(value)
            else:  # (Values.keep, inlined: every gradient passes here)
                if type(g) is torch.Tensor and not g.requires_grad and not is_wrapped(g):
                    g = self._view(g)  # (a subclass may refuse weak references; vmap's batched tensors, a view)
                try:
                    value = Kept(g, g._version)
                except RuntimeError:  # an inference tensor: backward ran under inference_mode
                    value = Kept(g, -1)
                every.append(value)
                kept.append(value)
        return tuple(kept)

    def _view(self, grad: torch.Tensor) -> torch.Tensor:
        """What gradwalk keeps of a gradient: a view of it, one per gradient (see `_views`)."""
        found = self._views.get(id(grad))
        if found is not None and found[0]() is grad:
            return found[1]
        with DisableTorchFunction(), DisableTorchDispatch():  # (no mode or subclass of the snippet's sees it)
            view = TensorBase.detach(grad)
        self._views[id(grad)] = (weakref.ref(grad), view)
        return view

    def replaced(self, grad_outputs: tuple) -> None:
        """The snippet's pre hook on the node running now is about to run on `grad_outputs`, what the node
        received, and may replace them or change them in place: they are kept as they came in (the first such hook
        of a run says what came in)."""
        node = current_node()
        if not self.closed and node in self.records and node not in self._replaced:
            self._replaced[node] = self._keep(grad_outputs, False)

    def sent_on(self, grad_inputs: tuple) -> None:
        """The snippet's post hook on the node running now returned `grad_inputs` (or changed them in place): that is
        what flows on from it, while `grad_in` keeps what the node itself produced."""
        node = current_node()
        record = self.records.get(node) if not self.closed else None
        if record is not None:
            record.sent = self._keep(grad_inputs, (record.order or 0) < self.explained)

    def _before_accumulating(self, grad_outputs: tuple) -> None:
        """AccumulateGrad is about to add into its leaf's `.grad` in place: copy what was kept of it first."""
        if self.closed:
            return
        node = current_node()
        grad = node.variable.grad if node is not None else None
        record = self.records.get(node)
        if record is not None:  # (what the explanation adds to: `x.grad` already held 6, so 6 + 5 = 11)
            record.remember()
            record.grad_before = [None if grad is None else self.values.keep(grad)]
            task = self._tasks.get(current_task())
            self._adding[node] = self._keep(grad_outputs, task is None or task[1] < self.explained)
        if grad is not None:
            self.values.before_change(grad)

    def arrived(self) -> dict[Any, Grads]:
        """What reached each node that did not run in the last pass that sent it gradients (`torch.autograd.grad`
        stopped there, or backward raised in that node), per output of the forward op: the sum of what its senders
        sent in that pass. Its tensor shows it as the gradient that flowed into it; the node keeps the record of its
        last run. (AccumulateGrad is left out: a leaf it did not run for got no `.grad`; so is a node that a pass
        which raised never began: torch gave it nothing.)"""
        last = self.passes
        waiting = {
            node: record
            for node, record in self.records.items()
            if (record.order is None or (record.backward_pass or 0) < last) and record.name != "AccumulateGrad"
        }
        if not waiting:  # (the common case: every node ran in the last pass)
            return {}
        arrivals: dict[Any, dict[int, list]] = {}  # node -> input_nr -> [(pass, gradient sent there)]
        for sender in self.records.values():
            if sender.order is None:
                continue
            for k, (target, input_nr) in enumerate(sender.next):
                flowed = sender.flowed
                if target in waiting and k < len(flowed) and flowed[k] is not None:
                    arrivals.setdefault(target, {}).setdefault(input_nr, []).append((sender.backward_pass, flowed[k]))
        for node, record in waiting.items():  # (what the backward call itself gave a root)
            for number, given in record.seeds.items():
                for slot, grad in given.items():
                    arrivals.setdefault(node, {}).setdefault(slot, []).append((number, grad))
        received: dict[Any, Grads] = {}
        raised_in: dict[int, Any] = {}  # a pass that raised -> the node it raised in
        for node, slots in arrivals.items():
            record = waiting[node]
            latest = max(p for sent in slots.values() for p, _ in sent)
            if latest in self.raised:
                if latest in self.raised_after:
                    continue
                if latest not in raised_in:
                    raised_in[latest] = self._raised_in(latest, arrivals)
                if node is not raised_in[latest]:
                    continue  # (the pass ended before the node began: it received nothing)
            if record.order is None or (record.backward_pass or 0) < latest:
                outputs = [[g for p, g in slots.get(nr, ()) if p == latest] for nr in range(max(slots) + 1)]
                received[node] = tuple(self._sum(grads) for grads in outputs)
        return received

    def stopped_in(self) -> dict[Any, int]:
        """Where each pass that raised stopped: node -> the last pass that raised while it ran (its backward function
        or a hook on it). A pass that raised once a node had run stopped in the last node it ran; one that raised
        before a node ran, in the node it was about to run. (A pass that raised before it began, `backward()` of a
        tensor of several elements without a gradient, stopped in no node.)"""
        stopped: dict[Any, int] = {}
        for number in sorted(self.raised):
            if number in self.raised_after:
                ran = {n: r.order for n, r in self.records.items() if r.backward_pass == number and r.order is not None}
                node = max(ran, key=ran.__getitem__) if ran else None
            else:
                node = self._raised_in(number, self.records)
            if node is not None:
                stopped[node] = number
        return stopped

    def passes_said(self) -> dict[str, Any]:
        """What the Run says of the passes: how each started, whether it named its inputs, what it added to."""
        return {
            "backward_calls": list(self.calls),
            "backward_inputs_given": [number in self.chosen for number in range(1, len(self.calls) + 1)],
            "added_to_grads": self.added_to_grads(),
        }

    def added_to_grads(self) -> list[bool | None]:
        """For each pass (1 first): whether a leaf's `.grad` held gradients (not all zero) when the pass added to it,
        so that they accumulated; False when every `.grad` it added to was None or zero (`zero_grad()`); None when
        it added to none (`torch.autograd.grad`) or a value was not kept."""
        found: list[bool | None] = [None] * self.passes
        known: list[bool] = [True] * self.passes
        for record in self.records.values():
            if record.name != "AccumulateGrad":
                continue
            for run in [*(record.earlier or ()), record]:
                number = run.backward_pass
                if not run.grad_before or number is None or not 0 < number <= self.passes or found[number - 1]:
                    continue
                before = run.grad_before[0]
                value = before.now() if isinstance(before, Kept) else None
                if before is None:
                    found[number - 1] = False
                    continue
                try:  # (a value not kept, a torch.func wrapper, a tensor subclass: not known)
                    found[number - 1] = bool(value.count_nonzero()) if type(value) is torch.Tensor else None
                except Exception:
                    found[number - 1] = None
                if found[number - 1] is None:
                    known[number - 1] = False
        return [held if held or known[k] else None for k, held in enumerate(found)]

    def pass_raising(self, exc: BaseException) -> int | None:
        """The backward pass that raised `exc` (the snippet's error), if one did and none ran after it."""
        return self.passes if self.raised.get(self.passes) is exc else None

    def _raised_in(self, number: int, candidates: Iterable[Any]) -> Any:
        """The node a pass that raised began and did not finish: of those it did not run every sender of which (in the
        pass) had run, the one the engine runs first (the highest sequence number), among `candidates`."""
        records = self.records
        ran = {
            node
            for node, r in records.items()
            if any(run.backward_pass == number and run.order is not None for run in [r, *(r.earlier or ())])
        }
        roots = {node for node, r in records.items() if number in r.seeds}
        senders: dict[Any, list] = {}
        task = ran | roots  # the nodes the pass would have run: its roots and those reachable from the ones it ran
        stack = list(task)
        while stack:
            sender = stack.pop()
            for target, _ in records[sender].next:
                if target is None or target not in records:
                    continue
                senders.setdefault(target, []).append(sender)
                if target not in task:
                    task.add(target)
                    stack.append(target)
        ready = [
            node
            for node in candidates
            if node in task and node not in ran and all(s in ran for s in senders.get(node, ()))
        ]
        return max(ready, key=lambda node: node._sequence_nr(), default=None)

    def _sum(self, grads: list) -> Kept | Summary | None:
        if len(grads) <= 1:
            return grads[0] if grads else None
        values = [g.now() if isinstance(g, Kept) else None for g in grads]
        readable = [v for v in values if v is not None]
        if len(readable) < len(values):
            return unreadable(None, "the sum of gradients some of which could not be kept")
        return self.values.keep(torch.stack(readable).sum(0))  # (at export: no mode, no grad)

    def pass_of(self, task: int) -> int | None:
        """The recorded pass of an engine's graph task (None: it ran no recorded node)."""
        found = self._tasks.get(task)
        return found[0] if found is not None else None

    def begin_call(self, call: Call) -> None:
        """The snippet's backward call `call` starts in this thread."""
        self._calling.setdefault(threading.get_ident(), []).append(call)

    def end_call(self) -> bool:
        """The innermost backward call of this thread ended; whether it was the outermost."""
        calls = self._calling[threading.get_ident()]
        calls.pop()
        return not calls

    def count_pass(self) -> None:
        """A pass ran its first recorded node (or ended having run none): counted, and its root nodes keep what the
        snippet's call started them with."""
        self.passes += 1
        self.values.passes = self.passes
        self._views.clear()  # (a gradient flows in one pass)
        self.values.ran.append(0)
        calls = self._calling.get(threading.get_ident())
        if not calls:  # (a pass gradwalk saw no call for)
            self.calls.append("backward")
            return
        kind, roots, chosen = calls[-1]
        self.calls.append(kind)
        if chosen:
            self.chosen.add(self.passes)
        for node, given in roots.items():
            record = self.records.get(node)
            if record is not None:
                record.seeds[self.passes] = {slot: self.values.keep(grad) for slot, grad in given.items()}

    def release(self) -> None:
        self.closed = True
        self.records.clear()
        self.grad_of.clear()
        self._replaced.clear()
        self._views.clear()
        self.paused_received.clear()
        self.raised.clear()  # (the exceptions hold the snippet's frames)


@functools.lru_cache(maxsize=64)
def _signature(func: Any) -> inspect.Signature:
    return inspect.signature(func)


def asks_chosen(func: Any, args: tuple, kwargs: dict) -> bool:
    """Whether a backward call computes only chosen inputs' gradients (`autograd.grad`, `backward(inputs=...)`): then
    a node sends nothing to an input that needs a gradient but leads to none of them."""
    if func is torch.autograd.grad:
        return True
    try:
        return _signature(func).bind(*args, **kwargs).arguments.get("inputs") is not None
    except (TypeError, ValueError):
        return False


def seeds_of(func: Any, args: tuple, kwargs: dict) -> RootGrads:
    """The gradients a backward call (`Tensor.backward`, `torch.autograd.backward` or `.grad`) starts its roots from,
    as torch makes them: the ones it is given, or 1 for a real one-element root given none (a sum where one root is
    given twice); a leaf given as a root starts its AccumulateGrad. Empty when torch would refuse them (a count,
    shape or complex-ness that does not match: it raises before any node runs) or for a batched `autograd.grad`."""
    try:
        bound = _signature(func).bind(*args, **kwargs).arguments
    except (TypeError, ValueError):
        return {}
    if func is torch.autograd.grad:
        roots, grads = bound.get("outputs"), bound.get("grad_outputs")
        if bound.get("is_grads_batched"):
            return {}
    elif func is torch.autograd.backward:
        roots, grads = bound.get("tensors"), bound.get("grad_tensors", bound.get("grad_variables"))
    else:
        roots, grads = next(iter(bound.values()), None), bound.get("gradient")
    roots = list(roots) if isinstance(roots, (list, tuple)) else [roots]
    grads = list(grads) if isinstance(grads, (list, tuple)) else [grads] * (len(roots) if grads is None else 1)
    if len(grads) != len(roots):
        return {}
    seeds: RootGrads = {}
    for root, grad in zip(roots, grads, strict=True):
        if not isinstance(root, torch.Tensor) or not root.requires_grad:
            return {}
        if grad is None and TensorBase.numel(root) == 1 and not TensorBase.is_complex(root):
            grad = ones_like(root)
        if not isinstance(grad, torch.Tensor) or TensorBase.size(grad) != TensorBase.size(root):
            return {}
        if TensorBase.is_complex(grad) != TensorBase.is_complex(root):
            return {}
        node = grad_fn_of(root)
        slot = root.output_nr if node is not None else 0
        if node is None:  # a leaf: its AccumulateGrad
            node = torch.autograd.graph.get_gradient_edge(root).node
        given = seeds.setdefault(node, {})
        given[slot] = (
            TensorBase.detach(grad) if slot not in given else TensorBase.add(given[slot], TensorBase.detach(grad))
        )
    return seeds


def leaf_of(node: Any) -> torch.Tensor | None:
    """The leaf tensor an AccumulateGrad node fills."""
    return getattr(node, "variable", None)


def _same(tensor: torch.Tensor, copy: torch.Tensor) -> bool:
    """Whether `tensor` still holds `copy`'s values (only a dense one is compared)."""
    with GradMode(False), DisableTorchFunction(), DisableTorchDispatch():
        return tensor.layout is not torch.strided or torch.equal(tensor, copy)


def _copied(grad: Any) -> Kept | None:
    """A copy of a gradient a node received in a pass run unrecorded, kept only by its node's record."""
    if type(grad) is not torch.Tensor:
        return None
    with GradMode(False), DisableTorchFunction(), DisableTorchDispatch():
        copy = TensorBase.clone(TensorBase.detach(grad))
    return Kept(copy, copy._version)
