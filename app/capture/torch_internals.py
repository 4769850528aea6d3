"""Every private torch API the engine uses, each with the test that fails if torch changes it, and the patches the
engine makes to torch and Python, each undone when a capture ends or kept with the reason why.

Private APIs, each with what it is for and the test in tests/test_capture.py that fails if a torch upgrade
changes it (run those first after an upgrade):
- `torch._C._current_autograd_node`: which node the one shared post hook runs for
  (`test_backward_order_runs_root_first`).
- `torch._C._current_graph_task_id`: which backward pass a node ran in
  (`test_two_backward_passes_keep_accumulated_leaf_grad_and_last_pass_order`).
- `torch._C.DisableTorchFunction`: the engine's own torch calls stay unrecorded and run no tensor subclass's code
  (`test_an_update_in_a_post_accumulate_grad_hook_is_recorded`).
- `torch._C._DisableTorchDispatch`: the copies the engine keeps of values about to change in place reach no
  torch dispatch mode of the snippet's (`test_the_snippets_dispatch_mode_sees_only_its_own_ops`).
- `torch._C._push_on_torch_function_stack`: threads the snippet starts record too
  (`test_other_threads_are_recorded`).
- `torch._C._len_torch_function_stack`, `torch._C._get_function_stack_at`: quiet module constructors
  (`test_torchs_own_module_constructors_pass_no_calls_to_the_recorder_unless_given_a_tensor`).
- `Node._raw_saved_<name>`, `SavedTensor.data`, `SavedTensor.unpack_hook`: saved values read without running
  unpack hooks (`test_reading_saved_values_runs_none_of_the_snippets_unpack_hooks`).
- `torch.autograd.function._HookMixin._register_hook`: quick node hooks
  (`test_the_snippets_own_node_hooks_still_work_and_can_be_removed`).
- `CppFunction` nodes' `name()`: (`test_cpp_backward_nodes_are_named_by_their_own_name`).
- `Node._input_metadata`: the shape of the gradient a node no backward pass ran would take in, for its formulas
  (`test_a_node_no_backward_ran_writes_what_it_would_compute` in tests/test_explain.py).
- `torch._C._is_tracing`: while `torch.jit.trace` runs, the engine asks no tensor its size (the tracer would record
  the call into the snippet's trace) (`test_realworld_snippet_matches_torch[jit_trace_module.py]` in
  tests/test_realworld.py).
- `torch._C._functorch.is_functorch_wrapped_tensor`: a torch.func wrapper, whose values exist only inside the
  transform, is explained without them (`test_torch_func_runs_keep_their_output_and_mark_what_cannot_be_read`),
  and never read (`test_functionalize_leaves_every_other_value_right`).
- `torch._C._functorch.get_unwrapped`: the tensor a torch.func wrapper stands for, one level in; an in-place change
  of a wrapper writes the memory of the tensor at its innermost level, whose kept values are copied first
  (`test_an_in_place_change_inside_a_torch_func_transform_keeps_the_value_before_it`).
- `torch._C._DisableFuncTorch`: the copies the engine keeps of values about to change, when the change comes
  inside a torch.func transform, are plain tensors, not the transform's wrappers of them (which hold no values once
  it ends) (`test_an_in_place_change_inside_a_torch_func_transform_keeps_the_value_before_it`).
- `torch._C._functorch.is_legacy_batchedtensor`: the same for the older vmap that
  `torch.autograd.functional.jacobian(vectorize=True)` batches its gradients with
  (`test_a_vectorized_jacobians_batched_gradients_are_marked_not_checked`).
- `torch._validate_sparse_coo_tensor_args`, `torch._validate_sparse_compressed_tensor_args`: whether a sparse
  tensor's indices lie inside its size before it is read (`sparse_out_of_bounds`;
  `test_a_sparse_tensor_with_an_index_outside_its_size_is_marked_not_read`).
- `torch._C._storage_Use_Count`: whether a value only gradwalk holds shares its memory with a tensor the snippet
  holds (a view of a parameter): then it is copied when the recording pauses or stops
  (`test_a_view_kept_past_a_pause_keeps_its_value_while_its_base_is_trained`).
- `Tensor._use_count`: whether C++ holds a tensor besides its Python object (a node that saved it, a view of it);
  torch then holds a reference to the Python object of its own, which is not the snippet's (`held_in_cpp`, for
  app.capture.unreachable;
  `test_a_long_training_loop_needs_about_the_memory_it_needs_in_plain_python[evaluation_without_no_grad]`).
- `torch.utils.data.dataloader._BaseDataLoaderIter` (`__next__`, `_index_sampler`, `_num_yielded`): which batch of
  its DataLoader the iterator a loop takes batches from gave last, so that a paused loop's last iteration over a
  DataLoader is known (`batches_given`;
  `test_a_paused_loops_last_iteration_is_recorded_as_torch_ran_it[dataloader-batches]`).
- `torch.optim.optimizer._global_optimizer_pre_hooks` and `_global_optimizer_post_hooks`: the recorder's step hooks,
  added without a RemovableHandle, whose ids count up for the whole process (`follow_optimizer_steps`;
  `test_the_snippets_hook_handles_count_from_zero` in tests/test_capture_as_python_file.py).
- `torch.nn.modules.module._global_parameter_registration_hooks`: the recorder's hook, added without a
  RemovableHandle for the same reason, that sees `self.w = nn.Parameter(h)` on its line (`follow_parameters`;
  `test_a_parameter_made_of_a_tensor_of_the_graph_is_drawn_as_a_cut_on_its_line`).
- `torch._tensor_str.get_printoptions` (`print_options_as_in_python`): each run prints tensors with the options a
  fresh process has, and the host's come back after (`test_each_run_prints_tensors_as_a_fresh_process_does`).
- How a torch function written in Python hands itself to the modes: by the name its module or class gives it at
  the call (`handle_torch_function(softmax, ...)`), so a wrapper the snippet put under that name is what a mode
  gets (`replaced_by_snippet`; `test_realworld_snippet_matches_torch[monkeypatch_backward_logger.py]` and the other
  `monkeypatch_*` snippets in tests/realworld/; in the sandbox, whose worker freezes its objects, the same snippets
  in tests/test_realworld_sandbox.py).
- Imported where they are used (peek.py, through which every module reads the snippet's objects, cannot import this
  module, which imports it through naming.py):
  - `torch._C.TensorBase` (hooks, loops, peek, record, unreachable, values): its methods run torch's own code on a
    tensor however the snippet patched `torch.Tensor` (`test_realworld_snippet_matches_torch[monkeypatch_repr_shape_
    prefix.py]` and the other `monkeypatch_*` snippets; its import, every test);
  - `torch._C._disabled_torch_dispatch_impl` (peek.py `dispatcher`): a class whose `__torch_dispatch__` is this one
    runs no dispatch code of its own (`test_corpus_matches_torch[dispatch_wrapper_subclass.py]`);
  - `torch._C._disabled_torch_function_impl` (record.py `_overridden`): the same for `__torch_function__`, as
    `nn.Parameter` has it (its import, every test);
  - `torch.jit._script.OrderedDictWrapper`, `OrderedModuleDict` (peek.py `SCRIPTED`): where a scripted module keeps
    its parameters and submodules, for their names (`test_realworld_snippet_matches_torch[jit_script_module_and_
    trace_grad.py]`);
  - `torch._subclasses.fake_tensor.FakeTensor` (values.py `data_key`): a fake tensor has no memory to name (its
    import, every test);
  - `torch.utils.data._utils` and `torch._utils.ExceptionWrapper` (loader.py): as `DataLoader._get_iterator` below.

Patches:
- `nn.Module.__call__` follows module calls (`follow_module_calls`); `__init__` of torch's own modules skips the
  recorder (`quiet_module_constructors`); `_HookMixin._register_hook` adds the engine's hooks without a handle
  (`quick_node_hooks`), and the snippet's own node hooks wrapped, so that what a node received before the snippet's
  pre hooks replaced it is known (`test_a_node_pre_hook_that_replaces_the_gradient_leaves_the_tensors_own`);
  `Tensor.set_`, which torch never passes to a torch function mode, goes through the modes
  that are on (`set_through_modes`: `torch.nn.utils.parametrize` sets a parameter to itself, a change of version
  the recorder must see coming); `FunctionCtx.mark_dirty` tells the recorder which tensors `apply` will move the version
  of, and the Function's name, read from the `_forward_cls` of its backward class (`note_marked_dirty`;
  `test_a_custom_functions_dirty_output_is_made_by_its_apply_op`); `torch._C._increment_version`, behind
  `torch.autograd.graph.increment_version` and reaching no mode, tells it which tensors' versions move with values it
  has not seen change, so that what it kept of them is copied first (`note_increment_version`;
  `test_realworld_snippet_matches_torch[increment_version_after_a_write_torch_cannot_see.py]`); the methods of
  `torch.UntypedStorage` that write its memory (`resize_`, `copy_`, `fill_`, item assignment), which no torch function
  mode sees and no version counter counts, tell it first which memory changes (`note_storage_writes`;
  `test_a_write_through_a_tensors_storage_keeps_the_values_before_it`);
  `torch.overrides.has_torch_function`, which the fast paths of `nn.TransformerEncoder`, `nn.TransformerEncoderLayer`
  and `nn.MultiheadAttention` ask, does not count the recorder (`fast_paths_despite`: in eval mode without gradients
  they run as in plain torch, a padding mask's positions zeroed;
  `test_a_transformer_encoder_in_eval_takes_its_fast_path_as_in_plain_torch`). These eight stay
  installed: setting a class attribute of nn.Module or of `_HookMixin`
  invalidates the method caches of its hundreds of subclasses, 60-90 us each time (a 100-node capture takes
  about 1 ms), and with no capture running each one only passes the call on.
- `torch._higher_order_ops.utils._hop_compile_and_call`, how `torch.cond` and `while_loop` run eagerly (compiling
  their branches whole), runs without the recorder on the mode stack (`hops_despite`): the compiler traced into the
  recorder and failed where plain torch runs (`test_torch_cond_and_while_loop_run_as_in_plain_torch`). It stays
  installed too: captures run in several threads, which would race to set and undo it; with no recorder on the
  stack it only passes the call on.
- `torch._C.ScriptFunction.__call__` and `torch._C.ScriptMethod.__call__` (`script_calls_seen_by`): a TorchScript
  function or a scripted module's method, whose ops run in C++ where no mode sees them, is handed to the recorder as
  one call named after it when the recorder alone is on the thread's stack (`test_a_torchscript_call_is_one_op_of_the_
  graph`), a method's module's parameters and buffers one more argument, read through `torch._C.ParameterDict`,
  `BufferDict` and `ModuleDict` (`script_state`; `test_a_scripted_modules_parameters_are_inputs_of_its_op`). Installed
  for good, as `hops_despite`; with no recorder on the stack it only passes the call on.
- `torch.utils.swap_tensors` (`swaps_seen_by`) is handed to the recorder (`Recorder.swap_tensors`), which first lets
  go of the weak references it holds to both tensors and of the graphs only it holds that hold their data (counted
  with `Tensor._use_count`, `data_holders`, as the swap counts them), and draws the swap as one op
  (`test_realworld_snippet_matches_torch[swap_tensors_module_to.py]`). Installed for good, as `hops_despite`.
- `importlib._bootstrap._find_and_load`, which loads a module not yet imported, tells the recorder the CPU time
  each load took, which is no recording time (`imports_timed`), while a capture runs; undone as it ends.
- `torch.autograd.gradcheck` and `gradgradcheck` (in `torch.autograd` and in its `gradcheck` module) run without the
  recorder on the mode stack (`checks_despite`): their ops, which measure each gradient by nudging each input, are
  not drawn (`test_gradcheck_runs_unrecorded_and_answers_as_in_plain_torch`); `torch.jit._trace._check_trace`, the
  checks `torch.jit.trace` runs on its own, runs through the recorder unrecorded (`Recorder.run_unrecorded`;
  `test_torch_jit_traces_own_checks_are_not_drawn`). Installed for good, as `hops_despite`.
- `torch._dynamo.eval_frame._callback_from_stance`, which each call of a `torch.compile`d function or module asks
  how to run, answers "eagerly" (as the stance `force_eager` does) while the recorder is on the thread's stack
  (`compiled_code_eager_despite`): each op inside is recorded, where the compiler traced into the recorder and fell
  back to eager after seconds (`test_torch_compiled_code_runs_eagerly_and_is_recorded`); its `_stance` says
  "force_eager" there too, so a `fullgraph=True` call is no error for compiling no frame
  (`test_a_fullgraph_compile_runs_eagerly_as_plain_torch_runs_it_compiled`). Installed for good, as
  `hops_despite` is, once torch's compiler is loaded: while a capture runs, `torch.compile` installs it first
  (`compiles_eagerly`, undone when the capture ends).
- `threading.setprofile` (threads started during a capture get the recorder): undone when the capture ends.
- `DataLoader._get_iterator`: a DataLoader with `num_workers > 0` loads in the snippet's process (app.capture.loader;
  `loader_workers_in_process`), the sandbox letting it start none: undone when the capture ends
  (`test_a_dataloader_with_workers_loads_in_process_as_its_workers_would`). Its iterator builds on torch's private
  `_BaseDataLoaderIter`, `_DatasetKind.create_fetcher`, and the worker's `_worker_info`, `_generate_state` and
  `ExceptionWrapper`.
- `torch.fx.traceback.format_stack`, where anomaly mode takes each op's forward stack (`stacks_from`: the snippet's
  frames only, as plain Python's would be; torch's own use while `should_preserve_node_meta` is kept): undone when
  the capture ends (`test_anomaly_modes_forward_traceback_shows_the_snippets_frames_only`).
- `sys.getrecursionlimit` and `sys.setrecursionlimit` (`recursion_as_in_python`): the interpreter's limit is raised
  by the frames gradwalk puts under the snippet and around its torch calls, and by one for each module call under way
  (`Limit`, kept by `followed_call`), and the snippet sees its own limit: undone when the capture ends
  (`test_a_snippet_recurses_as_deep_as_in_plain_python`).
"""

