"""Looking at the snippet's objects without running its code (observing must never change what a snippet does):
a value's kind comes from `type()`, never from `isinstance`, which reads a `__class__` the snippet may have made a
property; a list, tuple or dict (or a subclass of one) is read through its base class's own methods, never through
an `__iter__`, `__len__` or `items` the snippet overrode (torch reads the lists it is given the same way); a class is
known by identity (`kind in kinds` hashes and compares it, which a metaclass of the snippet's may do its own way), and
what a class or an object holds is read where Python keeps it (`type.__dict__`'s own descriptors: a metaclass's or a
class's `__getattribute__`, `__getattr__` or `__dict__` property of the snippet's runs then).
"""

import functools
from collections import deque
from collections.abc import Callable, Collection, Mapping
from types import FunctionType, GetSetDescriptorType, MemberDescriptorType, MethodType
from typing import Any, TypeGuard

import torch
from torch import Tensor, nn
from torch._C import TensorBase, _disabled_torch_dispatch_impl
from torch.masked import MaskedTensor

STRIDED = torch.strided
CLASS_DICT = type.__dict__["__dict__"]  # (`vars(kind)` as `type` reads it: no metaclass's `__getattribute__`)
CLASS_MRO = type.__dict__["__mro__"]
PLAIN_TENSORS = (Tensor, nn.Parameter)  # (a subclass's attributes may be the snippet's code)
KNOWN_METAS = (type, type(Tensor))  # metaclasses whose `==` and hash are `type`'s: identity

CONTAINERS = (list, tuple, dict, deque)  # (deque: a replay buffer)
# What a scripted module (torch.jit.script) keeps its parameters, buffers and submodules in: torch's own views of
# the compiled module's attributes, read through their own `items()`
SCRIPTED = (torch.jit._script.OrderedDictWrapper, torch.jit._script.OrderedModuleDict)
KEY_TYPES = (str, int, bool, float, type(None))  # dict keys whose repr is Python's own: they name items


def kind_in(kind: type, kinds: Collection[Any]) -> bool:
    """Whether `kind` is one of `kinds`, by identity: `kind in kinds` hashes it and compares it with `==`, which run
    a metaclass's `__hash__` and `__eq__` (the snippet's own, for its classes)."""
    meta = type(kind)
    if meta is KNOWN_METAS[0] or meta is KNOWN_METAS[1]:
        return kind in kinds
    return any(kind is known for known in kinds)


def class_vars(kind: type) -> Mapping[str, Any]:
    """`vars(kind)`, read as `type` reads it."""
    return CLASS_DICT.__get__(kind)  # type: ignore[no-any-return]


def defined_by_snippet(kind: type) -> bool:
    """Whether the snippet's code defined the class `kind` (its `__module__` is `__main__`)."""
    module = class_vars(kind).get("__module__")
    return type(module) is str and module == "__main__"


def mro_of(kind: type) -> tuple[type, ...]:
    """`kind.__mro__`, read as `type` reads it."""
    return CLASS_MRO.__get__(kind)  # type: ignore[no-any-return]


def instance_vars(value: Any) -> dict[str, Any] | None:
    """`vars(value)`: the object's own attributes, read where Python keeps them, by the `__dict__` descriptor of the
    class that gave its objects one (a `__dict__` property, `__getattribute__` or `__getattr__` of the snippet's
    class is passed by); None for an object without (slots, a number)."""
    for cls in mro_of(type(value)):
        found = class_vars(cls).get("__dict__")
        if (
            type(found) is GetSetDescriptorType or type(found) is MemberDescriptorType
        ):  # (a class of C: SimpleNamespace)
            try:
                attributes = found.__get__(value)
            except TypeError:  # (another type's descriptor, put on the snippet's class)
                return None
            return attributes if type(attributes) is dict else None
    return None


