"""Structs: the classes of the resource model and of the pipeline.

A struct is declared as a dataclass is (`@struct`, `@struct(frozen=True, slots=True)`,
`field(default_factory=list)`) and behaves as one: an `__init__` taking the fields in
order, `__repr__`, `__eq__` comparing field by field, a hash when frozen, `__slots__`
when asked, `__post_init__`, copies and pickles. The standard library's `dataclasses`
functions take structs too (`fields`, `replace`, `asdict`, `is_dataclass`), so a plugin
may treat the model's classes as the dataclasses they used to be.

Why not `dataclasses` itself: a check of one Dockerfile imports about sixty such
classes, and `dataclasses` writes every method of every class as source and compiles
it when the class is made (about 0.3 ms a class), after importing `inspect`: 25 ms of a
70 ms check, spent on classes a third of which that check never makes. A struct's
`__eq__`, `__hash__` and `__repr__` are made without compiling anything (the comparison
reads the fields with one `operator.attrgetter`), and its `__init__` is compiled the
first time the class is called, so a class costs only what it is used for; the
`dataclasses` view is built only when something asks for it.
"""

from __future__ import annotations

import operator
import reprlib
import typing
from typing import Any, Callable

__all__ = ["Field", "field", "fields", "is_struct", "replace", "struct"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """One field of a struct, as `dataclasses.Field` describes one."""

    __slots__ = ("name", "type", "default", "default_factory", "init", "repr", "compare")

    def __init__(self, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING, init: bool = True,
                 repr: bool = True, compare: bool = True) -> None:  # noqa: A002 -- the names dataclasses gives them
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, default_factory={self.default_factory!r})"


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING, init: bool = True,
          repr: bool = True, compare: bool = True) -> Any:  # noqa: A002
    """A field with a default (or a factory making one), as `dataclasses.field`."""
    return Field(default, default_factory, init, repr, compare)


def struct(cls: type | None = None, /, *, frozen: bool = False, eq: bool = True, slots: bool = False) -> Any:
    """Make `cls` a struct, as `dataclasses.dataclass` with the same arguments does."""

    def make(cls: type) -> type:
        return _make(cls, frozen, eq, slots)

    return make if cls is None else make(cls)


def fields(struct_or_class: Any) -> tuple[Field, ...]:
    """The fields of a struct (or of its class), in `__init__`'s order."""
    return tuple(struct_or_class.__struct_fields__.values())


def is_struct(value: Any) -> bool:
    """Whether `value` is a struct or a struct class."""
    return hasattr(value, "__struct_fields__")


def replace(value: Any, /, **changes: Any) -> Any:
    """A copy of the struct `value` with `changes`, as `dataclasses.replace`."""
    for name, described in type(value).__struct_fields__.items():
        if not described.init:
            if name in changes:
                raise ValueError(f"field {name} is not an argument of __init__ and cannot be replaced")
        elif name not in changes:
            changes[name] = getattr(value, name)
    return type(value)(**changes)


def _make(cls: type, frozen: bool, eq: bool, slots: bool) -> type:
    """`cls` as a struct: its fields and their checks, the class made again for
    slots, then the methods it does not write itself."""
    namespace = cls.__dict__
    own: dict[str, Field] = {}
    for name, kind in cls.__annotations__.items():  # the class's own (Python 3.10 and later)
        if _is_class_variable(kind):
            continue
        declared = namespace.get(name, MISSING)
        if type(declared) in (list, dict, set):
            raise ValueError(f"mutable default {type(declared)} for field {name} is not allowed: use default_factory")
        described = declared if isinstance(declared, Field) else Field(declared)
        described.name, described.type = name, kind
        own[name] = described
    all_fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        options = base.__dict__.get("__struct_options__")
        if options is not None and options["frozen"] != frozen:
            raise TypeError(f"cannot inherit {'frozen' if frozen else 'non-frozen'} struct from a {'frozen' if options['frozen'] else 'non-frozen'} one")
        all_fields.update(base.__dict__.get("__struct_fields__", {}))
    all_fields.update(own)
    defaulted = False  # as `dataclasses` checks when the class is made, not when it is first called
    for name, described in all_fields.items():
        if described.init:
            if described.default is MISSING and described.default_factory is MISSING and defaulted:
                raise TypeError(f"non-default argument {name!r} follows default argument")
            defaulted |= described.default is not MISSING or described.default_factory is not MISSING

    if slots:
        cls = _with_slots(cls, own)
    else:
        for name, described in own.items():  # class attributes hold plain defaults, as in a dataclass
            if isinstance(namespace.get(name), Field):
                if described.default is MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, described.default)

    namespace = cls.__dict__
    cls.__struct_fields__ = all_fields
    cls.__struct_options__ = {"frozen": frozen, "eq": eq}
    if "__init__" not in namespace:
        cls.__init__ = _init_compiled_on_first_call(cls)
    if "__repr__" not in namespace:
        cls.__repr__ = _repr
    compared = [name for name, described in all_fields.items() if described.compare]
    key = operator.attrgetter(*compared) if len(compared) > 1 else _one_key(compared[0]) if compared else _no_key
    if eq and "__eq__" not in namespace:
        cls.__eq__ = _equality(key)
    explicit_hash = namespace.get("__hash__", MISSING) is not MISSING and not (namespace["__hash__"] is None and "__eq__" in namespace)
    if eq and not explicit_hash:
        cls.__hash__ = _hash(key) if frozen else None
    if frozen:
        cls.__setattr__, cls.__delattr__ = _frozen(cls, frozenset(all_fields))
        if slots:  # pickles and copies set a slotted struct's fields one by one
            cls.__getstate__, cls.__setstate__ = _getstate, _setstate
    if "__replace__" not in namespace:  # copy.replace (Python 3.13)
        cls.__replace__ = replace
    if "__match_args__" not in namespace:
        cls.__match_args__ = tuple(name for name, described in all_fields.items() if described.init)
    cls.__dataclass_fields__, cls.__dataclass_params__ = _DATACLASS_FIELDS, _DATACLASS_PARAMS
    return cls