import functools
import gc
import importlib
import inspect
import operator
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import CodeType, FrameType, FunctionType
from typing import Any

import torch
import torch._dynamo  # (loaded with the engine: see DYNAMO below)
import torch.fx.traceback
from torch import nn
from torch.nn.modules.module import _global_parameter_registration_hooks as _parameter_hooks
from torch.optim.optimizer import _global_optimizer_post_hooks as _optimizer_post_hooks
from torch.optim.optimizer import _global_optimizer_pre_hooks as _optimizer_pre_hooks
from torch.utils.data.dataloader import _BaseDataLoaderIter

from .naming import SNIPPET_FILE
from .output import without_gradwalk_frames

current_node: Callable[[], Any] = torch._C._current_autograd_node
current_task: Callable[[], int] = torch._C._current_graph_task_id
DisableTorchFunction = torch._C.DisableTorchFunction
DisableTorchDispatch = torch._C._DisableTorchDispatch
DisableFuncTorch = torch._C._DisableFuncTorch
_push_mode: Callable[[Any], None] = torch._C._push_on_torch_function_stack
_pop_mode: Callable[[], Any] = torch._C._pop_torch_function_stack
_modes: Callable[[], int] = torch._C._len_torch_function_stack
_mode_at: Callable[[int], Any] = torch._C._get_function_stack_at
_storage_uses: Callable[[int], int] = torch._C._storage_Use_Count
_is_functorch_wrapped: Callable[[torch.Tensor], bool] = torch._C._functorch.is_functorch_wrapped_tensor
_is_legacy_batched: Callable[[torch.Tensor], bool] = torch._C._functorch.is_legacy_batchedtensor
_get_unwrapped: Callable[[torch.Tensor], torch.Tensor] = torch._C._functorch.get_unwrapped
is_tracing: Callable[[], bool] = torch._C._is_tracing
grad_enabled: Callable[[], bool] = torch._C.is_grad_enabled
_set_grad_enabled: Callable[[bool], None] = torch._C._set_grad_enabled
ones_like: Callable[..., torch.Tensor] = torch._C._VariableFunctions.ones_like  # (not `torch.ones_like`: see GradMode)