def slot_values(value: Any) -> dict[str, Any]:
    """The values in the object's slots (`__slots__`, a `@dataclass(slots=True)`'s fields), by attribute name, read
    by each slot's own descriptor where its class keeps it (`type.__dict__`'s: no property, `__getattribute__` or
    `__getattr__` of the snippet's runs); a slot never set is left out."""
    found: dict[str, Any] = {}
    for cls in mro_of(type(value)):
        for name, slot in list(class_vars(cls).items()):
            if type(slot) is MemberDescriptorType and type(name) is str and name[:2] != "__" and name not in found:
                try:
                    found[name] = slot.__get__(value)
                except (AttributeError, TypeError):  # (a slot not set; another type's descriptor)
                    continue
    return found


def module_parts(module: nn.Module) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A module's parameters, buffers, submodules and its other attributes, as nn.Module keeps them (a module of the
    snippet's may override `__getattribute__`, or not have called `nn.Module.__init__`: then empty)."""
    own = instance_vars(module) or {}
    compiled = own.get("_actual_script_module")  # (a traced module's are its compiled module's: torch.jit.trace)
    held = (instance_vars(compiled) or {}) if "_parameters" not in own and is_module(compiled) else own
    fields = [_as_dict(held.get(name)) for name in ("_parameters", "_buffers", "_modules")]
    return fields[0], fields[1], fields[2], own


def _as_dict(part: Any) -> dict[str, Any]:
    if type(part) is dict:
        return part
    return dict(part.items()) if kind_in(type(part), SCRIPTED) else {}  # (torch's own `items()`)


def is_tensor(value: Any) -> TypeGuard[Tensor]:
    return issubclass(type(value), Tensor)


def is_module(value: Any) -> TypeGuard[nn.Module]:
    return issubclass(type(value), nn.Module)


def is_container(value: Any) -> TypeGuard[list | tuple | dict | deque]:
    return issubclass(type(value), CONTAINERS)


def _base(container: Any) -> Any:
    kind = type(container)
    if issubclass(kind, dict):
        return dict
    return list if issubclass(kind, list) else deque if issubclass(kind, deque) else tuple


def size_of(container: Any) -> int:
    """How many items a list, tuple, dict or deque holds, by its base class's count."""
    return int(_base(container).__len__(container))


def items_of(container: Any) -> list[tuple[Any, Any]]:
    """(key or index, item) of each item of a list, tuple, dict or deque, read as its base class holds them."""
    base = _base(container)
    return list(dict.items(container)) if base is dict else list(enumerate(base.__iter__(container)))


def values_of(container: Any) -> list[Any]:
    """The items of a list, tuple or deque, or the values of a dict, read as its base class holds them."""
    base = _base(container)
    return list(dict.values(container)) if base is dict else list(base.__iter__(container))


def field_path(name: str, container: Any, key: Any) -> str | None:
    """A named tuple's item as the code may read it too (`st.h`, `m.values` of `torch.max(x, 0)`), else None."""
    if type(key) is not int or not issubclass(type(container), tuple):
        return None
    # (read from the classes, never looked up: a named tuple's and torch's `return_types`' match args)
    found = (class_vars(kind).get("__match_args__") for kind in mro_of(type(container))[:-2])
    fields = next((f for f in found if f is not None), None)
    if type(fields) is tuple and key < len(fields) and type(fields[key]) is str:
        return f"{name}.{fields[key]}"
    return None


def key_text(key: Any) -> str | None:
    """How an item's key is written in its name (`state['exp_avg']`, `parts[0]`), or None for a key whose repr would
    be the snippet's own code (an object of its own class as a dict key: that item is not named after it)."""
    return repr(key) if kind_in(type(key), KEY_TYPES) else None


