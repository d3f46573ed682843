"""Structs behave as the dataclasses they stand in for: the same classes declared with
`dataclasses.dataclass` and with `struct` are made, compared, hashed, shown, frozen,
copied and pickled alike, and `dataclasses`' functions take structs."""

import copy
import dataclasses
import importlib
import pickle
import pkgutil

import pytest

from iacguard import structs
import iacguard
from iacguard.structs import field, fields, struct


def declare(decorate, **options):
    """The same four classes, made by `decorate` (dataclass or struct) with `options`."""

    class Base:
        """A base with a field without a default and one with."""

        line: int
        column: int = 1

    Base = decorate(**options)(Base)

    class Child(Base):
        items: list = field(default_factory=list) if decorate is struct else dataclasses.field(default_factory=list)
        note: str = (field if decorate is struct else dataclasses.field)(default="", compare=False, repr=False)

    Child = decorate(**options)(Child)

    class Derived:
        words: tuple = ()
        count: int = (field if decorate is struct else dataclasses.field)(init=False)

        def __post_init__(self):
            object.__setattr__(self, "count", len(self.words))

    Derived = decorate(**options)(Derived)

    class Explicit:
        name: str = "x"

        def __eq__(self, other):
            return isinstance(other, type(self))

    Explicit = decorate(**options)(Explicit)
    return Base, Child, Derived, Explicit


OPTIONS = [{}, {"frozen": True}, {"slots": True}, {"frozen": True, "slots": True}, {"eq": False}, {"frozen": True, "eq": False}]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda options: ",".join(options) or "plain")
def test_a_struct_behaves_as_the_same_dataclass(options):
    made = {"dataclass": declare(dataclasses.dataclass, **options), "struct": declare(struct, **options)}
    seen = {}
    for name, (base, child, derived, explicit) in made.items():
        first, second, other = child(3, items=[1]), child(3, 1, [1], "ignored"), child(4)
        behaviour = [
            repr(first).replace(child.__qualname__, "C"), repr(derived(("a", "b"))).replace(derived.__qualname__, "D"),
            first == second, first == other, first == base(3), derived(("a",)).count, explicit() == explicit("y"),
            child(1).items is not child(1).items, child.__match_args__, hasattr(first, "__dict__"),
            getattr(child, "__slots__", None), base.__hash__ is None, explicit.__hash__ is None,
            [(each.name, each.init, each.compare) for each in dataclasses.fields(child)],
            dataclasses.replace(first, line=5) == child(5, 1, [1]), dataclasses.asdict(first), dataclasses.is_dataclass(first),
            dataclasses.fields(derived)[1].init, repr(getattr(child, "column", "no class attribute")),
            getattr(copy, "replace", dataclasses.replace)(first, line=6) == child(6, 1, [1]),  # copy.replace: Python 3.13
        ]
        if options.get("eq", True) and options.get("frozen"):
            behaviour.append(hash(base(3)) == hash(base(3, 1)) != hash(base(4)))
        else:
            behaviour.append(child.__hash__ is (None if options.get("eq", True) else object.__hash__))
        if options.get("frozen"):
            with pytest.raises(dataclasses.FrozenInstanceError):
                first.line = 9
            with pytest.raises(dataclasses.FrozenInstanceError):
                del first.line
        else:
            first.line = 9
            behaviour.append(first.line)
        for copied in (copy.copy(first), copy.deepcopy(first)):
            behaviour.append(copied == first if options.get("eq", True) else copied.items == first.items)
        seen[name] = behaviour
    assert seen["struct"] == seen["dataclass"]


def test_a_struct_pickles_across_processes_as_its_module_class():
    from iacguard.model import Location, Related

    location = Location("a.tf", 3, 1, 4, 2, via=(Related("passed in", "b.tf", 1, 1),))
    assert pickle.loads(pickle.dumps(location)) == location
    assert hash(pickle.loads(pickle.dumps(location))) == hash(location)


def test_a_struct_with_a_derived_field_is_replaced_and_pickled_whole():
    from iacguard.shell import Command, Word

    command = Command([Word("sudo", 1), Word("apt-get", 6), Word("install", 14)])
    derived = [each.name for each in structs.fields(Command) if not each.init]
    assert derived
    with pytest.raises(ValueError, match="not an argument of __init__"):
        structs.replace(command, **{derived[0]: []})
    assert pickle.loads(pickle.dumps(command)) == command == structs.replace(command)
    assert [getattr(command, name) for name in derived] == [getattr(pickle.loads(pickle.dumps(command)), name) for name in derived]


def every_struct_class():
    """Every struct class of the package, every module imported."""
    found = {}
    for module_info in pkgutil.walk_packages(iacguard.__path__, prefix="iacguard."):
        if module_info.name.startswith(("iacguard.lsp", "iacguard.__main__")):
            continue
        module = importlib.import_module(module_info.name)
        found.update({f"{value.__module__}.{value.__qualname__}": value for value in vars(module).values()
                      if isinstance(value, type) and "__struct_fields__" in value.__dict__})
    return found


def test_dataclasses_read_every_struct_as_it_is_declared():
    """What `dataclasses.fields` says of each struct class is what the class declares."""
    classes = every_struct_class()
    assert len(classes) > 100
    for name, cls in classes.items():
        ours = [(each.name, each.init, each.repr, each.compare) for each in structs.fields(cls)]
        theirs = [(each.name, each.init, each.repr, each.compare) for each in dataclasses.fields(cls)]
        assert theirs == ours, name
        assert dataclasses.is_dataclass(cls) and structs.is_struct(cls), name


def test_a_struct_compiles_its_init_on_first_call():
    @struct(frozen=True, slots=True)
    class Point:
        x: int
        y: int = 0

    placeholder = Point.__init__
    assert Point(1) == Point(1, 0) and Point.__init__ is not placeholder
    assert Point.__init__.__qualname__.endswith("Point.__init__")
    with pytest.raises(TypeError):
        Point()


def test_a_struct_refuses_what_a_dataclass_refuses_when_it_is_made():
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        @struct
        class Late:
            a: int = 1
            b: int

    with pytest.raises(ValueError, match="mutable default"):
        @struct
        class Shared:
            items: list = []

    @struct(frozen=True)
    class Frozen:
        a: int = 0

    with pytest.raises(TypeError, match="cannot inherit non-frozen struct from a frozen one"):
        @struct
        class Thawed(Frozen):
            b: int = 0


def test_a_struct_s_fields_may_take_any_name_and_class_variables_are_none():
    from typing import ClassVar

    @struct(frozen=True)
    class Odd:
        kept: ClassVar[int] = 3
        self: int = 1
        _set: int = 2
        nan: float = float("nan")

    assert repr(Odd(5, 6)) == "test_a_struct_s_fields_may_take_any_name_and_class_variables_are_none.<locals>.Odd(self=5, _set=6, nan=nan)"
    assert Odd.kept == 3 and [each.name for each in fields(Odd)] == ["self", "_set", "nan"]
    assert Odd() == Odd()  # NaN equals itself in the tuple a dataclass compares