class GradMode:
    """`torch.no_grad()` (`GradMode(False)`) and `torch.enable_grad()` (`GradMode(True)`) by torch's C functions:
    torch's own look up `torch.is_grad_enabled` and `torch.set_grad_enabled` as they run, as gradwalk's code looked up
    `torch.no_grad`, where a snippet may have put wrappers of its own (a counter counted gradwalk's calls)."""

    __slots__ = ("before", "enabled")

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.before = True

    def __enter__(self) -> None:
        self.before = grad_enabled()
        _set_grad_enabled(self.enabled)

    def __exit__(self, *exc: object) -> None:
        _set_grad_enabled(self.before)


RAW_SAVED = "_raw_saved_"
SAVED_TENSOR: Any = torch._C._autograd.SavedTensor


def raw_saved(node: Any, attr: str) -> Any:
    """What a node saved under `_saved_<name>`, never unpacked: the tensor itself (autograd's own copy of it),
    or, for a value a saved-tensor pack hook packed, `Packed(that object)`, or None once backward freed it."""
    value = getattr(node, attr)
    if isinstance(value, (list, tuple)):
        return [_saved_data(v) for v in value]
    return _saved_data(value)


class Packed:
    """A saved value that a saved-tensor pack hook made: unpacking it would run the unpack hook. `by` says whose:
    "snippet" (the snippet's own hooks: its code would run), "checkpoint" (torch.utils.checkpoint's, non-reentrant:
    it kept nothing, and unpacking would compute the checkpointed segment again), "torch" (another of torch's own,
    `torch.autograd.graph.save_on_cpu`)."""

    __slots__ = ("by", "value")

    def __init__(self, value: object, by: str = "snippet"):
        self.value = value
        self.by = by


def _saved_data(saved: Any) -> Any:
    if saved.__class__ is not SAVED_TENSOR:
        return saved
    if saved.unpack_hook is not None:
        return Packed(saved.data, _packer(saved.unpack_hook))
    return saved.data


def _packer(unpack_hook: Any) -> str:
    """Whose saved-tensor hooks packed a value, from where its unpack hook's code is (Packed.by)."""
    code = getattr(unpack_hook, "__code__", None)
    where = code.co_filename if code is not None else ""
    if where == CHECKPOINT_FILE:
        return "checkpoint"
    return "torch" if where.startswith(TORCH_FILES) else "snippet"


TORCH_FILES = os.path.dirname(torch.__file__) + os.sep
CHECKPOINT_FILE = os.path.join(os.path.dirname(torch.__file__), "utils", "checkpoint.py")


def replaced_by_snippet(func: FunctionType) -> Callable[..., Any]:
    """The torch function a torch function mode is handed `func` for. A torch function written in Python hands the
    modes itself as its module or class names it at the call (`F.softmax`, `Tensor.__repr__`): once the snippet has
    put a wrapper of its own under that name, that wrapper. Calling it would run the snippet's code again (a second
    print, a counter counting twice, torch's own keywords that the wrapper does not take), which plain torch, with no
    mode on, never does: the function the mode was called from is called instead. (`func` from torch's own files, or
    a caller found in none of torch's functions: `func` itself.)"""
    if func.__code__.co_filename.startswith(TORCH_FILES):
        return func
    caller: FrameType | None = sys._getframe(2)  # (past the mode: handle_torch_function, then its caller)
    while caller is not None and caller.f_code.co_filename.endswith("overrides.py"):
        caller = caller.f_back
    if caller is not None and caller.f_code is func.__code__:  # a wrapper of the snippet's in a method's place on
        # torch.Tensor (`Tensor.sum = logged(Tensor.sum)`) called the method, which handed the modes the wrapper
        return _tensor_method_replaced_by(func) or func
    if caller is None or not caller.f_code.co_filename.startswith(TORCH_FILES):
        return func
    code = caller.f_code
    if code not in _originals:
        owners = [f for f in gc.get_referrers(code) if type(f) is FunctionType and f.__code__ is code]
        _originals[code] = owners[0] if len(owners) == 1 else None
    return _originals[code] or func