def wraps(hook: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`functools.wraps(hook)` for the snippet's functions and methods; for any other callable of the snippet's
    (an object with `__call__`), only `__wrapped__`: reading its name would run a `__getattr__` of its class."""
    if kind_in(type(hook), (FunctionType, MethodType)):
        return functools.wraps(hook)

    def wrap(wrapper: Callable[..., Any]) -> Callable[..., Any]:
        wrapper.__wrapped__ = hook  # type: ignore[attr-defined]
        return wrapper

    return wrap


def is_method_of(hook: Any, functions: tuple[Any, ...]) -> bool:
    """Whether `hook` is a bound method of one of `functions` (never reading a snippet object's attributes)."""
    return type(hook) is MethodType and any(hook.__func__ is function for function in functions)


def module_tensors(module: nn.Module) -> list[Tensor]:
    """The parameters and buffers of a module and its submodules, read from where nn.Module keeps them (a module
    of the snippet's may override `parameters()`)."""
    found: list[Tensor] = []
    stack, seen = [module], set()
    while stack:
        sub = stack.pop()
        if id(sub) in seen:
            continue
        seen.add(id(sub))
        parameters, buffers, children, _ = module_parts(sub)
        for tensors in (parameters, buffers):
            found += [t for t in tensors.values() if is_tensor(t)]  # (nn.Module's own dicts)
        stack += [child for child in children.values() if is_module(child)]
    return found


def as_torch_reads_hooks(hook: Any, result: Any) -> None:
    """What autograd does to a tensor hook that returned a value, done to the snippet's hook that the recorder wraps
    (autograd sees the wrapper): it asks for the hook's `__name__` (has it? then get it), which a callable object
    of the snippet's may answer with its own code. (A function's name is its own: nothing runs.)"""
    if result is not None and not kind_in(type(hook), (FunctionType, MethodType)) and hasattr(hook, "__name__"):
        getattr(hook, "__name__")  # noqa: B009


OWN_DISPATCH = (
    "a tensor subclass of the snippet's own (`__torch_dispatch__`): reading its values would run its code",
    "코드에서 직접 만든 텐서 하위 클래스(`__torch_dispatch__`)라서, 값을 읽으면 그 코드가 실행됩니다",
)
TENSOR_BASES = (Tensor, TensorBase, object)  # (every tensor subclass is made of these: torch's, whoever subclasses)


def _dispatcher(tensor: Tensor) -> type | None:
    """The class whose `__torch_dispatch__` every op on `tensor` runs (a wrapper subclass's), or None."""
    for cls in mro_of(type(tensor)):
        found = class_vars(cls).get("__torch_dispatch__")
        if found is not None:
            return None if found is _disabled_torch_dispatch_impl else cls
    return None


def _of_torch(kind: type) -> bool:
    """Whether `kind` is torch's own: every class it is made of is defined in torch's modules (a subclass the snippet
    defines, even of one of torch's, is the snippet's own). Read from the classes' own dicts, running nothing."""
    for cls in mro_of(kind):
        module = class_vars(cls).get("__module__")
        if not kind_in(cls, TENSOR_BASES) and not (
            type(module) is str and (module == "torch" or module.startswith("torch."))
        ):
            return False
    return True


def runs_python_dispatch(tensor: Tensor) -> bool:
    """Whether every op on `tensor` runs a `__torch_dispatch__` (a wrapper subclass's, the snippet's or torch's): no
    op of the engine's reads it (under a disabled dispatch it has no memory to read)."""
    return _dispatcher(tensor) is not None


def runs_own_dispatch(tensor: Tensor) -> bool:
    """Whether every op on `tensor` runs a `__torch_dispatch__` of the snippet's (a wrapper subclass it defined): its
    values are read by no op of the engine's, nor by any other means."""
    return _dispatcher(tensor) is not None and not _of_torch(type(tensor))


def torch_subclass_values(tensor: Tensor) -> Tensor | None:
    """The values of a tensor of torch's own wrapper subclass, read where its class keeps them (no op runs on it):
    a MaskedTensor's data when no entry is masked out; None for any other (its values are not shown). Called with
    torch functions and dispatch turned off: the one op it runs, on its plain mask, is then seen by no mode."""
    if type(tensor) is not MaskedTensor:
        return None
    fields = instance_vars(tensor) or {}  # (MaskedTensor._set_data_mask's two plain tensors)
    data, mask = fields.get("_masked_data"), fields.get("_masked_mask")
    if type(data) is not Tensor or type(mask) is not Tensor or STRIDED is not data.layout or STRIDED is not mask.layout:
        return None  # (a sparse MaskedTensor: its unstored entries are masked out)
    return data if mask.shape == data.shape and bool(mask.all()) else None