def _with_slots(cls: type, own: dict[str, Field]) -> type:
    """`cls` made again with a slot for each field it declares, as `dataclasses` does
    (a class's slots cannot be added once it is made)."""
    inherited = {slot for base in cls.__mro__[1:-1] for slot in _slots_of(base)}
    namespace = {name: value for name, value in cls.__dict__.items() if name not in own and name not in ("__dict__", "__weakref__")}
    namespace["__slots__"] = tuple(name for name in own if name not in inherited)
    made = type(cls)(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    return made


def _slots_of(cls: type) -> tuple[str, ...]:
    slots = cls.__dict__.get("__slots__", ())
    return (slots,) if isinstance(slots, str) else tuple(slots)


def _init_compiled_on_first_call(cls: type) -> Callable[..., None]:
    """An `__init__` that compiles the struct's own, puts it on the class and runs it."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        compiled = _compile_init(cls)
        cls.__init__ = compiled
        compiled(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _compile_init(cls: type) -> Callable[..., None]:
    """The struct's `__init__`, written as source as a dataclass's is (so a call costs
    no more than one written by hand) and compiled."""
    frozen = cls.__struct_options__["frozen"]
    # The function's own names are dunders no field can be given (a field named
    # `self` or `_set` would take the place of one).
    scope: dict[str, Any] = {"__struct_factory__": MISSING, "__struct_set__": object.__setattr__}
    parameters, body = [], []
    for name, described in cls.__struct_fields__.items():
        if described.default_factory is not MISSING:
            scope[f"__struct_factory_{name}__"] = described.default_factory
            made = f"__struct_factory_{name}__()"
            value = f"{made} if {name} is __struct_factory__ else {name}" if described.init else made
            default = "=__struct_factory__"
        elif described.default is not MISSING:
            scope[f"__struct_default_{name}__"] = described.default
            value = name if described.init else f"__struct_default_{name}__"
            default = f"=__struct_default_{name}__"
        elif described.init:
            value, default = name, ""
        else:  # set by `__post_init__`
            continue
        if described.init:
            parameters.append(f"{name}{default}")
        body.append(f"__struct_set__(__struct_self__, {name!r}, {value})" if frozen else f"__struct_self__.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("__struct_self__.__post_init__()")
    source = f"def __init__(__struct_self__, {', '.join(parameters)}):\n    " + "\n    ".join(body or ["pass"])
    exec(source, scope)  # noqa: S102 -- our own source, made from the class's field names
    compiled = scope["__init__"]
    compiled.__qualname__ = f"{cls.__qualname__}.__init__"
    return compiled


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name, described in self.__struct_fields__.items() if described.repr)
    return f"{type(self).__qualname__}({shown})"


def _no_key(_value: Any) -> tuple[()]:
    return ()


def _one_key(name: str) -> Callable[[Any], tuple]:
    """The one field compared, in a tuple as `attrgetter` gives several: a tuple
    compares its items by identity first, so a NaN equals itself as in a dataclass."""
    getter = operator.attrgetter(name)
    return lambda value: (getter(value),)


def _is_class_variable(kind: Any) -> bool:
    """Whether an annotation declares a class variable (or an init-only variable,
    which no struct uses): written as text under `from __future__ import
    annotations`, or the object."""
    if isinstance(kind, str):
        return kind.startswith(("ClassVar", "typing.ClassVar"))
    return kind is typing.ClassVar or getattr(kind, "__origin__", None) is typing.ClassVar


def _equality(key: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key: Callable[[Any], Any]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _frozen(cls: type, names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    """`__setattr__` and `__delattr__` refusing the fields, as a frozen dataclass's do
    (a subclass that is not a struct may set attributes of its own)."""

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            _refuse(name)
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            _refuse(name)
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _refuse(name: str) -> None:
    import dataclasses  # the error a frozen dataclass raises, for code that catches it

    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__struct_fields__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__struct_fields__, state):
        object.__setattr__(self, name, value)


class _DataclassView:
    """`__dataclass_fields__` or `__dataclass_params__`, where `dataclasses` reads a
    class's fields and options: made from the struct's when first read (importing
    `dataclasses` only then) and kept on the class."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, instance: Any, owner: type) -> Any:
        import dataclasses

        def missing(value: Any) -> Any:
            return dataclasses.MISSING if value is MISSING else value

        made = dataclasses.make_dataclass(owner.__name__, [
            (each.name, each.type, dataclasses.field(default=missing(each.default), default_factory=missing(each.default_factory),
                                                     init=each.init, repr=each.repr, compare=each.compare))
            for each in owner.__struct_fields__.values()], **owner.__struct_options__)
        for attribute in ("__dataclass_fields__", "__dataclass_params__"):
            type.__setattr__(owner, attribute, getattr(made, attribute))
        return getattr(made, self.attribute)


_DATACLASS_FIELDS, _DATACLASS_PARAMS = _DataclassView("__dataclass_fields__"), _DataclassView("__dataclass_params__")