_originals: dict[CodeType, FunctionType | None] = {}  # (None: not one function of torch's runs that code)
TENSOR_METHODS = dict(vars(torch.Tensor))  # torch.Tensor's own attributes, as torch made them


def _tensor_method_replaced_by(wrapper: FunctionType) -> Any:
    """torch's method on torch.Tensor that the snippet put `wrapper` in place of, or None."""
    for name, value in list(vars(torch.Tensor).items()):
        if value is wrapper:
            return TENSOR_METHODS.get(name, getattr(torch._C.TensorBase, name, None))
    return None


def note_torch_functions() -> None:
    """Note torch's Python functions that hand themselves to the modes by their code, for `replaced_by_snippet`,
    before the sandbox's worker freezes its objects (`gc.freeze`): `gc.get_referrers` sees no frozen object, so in
    every sandboxed run a snippet's wrapper of `F.softmax` or `Tensor.__repr__` was called with torch's own keywords
    (a TypeError plain Python never raises) or a second time. About 0.1 s of CPU, once a worker."""
    owners: dict[CodeType, list[FunctionType]] = {}
    for obj in gc.get_objects():
        if type(obj) is FunctionType:
            code = obj.__code__
            if "handle_torch_function" in code.co_names and code.co_filename.startswith(TORCH_FILES):
                owners.setdefault(code, []).append(obj)
    _originals.update((code, found[0] if len(found) == 1 else None) for code, found in owners.items())


NEXT_BATCH = _BaseDataLoaderIter.__next__.__code__  # (the frame a DataLoader iterator makes its next batch in)


def batches_given(iterator: Any) -> tuple[Any, int] | None:
    """What a DataLoader iterator takes its batches' indices from (its loader's batch sampler, or sampler) and how
    many batches it gave, read from its `__dict__`; None for anything else."""
    if not isinstance(iterator, _BaseDataLoaderIter):
        return None
    held = vars(iterator)
    given = held.get("_num_yielded")
    return (held.get("_index_sampler"), given) if type(given) is int else None


ROW_WISE = (torch.sparse_csr, torch.sparse_bsr)


def sparse_out_of_bounds(tensor: torch.Tensor) -> bool:
    """Whether a sparse tensor holds an index outside its size: torch checks them only when asked (`check_invariants`,
    off by default, as `torch.sparse_coo_tensor(edges, values, (n, n))` with an edge to node n), and densifying such a
    tensor writes past the end of its memory, where plain Python, never reading it, goes on."""
    try:
        if tensor.layout is torch.sparse_coo:
            torch._validate_sparse_coo_tensor_args(tensor._indices(), tensor._values(), tensor.size())
        else:
            row_wise = tensor.layout in ROW_WISE
            compressed = tensor.crow_indices() if row_wise else tensor.ccol_indices()
            plain = tensor.col_indices() if row_wise else tensor.row_indices()
            torch._validate_sparse_compressed_tensor_args(
                compressed, plain, tensor.values(), tensor.size(), tensor.layout
            )
    except RuntimeError:
        return True
    return False


def is_wrapped(tensor: torch.Tensor) -> bool:
    """A vmap or torch.func wrapper (the older vmap's batched tensors too): its values exist only inside the
    transform; reading one raises, or (functionalize's) reads memory that holds none of them."""
    return _is_functorch_wrapped(tensor) or _is_legacy_batched(tensor)


def innermost(tensor: torch.Tensor) -> torch.Tensor:
    """The tensor whose memory a torch.func wrapper's in-place change writes (vmap's batched tensors, grad's and jvp's
    wrappers, one level after another): `tensor` itself when it wraps nothing."""
    while _is_functorch_wrapped(tensor):
        try:
            tensor = _get_unwrapped(tensor)
        except RuntimeError:  # (a wrapper torch cannot open: its memory is not named)
            break
    return tensor


def held_in_cpp(tensor: torch.Tensor) -> bool:
    """Whether C++ holds the tensor besides its Python object (a node saved it, a view of it lives): then torch holds
    a reference to the Python object of its own, which `sys.getrefcount` counts."""
    return tensor._use_count() > 1  # type: ignore[attr-defined]


def gradient_shape(node: Any, index: int) -> tuple[int, ...] | None:
    """The shape of the gradient autograd would hand `node` for its output `index` (the forward op's output's);
    None where torch cannot say (a nested tensor, a node of another kind)."""
    try:
        metadata = node._input_metadata
        return tuple(metadata[index].shape) if 0 <= index < len(metadata) else None
    except Exception:  # (whatever a node without metadata raises)
        return None


def shares_memory(tensor: torch.Tensor) -> bool:
    """Whether another tensor uses `tensor`'s memory: a view's base, a tensor it was detached from. (Two uses are its
    own: the tensor and its storage's Python object, which asking makes.)"""
    try:
        return _storage_uses(torch._C.TensorBase.untyped_storage(tensor)._cdata) > 2
    except (RuntimeError, NotImplementedError):  # no storage of its own (sparse, nested, functorch wrappers, meta)
        return False


def node_name(node: Any) -> str:
    """An autograd node's name: its class name, or for C++ nodes without a Python class of their own
    (`CppFunction`), their own `name()` without C++ namespaces (`DifferentiableGraphBackward`)."""
    name = type(node).__name__
    if name == "CppFunction":
        name = node.name().rsplit("::", 1)[-1]
    return name


def push_mode(mode: Any) -> None:
    """Put a torch function mode on this thread's stack (for good: a thread started during a capture)."""
    _push_mode(mode)


def only_mode_is(kind: type) -> bool:
    return _modes() == 1 and type(_mode_at(0)) is kind


@contextmanager
def recorded_threads(start: Callable[[], None]) -> Iterator[None]:
    """Inside the block, every thread started through `threading` calls `start()` first, in itself."""
    previous = threading.getprofile()

    def first_event(*_: object) -> None:
        sys.setprofile(None)
        start()

    threading.setprofile(first_event)
    try:
        yield
    finally:
        threading.setprofile(previous)


# -- patches that stay installed (see the module docstring) ------------------------------------------------------


class _NodeHooks(dict):
    """One autograd node's hooks, as torch keeps them (weak-referenceable: torch's handles point at it)."""

    __slots__ = ("__weakref__",)


@functools.cache
def quick_node_hooks(is_ours: Callable[[object], bool], theirs: Callable[[Any], Any]) -> None:
    """Once per process: hooks for which `is_ours(hook)` holds are added to a node without torch's RemovableHandle
    (an id, a weak reference: a third of the cost of hooking a node); any other hook, the snippet's, goes through
    torch's own helper (which accepts the dict made here) as `theirs(hook)`."""
    mixin = getattr(torch.autograd.function, "_HookMixin", None)
    if mixin is None or not hasattr(mixin, "_register_hook"):
        return
    torch_helper = mixin._register_hook

    def register(hooks: dict | None, hook: object) -> tuple[dict, object]:
        if not is_ours(hook):
            return torch_helper(hooks, theirs(hook))
        if hooks is None:
            hooks = _NodeHooks()
        hooks[-1 - len(hooks)] = hook  # (torch's handle ids count up from 0)
        return hooks, None

    mixin._register_hook = staticmethod(register)


def with_parameters_of(original: Callable[..., Any], call: Callable[..., Any]) -> Callable[..., Any]:
    """A function that calls `call` with what it is given, and has the parameters of `original` (a plain function):
    its name, defaults and annotations too, so that a snippet that reads them (`inspect.getfullargspec(nn.Linear.
    __init__).args`, to build a layer from the keys of a config it accepts) finds torch's, as in plain Python.
    (functools.wraps alone leaves `(*args, **kwargs)` to all but `inspect.signature`.)"""
    if not isinstance(original, FunctionType):
        return functools.wraps(original)(call)
    code = original.__code__
    names = code.co_varnames
    ordinary, kwonly = names[: code.co_argcount], names[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
    extra = iter(names[code.co_argcount + code.co_kwonlyargcount :])
    varargs = next(extra) if code.co_flags & inspect.CO_VARARGS else None
    varkw = next(extra) if code.co_flags & inspect.CO_VARKEYWORDS else None
    slash = ["/"] if code.co_posonlyargcount else []
    star = [f"*{varargs}"] if varargs else ["*"] if kwonly else []
    params = [*ordinary[: code.co_posonlyargcount], *slash, *ordinary[code.co_posonlyargcount :], *star, *kwonly]
    params += [f"**{varkw}"] if varkw else []
    given = [*ordinary, *([f"*{varargs}"] if varargs else []), *(f"{k}={k}" for k in kwonly)]
    given += [f"**{varkw}"] if varkw else []
    source = f"def {code.co_name}({', '.join(params)}):\n    return _gradwalk_call({', '.join(given)})\n"
    # (no memory of the warnings raised here: warnings_placed_as_in_python keeps it, at the line Python places them)
    namespace: dict[str, Any] = {"_gradwalk_call": call, "__warningregistry__": None}
    exec(compile(source, __file__, "exec"), namespace)  # (under this file's name: gradwalk's frame in tracebacks)
    made = functools.wraps(original)(namespace[code.co_name])
    made.__defaults__, made.__kwdefaults__ = original.__defaults__, original.__kwdefaults__  # type: ignore[attr-defined]
    return made


@functools.cache
def quiet_module_constructors(quiet: Callable[[], bool]) -> None:
    """Once per process: the constructors of torch's own modules run with torch functions off when `quiet()` holds
    and no tensor is passed in (then they only make fresh parameters, which join the graph at their first use)."""

    def wrap(init: Callable[..., None]) -> Callable[..., None]:
        def quiet_init(self: nn.Module, *args: object, **kwargs: object) -> None:
            given = any(isinstance(a, torch.Tensor) for a in (*args, *kwargs.values()))
            if not given and quiet():
                with DisableTorchFunction():
                    return init(self, *args, **kwargs)
            return init(self, *args, **kwargs)

        return with_parameters_of(init, quiet_init)

    classes, found = [nn.Module], set()
    while classes:
        for cls in classes.pop().__subclasses__():
            if cls not in found:
                found.add(cls)
                classes.append(cls)
                if cls.__module__.startswith("torch.") and "__init__" in cls.__dict__:
                    cls.__init__ = wrap(cls.__init__)  # type: ignore[method-assign]


@functools.cache
def set_through_modes() -> None:
    """Once per process: `Tensor.set_` (an in-place change that torch hands no torch function mode) is handed to the
    modes that are on, as every other in-place method is (`test_set_is_recorded_as_an_in_place_change`)."""
    set_: Callable[..., torch.Tensor] = torch.Tensor.set_
    mode_on: Callable[[], bool] = torch._C._is_torch_function_mode_enabled

    @functools.wraps(set_)
    def set_through(self: torch.Tensor, *args: object, **kwargs: object) -> torch.Tensor:
        if mode_on():  # (off inside a mode's __torch_function__: the call below is then torch's own)
            return torch.overrides.handle_torch_function(set_through, (self,), self, *args, **kwargs)
        return set_(self, *args, **kwargs)

    torch.Tensor.set_ = set_through  # type: ignore[method-assign,assignment]


@functools.cache
def note_marked_dirty(note: Callable[[str, tuple], None]) -> None:
    """Once per process: `ctx.mark_dirty(*tensors)` in a custom Function's forward also calls `note(name, tensors)`,
    `name` the Function's class name (`Double`, from `_forward_cls`, the class torch gives the Function's backward
    node). (torch moves a dirty tensor's version once more when `apply` returns, a change of version with no change
    of value that no torch function announces.)"""
    mark_dirty = torch.autograd.function.FunctionCtx.mark_dirty

    @functools.wraps(mark_dirty)
    def noted_mark_dirty(self: Any, *args: torch.Tensor) -> None:
        note(getattr(getattr(self, "_forward_cls", None), "__name__", type(self).__name__), args)
        mark_dirty(self, *args)

    torch.autograd.function.FunctionCtx.mark_dirty = noted_mark_dirty  # type: ignore[method-assign]


@functools.cache
def note_increment_version(note: Callable[[tuple], None]) -> None:
    """Once per process: `torch.autograd.graph.increment_version(tensors)` (which reaches no torch function mode: it
    calls `torch._C._increment_version`) first calls `note(tensors)`: a change of version that no torch function
    announces, the values unchanged."""
    increment = torch._C._increment_version

    @functools.wraps(increment)
    def noted_increment(tensors: Any) -> None:
        tensors = (tensors,) if isinstance(tensors, torch.Tensor) else tuple(tensors)  # (an iterator, read once)
        note(tensors)
        increment(tensors)

    torch._C._increment_version = noted_increment


STORAGE_WRITES = ("resize_", "copy_", "fill_", "__setitem__")  # the methods of UntypedStorage that change its memory


@functools.cache
def note_storage_writes(note: Callable[[torch.UntypedStorage], None]) -> None:
    """Once per process: the methods of `torch.UntypedStorage` that change its memory (`resize_`, with which code in
    the style of FSDP frees a parameter's memory and gets it back, `copy_`, `fill_`, item assignment) first call
    `note(storage)`: a change of values that no torch function announces and no version counter counts."""
    for name in STORAGE_WRITES:
        write = getattr(torch.UntypedStorage, name)

        def noted_write(self: Any, *args: object, _write: Any = write, **kwargs: object) -> Any:
            note(self)
            return _write(self, *args, **kwargs)

        setattr(torch.UntypedStorage, name, functools.wraps(write)(noted_write))


@functools.cache
def follow_module_calls(enter: Callable[[nn.Module], bool], leave: Callable[[bool], None]) -> None:
    """Once per process: every nn.Module call runs between `enter(module)` (which says whether to follow it) and
    `leave(raised)`. (torch's global module hooks would put every module call on its slow path: 2-4 us more a call.)"""
    call = nn.Module.__call__

    @functools.wraps(call)  # (what `help(model)` and `inspect` say of it: torch's name and parameters)
    def followed_call(self: nn.Module, *args: object, **kwargs: object) -> object:
        following = enter(self)
        if following:  # (this frame is one more than plain torch's: a module calling itself recurses as deep)
            _one_call_deeper()
        try:
            result = call(self, *args, **kwargs)
        except BaseException as exc:
            if following:
                leave(True)
                _one_call_back()
            # (what an `except` reads, in a capture or in code run after one: this frame is not plain torch's)
            exc.__traceback__ = without_gradwalk_frames(exc.__traceback__)
            raise  # (a bare raise adds no entry for this frame)
        if following:
            leave(False)
            _one_call_back()
        return result

    nn.Module.__call__ = followed_call  # type: ignore[method-assign]


def follow_optimizer_steps(key: int, began: Callable[..., None], ended: Callable[..., None]) -> None:
    """torch.optim's global step hooks `began` and `ended`, added under `key` (negative) until `unfollow_optimizer_
    steps(key)`. Not through `register_optimizer_step_pre_hook`, whose RemovableHandle ids count up for the whole
    process: each run took two, and the snippet's first hook said `handle.id` 2 (more after a sandbox's warm-up
    runs) where python FILE says 0."""
    _optimizer_pre_hooks[key] = began
    _optimizer_post_hooks[key] = ended


def unfollow_optimizer_steps(key: int) -> None:
    _optimizer_pre_hooks.pop(key, None)
    _optimizer_post_hooks.pop(key, None)


def follow_parameters(key: int, registered: Callable[[nn.Module, str, Any], None] | None) -> None:
    """torch's global hook on every parameter a module registers (`self.w = nn.Parameter(h)`), `registered`, under
    `key` (negative), or taken away (None); not through its RemovableHandle, as `follow_optimizer_steps`."""
    if registered is None:
        _parameter_hooks.pop(key, None)
    else:
        _parameter_hooks[key] = registered


@functools.cache
def fast_paths_despite(kind: type) -> None:
    """Once per process: `torch.overrides.has_torch_function(args)` answers, while the only torch function mode on is
    a `kind` (the recorder), as it would with none on. (torch's transformer layers and multi-head attention take
    their fast path, with its own results, only when it says no; a mode of the snippet's still counts.) So do
    `has_torch_function_unary` and `has_torch_function_variadic` asked by the snippet's own code (a function of its
    own that supports tensor subclasses, as torch's docs show it: `if has_torch_function_unary(x): return
    handle_torch_function(f, (x,), x)` handed itself to the recorder and ran twice); asked by torch's (nn.init's
    initialisers), they still count the recorder, which is how it sees those calls."""
    has_torch_function: Callable[[Any], bool] = torch.overrides.has_torch_function

    @functools.wraps(has_torch_function)
    def has_torch_function_but_recorder(args: Any) -> bool:
        if not only_mode_is(kind):
            return has_torch_function(args)
        mode = _pop_mode()
        try:
            return has_torch_function(args)
        finally:
            _push_mode(mode)

    torch.overrides.has_torch_function = has_torch_function_but_recorder
    for name in ("has_torch_function_unary", "has_torch_function_variadic"):
        setattr(torch.overrides, name, _as_plain_to_the_snippet(kind, getattr(torch.overrides, name)))


def _as_plain_to_the_snippet(kind: type, check: Callable[..., bool]) -> Callable[..., bool]:
    @functools.wraps(check)
    def check_but_recorder(*args: Any) -> bool:
        if not only_mode_is(kind) or sys._getframe(1).f_code.co_filename != SNIPPET_FILE:
            return check(*args)
        mode = _pop_mode()
        try:
            return check(*args)
        finally:
            _push_mode(mode)

    return check_but_recorder


@functools.cache
def script_calls_seen_by(kind: type) -> None:
    """Once per process: a TorchScript function or method (`@torch.jit.script`, a scripted or traced module's forward)
    runs its ops in C++, where no torch function mode sees them, and its result came from no op: called with a `kind`
    mode (the recorder) alone on this thread's stack, it is handed to that mode as one call named after it
    (`fused_gelu`), its tensors the arguments, and a method's module's parameters and buffers, which its ops read unseen
    (`script_state`), one more argument the mode is handed. With another mode on the stack (the snippet's own), or none,
    it runs as in plain torch."""
    for script_class in (torch._C.ScriptFunction, torch._C.ScriptMethod):
        script_class.__call__ = _seen_by(kind, script_class.__call__)  # type: ignore[method-assign]


def _seen_by(kind: type, call: Callable[..., Any]) -> Callable[..., Any]:
    runners: dict[str, Callable[..., Any]] = {}  # name -> the function a mode is handed for the scripts of that name

    def run_named(name: str) -> Callable[..., Any]:
        # (one a name, the same each call, so that the recorder knows it; it runs the script given first, and holds
        # none of the snippet's objects)
        def run(script: Any, *args: Any, **kwargs: Any) -> Any:
            return call(script, *args[:-1], **kwargs)  # (the last: the module's state, for the mode only)

        run.__name__ = run.__qualname__ = name
        return runners.setdefault(name, run)

    def call_seen(script: Any, *args: Any, **kwargs: Any) -> Any:
        if not only_mode_is(kind):
            return call(script, *args, **kwargs)
        run = runners.get(script.name) or run_named(script.name)
        return torch.overrides.handle_torch_function(run, (), script, *args, script_state(script), **kwargs)

    SCRIPT_CALLS.add(call_seen.__code__)
    return call_seen


def script_state(script: Any) -> tuple[torch.Tensor, ...]:
    """The parameters and buffers of a TorchScript method's module and of its submodules, read through the C++ module
    (`owner`) as `torch.jit.RecursiveScriptModule` reads them, the snippet's own tensors; none for a function.
    (`test_a_scripted_modules_parameters_are_inputs_of_its_op`)"""
    owner = getattr(script, "owner", None)
    return () if owner is None else tuple(_module_state(owner, []))


def _module_state(module: Any, found: list[torch.Tensor]) -> list[torch.Tensor]:
    kinds: tuple[Any, ...] = (torch._C.ParameterDict, torch._C.BufferDict)  # (their stubs list no `items`)
    for kind in kinds:
        found += [tensor for _, tensor in kind(module).items() if tensor is not None]
    for _, submodule in torch._C.ModuleDict(module).items():
        _module_state(submodule, found)
    return found


SCRIPT_CALLS: set[CodeType] = set()  # the code of those calls: a script's call is the line's own, not a library's


@functools.cache
def hops_despite(kind: type) -> None:
    """Once per process: torch's higher-order ops (`torch.cond`, `torch._higher_order_ops.while_loop`), which run
    eagerly by compiling their branches whole, do so with the `kind` modes (the recorder) off this thread's stack.
    The calls inside them go unrecorded; their outputs join the graph where the snippet uses them."""
    from torch._higher_order_ops import utils

    compile_and_call: Callable[..., Any] | None = getattr(utils, "_hop_compile_and_call", None)
    if compile_and_call is None:  # (an older torch: its ops compile their branches otherwise)
        return
    utils._hop_compile_and_call = _without(kind, compile_and_call)


def _without(kind: type, call: Callable[..., Any]) -> Callable[..., Any]:
    """`call`, run with the `kind` modes (the recorder) off this thread's stack while it runs (with its parameters)."""

    def without(*args: Any, **kwargs: Any) -> Any:
        stack = [_mode_at(i) for i in range(_modes())]
        if all(type(mode) is not kind for mode in stack):
            return call(*args, **kwargs)
        _set_modes([mode for mode in stack if type(mode) is not kind])
        try:
            return call(*args, **kwargs)
        finally:
            _set_modes(stack)

    return with_parameters_of(call, without)


@functools.cache
def checks_despite(kind: type) -> None:
    """Once per process: `torch.autograd.gradcheck` and `gradgradcheck` run with the `kind` modes (the recorder) off
    this thread's stack. Their hundreds of ops nudge each input in turn to measure its gradient, and call backward
    as often: drawn, they buried the snippet's own graph (218 nodes for a 3-element input). They print and return
    as in plain torch. `torch.jit._trace._check_trace`, the checks `torch.jit.trace(model, example)` runs on its own
    (the model traced again and run twice on copies of `example`, the outputs compared: 27 ops on the trace line for a
    3-layer MLP, which the snippet never wrote), runs unrecorded by the `kind` mode, which stays on the stack: a
    trace notes the frame each op runs in, the mode's, and the checks compare their trace with the snippet's."""
    module = importlib.import_module("torch.autograd.gradcheck")  # (`torch.autograd.gradcheck` is the function)

    for name in ("gradcheck", "gradgradcheck"):
        checked = _without(kind, getattr(module, name))
        setattr(module, name, checked)
        setattr(torch.autograd, name, checked)
    traces = importlib.import_module("torch.jit._trace")  # (`trace` and `trace_module` call it by its global name)
    traces._check_trace = _unrecorded_by(kind, traces._check_trace)  # type: ignore[attr-defined]


@functools.cache
def swaps_seen_by(kind: type) -> None:
    """Once per process: `torch.utils.swap_tensors(t1, t2)` (`Module.to` calls it under
    `torch.__future__.set_swap_module_params_on_conversion(True)`) is handed to the innermost `kind` mode on this
    thread's stack (the recorder's `swap_tensors`), which lets go of what it holds of both first: the swap refuses
    tensors whose data or object something else holds. With none on, it runs as in plain torch."""
    swap = torch.utils.swap_tensors

    @functools.wraps(swap)
    def swap_seen(t1: torch.Tensor, t2: torch.Tensor) -> None:
        modes: list[Any] = [mode for mode in (_mode_at(i) for i in range(_modes())) if type(mode) is kind]
        return modes[-1].swap_tensors(swap, t1, t2) if modes else swap(t1, t2)

    torch.utils.swap_tensors = swap_seen


def data_holders(tensor: torch.Tensor) -> int:
    """How many references hold the tensor's data (its TensorImpl), as `torch.utils.swap_tensors` counts them."""
    return int(tensor._use_count())  # type: ignore[attr-defined]


def _unrecorded_by(kind: type, call: Callable[..., Any]) -> Callable[..., Any]:
    """`call`, run through the innermost `kind` mode's `run_unrecorded` (if one is on this thread's stack)."""

    def unrecorded(*args: Any, **kwargs: Any) -> Any:
        modes: list[Any] = [mode for mode in (_mode_at(i) for i in range(_modes())) if type(mode) is kind]
        return modes[-1].run_unrecorded(call, *args, **kwargs) if modes else call(*args, **kwargs)

    return with_parameters_of(call, unrecorded)


@functools.cache
def compiled_code_eager_despite(kind: type) -> None:
    """Once per process: code the snippet compiled with `torch.compile` runs eagerly while a `kind` mode (the
    recorder) is on this thread's stack, as under `torch.compiler.set_stance("force_eager")`, so each op inside is
    recorded as in any other function. The compiler would trace into the recorder, fail, and fall back to eager
    anyway, after seconds of tracing; and the sandbox can start no C++ compiler. Elsewhere the stance holds."""
    from torch._dynamo import eval_frame

    from_stance: Callable[[Any], Any] | None = getattr(eval_frame, "_callback_from_stance", None)
    if from_stance is None:  # (a torch without stances: its compiler falls back to eager after tracing)
        return
    original: Callable[[Any], Any] = from_stance

    def recording() -> bool:
        return any(type(_mode_at(i)) is kind for i in range(_modes()))

    def eager_while_recording(callback: Any) -> Any:
        return None if recording() else original(callback)  # (None, what "force_eager" gives: nothing compiled)

    class Stance:
        """The stance torch reads, which says "force_eager" while recording: a `fullgraph=True` call that compiled
        no frame is then no error (as under that stance), where plain torch compiled it whole."""

        def __init__(self, real: Any):
            self.real = real

        def __getattr__(self, name: str) -> Any:
            value = getattr(self.real, name)
            return "force_eager" if name == "stance" and value == "default" and recording() else value

    eval_frame._callback_from_stance = eager_while_recording
    if hasattr(eval_frame, "_stance"):
        eval_frame._stance = Stance(eval_frame._stance)  # type: ignore[assignment]  # (`set_stance` swaps it, puts it back)


@contextmanager
def compiles_eagerly(kind: type) -> Iterator[None]:
    """While it lasts, code compiled with `torch.compile` runs eagerly under a `kind` mode
    (`compiled_code_eager_despite`), installed once torch's compiler is loaded: now if it is (the engine loads it,
    `DYNAMO`), else when the snippet first calls `torch.compile`, which loads it."""
    if "torch._dynamo.eval_frame" in sys.modules:
        compiled_code_eager_despite(kind)
    original = torch.compile

    @functools.wraps(original)
    def compile_then_eager(*args: Any, **kwargs: Any) -> Any:
        compiled_code_eager_despite(kind)
        return original(*args, **kwargs)

    torch.compile = compile_then_eager  # type: ignore[assignment]
    try:
        yield
    finally:
        torch.compile = original


def _set_modes(stack: list[Any]) -> None:
    for _ in range(_modes()):
        _pop_mode()
    for mode in stack:
        _push_mode(mode)


@contextmanager
def loader_workers_in_process(iterator: Callable[[Any], Any]) -> Iterator[None]:
    """While on, a DataLoader with workers iterates with `iterator` (app.capture.loader) instead of starting
    processes (the worker count is checked and warned about as torch does)."""
    loader_class: Any = torch.utils.data.DataLoader
    original = loader_class._get_iterator

    def get_iterator(loader: Any) -> Any:
        if loader.num_workers == 0:
            return original(loader)
        loader.check_worker_number_rationality()
        return iterator(loader)

    loader_class._get_iterator = get_iterator
    try:
        yield
    finally:
        loader_class._get_iterator = original


@contextmanager
def stacks_from(stack: Callable[[], list[str]]) -> Iterator[None]:
    """While it lasts, anomaly mode records `stack()` as each op's forward stack (torch's own tracing excepted)."""
    saved = torch.fx.traceback.format_stack

    def format_stack() -> list[str]:
        return saved() if torch.fx.traceback.should_preserve_node_meta else stack()

    torch.fx.traceback.format_stack = format_stack
    try:
        yield
    finally:
        torch.fx.traceback.format_stack = saved


@contextmanager
def imports_timed(started: Callable[[], Callable[[float], None]]) -> Iterator[None]:
    """While it lasts, each module a thread loads for the first time (the snippet's `import`, or torch's own lazy
    imports) calls `started()` as it begins, outermost loads only, then what that returned with the CPU time the
    thread spent on it. Through `importlib._bootstrap._find_and_load`, which the interpreter calls (looked up by
    name) only for a module not yet in `sys.modules`: a cached import costs nothing more
    (`test_the_time_torch_takes_to_import_its_modules_is_no_recording_time`)."""
    bootstrap: Any = importlib._bootstrap  # type: ignore[attr-defined]
    original = bootstrap._find_and_load
    loading = threading.local()

    def find_and_load(*args: Any, **kwargs: Any) -> Any:
        if getattr(loading, "busy", False):
            return original(*args, **kwargs)
        loading.busy = True
        took, begun = started(), time.thread_time()
        try:
            return original(*args, **kwargs)
        except BaseException as exc:  # (a bare raise adds no entry for this frame: the traceback is Python's)
            if exc.__traceback__ is not None and exc.__traceback__.tb_frame is sys._getframe():
                exc.__traceback__ = exc.__traceback__.tb_next
            raise
        finally:
            loading.busy = False
            took(time.thread_time() - begun)

    bootstrap._find_and_load = find_and_load
    try:
        yield
    finally:
        bootstrap._find_and_load = original


# torch._dynamo, which an optimizer's first step, torch.func and checkpoint load (800 modules, 1.2 s of CPU), is loaded
# with the engine, before any run's clock starts: a worker for one run (`gradwalk capture`) loaded it on the run's time,
# a sixth of its wall-clock time and of its CPU time, and a transformer's 5 training steps, 3.7 s in plain Python, ran
# out of time (`test_a_snippet_that_compiles_runs_its_code_eagerly_with_the_compiler_loaded_before_its_run`).
DYNAMO = torch._dynamo

INT_MAX = 2**31 - 1  # (the largest recursion limit: a C int)
RECORDER_FRAMES = 30  # the frames a torch call may add under the recorder (its mode, module calls, hooks), at the tip


@contextmanager
def print_options_as_in_python() -> Iterator[None]:
    """While it lasts, tensors print with torch's default options, as in a fresh process; the options before come
    back after (`torch.set_printoptions(precision=2)` in one run printed the next run's tensors that way)."""
    before = dict(torch._tensor_str.get_printoptions())
    torch.set_printoptions(profile="default")
    try:
        yield
    finally:
        torch.set_printoptions(**before)


class Limit:
    """The interpreter's recursion limit while a capture runs: the snippet's own (`wanted`, what it reads), plus the
    frames gradwalk puts under the snippet and around its torch calls (`extra`), plus one for each module call it
    follows now (`calls`: `followed_call` runs over torch's own `__call__`)."""

    wanted = 0
    extra = 0
    calls = 0
    base = 0  # wanted + extra (at most DEEPEST_LIMIT) while a capture runs, else 0

    @classmethod
    def put(cls) -> None:
        cls.base = min(cls.wanted + cls.extra, DEEPEST_LIMIT) if cls.wanted else 0
        if cls.base:
            _set_limit(cls.base + cls.calls)


DEEPEST_LIMIT = INT_MAX - 2**20  # (room for a million module calls under way above it)
_set_limit = sys.setrecursionlimit  # (the interpreter's own: the snippet's is replaced while a capture runs)


def _one_call_deeper() -> None:
    Limit.calls += 1
    if Limit.base:
        _set_limit(Limit.base + Limit.calls)


def _one_call_back() -> None:
    Limit.calls -= 1
    if Limit.base:
        try:  # noqa: SIM105 (a plain try costs less than suppress(), once per module call)
            _set_limit(Limit.base + Limit.calls)
        except RecursionError:  # (not lowered under the frames running now: it is, as they return)
            pass


@contextmanager
def recursion_as_in_python() -> Iterator[None]:
    """While it lasts, the snippet, run from the caller's frame, recurses as deep as under `python FILE`: its top
    level runs deeper than a file's, each module call it makes runs in one frame more, and each torch call adds the
    recorder's frames, so the interpreter's limit is raised by that many while `sys.getrecursionlimit()` and
    `sys.setrecursionlimit(n)` keep the snippet's own view (a snippet recursing forever stops at most
    RECORDER_FRAMES frames later than in plain Python, on the same line)."""
    get, set_ = sys.getrecursionlimit, sys.setrecursionlimit
    frame: FrameType | None = sys._getframe(2)  # (the caller's: 0 is this generator's, 1 its context manager's)
    below = 0
    while frame is not None:
        below, frame = below + 1, frame.f_back
    original = get()
    Limit.wanted, Limit.extra, Limit.calls = original, below + RECORDER_FRAMES, 0

    def getrecursionlimit() -> int:
        return Limit.wanted

    def setrecursionlimit(limit: int, /) -> None:
        limit = operator.index(limit)  # (the same TypeError)
        if not 1 <= limit <= INT_MAX:
            set_(limit)  # (its own ValueError or OverflowError)
        set_(min(limit + Limit.extra, DEEPEST_LIMIT) + Limit.calls)  # (its own RecursionError, if too low for now)
        Limit.wanted = limit
        Limit.put()

    getrecursionlimit.__doc__, setrecursionlimit.__doc__ = get.__doc__, set_.__doc__
    sys.getrecursionlimit, sys.setrecursionlimit = getrecursionlimit, setrecursionlimit  # type: ignore[assignment]
    Limit.put()
    try:
        yield
    finally:
        sys.getrecursionlimit, sys.setrecursionlimit = get, set_
        Limit.wanted = Limit.calls = Limit.base = 0
        set_(original)
