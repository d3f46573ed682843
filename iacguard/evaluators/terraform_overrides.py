"""Terraform override files, merged into a module's other files as Terraform merges
them (Terraform language documentation, "Override Files").

Terraform reads a module's override files (`override.tf`, `*_override.tf` and their
`.tf.json` forms: `iacguard.parsers.terraform.is_override`) after its other files, one
after another in the order of their names, and merges each of their top-level blocks
into the block of the same type and labels that another file writes:

- an argument of the override block replaces the original's argument of that name;
- its nested blocks of one type replace all of the original's blocks of that type (a
  `dynamic` block counts as a block of the type it generates), and the contents of
  nested blocks are not merged;
- `locals` are merged one value at a time, whichever `locals` block writes them;
- a `variable`'s `type` and `default` are arguments like the others, and the default is
  then converted to the type, as for any variable;
- a later override file's block is merged over what the earlier ones made.

Nothing here reads what Terraform merges otherwise (a resource's `lifecycle`, argument
by argument), nor `provider`, `terraform` or `moved` blocks, whose overrides are left
out (so an aliased `provider` without an original, or a `moved` block, in an override
file is not reported, though Terraform rejects both).

What Terraform rejects in an override file is a warning (IG003) at the override file's
line, as other invalid configurations are: a `resource`, `data`, `module`, `variable`
or `output` block, or a local value, that no other file of the module writes (the
block is not checked: what it writes is a part of a resource, not one), and
`depends_on` in an override of a `resource`, `data` or `output` block.

Where findings point. Each argument and nested block taken from an override file keeps
its file (`Attribute.path`, `Block.path`), so a finding on a value it sets points at
its line, with the original block's head as a related location (`written_at`); the
merged block keeps the original's place, so a setting that neither file writes is
reported at the original's head, and a resource is checked once, through the file
that writes it. An override file itself gives no resource.

Merging copies each override block once and each original it changes once, a step of
the budget of the evaluation it is part of for each block and argument copied.
"""

from __future__ import annotations

import os

from iacguard.budgets import Budget
from iacguard.model import Location
from iacguard.parsers.hcl import Attribute, Block, Body, Expr, HclFile
from iacguard.parsers.terraform import is_override
from iacguard.structs import struct

# Block types an override block must have an original of, by the number of labels
# that name one: Terraform rejects an override of a block no other file writes.
_NAMED = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1}
_WITHOUT_DEPENDS_ON = ("resource", "data", "output")  # Terraform rejects `depends_on` in their overrides

Files = list[tuple[str, HclFile | None]]  # a module's files, each with the path it is shown by (None: it does not parse)


@struct(frozen=True)
class Rejected:
    """Something Terraform rejects in an override file, at `line` and `column` of the
    file shown as `path`."""

    path: str
    line: int
    column: int
    message: str


def merged(files: Files, budget: Budget) -> tuple[Files, list[Rejected]]:
    """The module's `files` in the same order, with its override files merged into the
    others: each other file with its blocks as merged, each override file with no
    block left; and what Terraform rejects of the override files. Without override
    files, `files` itself."""
    overrides = sorted((os.path.basename(path), index) for index, (path, file) in enumerate(files)
                       if file is not None and is_override(os.path.basename(path)))
    if not overrides:
        return files, []
    module = _Merge(files, budget)
    for _, index in overrides:
        path, file = files[index]
        for block in file.body.blocks:
            module.merge(block, path)
    result = list(files)
    for _, index in overrides:
        path, file = files[index]
        result[index] = (path, HclFile(Body(), file.comments, file.spans))
    for index, blocks in module.merged_blocks().items():
        path, file = files[index]
        result[index] = (path, HclFile(Body(file.body.attributes, blocks), file.comments, file.spans))
    return result, module.rejected


def written_at(written: Attribute | Block, node: Expr | Block, path: str, head: Location) -> Location:
    """Where `node`, in the argument or nested block `written` of a block of the file
    shown as `path` whose head is `head`, is written: in that file, or in the override
    file that wrote that part, by way of the head."""
    span = (node.end_line, node.end_column) if isinstance(node, Expr) else (None, None)
    if written.path is None:
        return Location(path, node.line, node.column, *span)
    return Location(written.path, node.line, node.column, *span, via=(head.hop(f"overridden in {written.path}"),))


class _Merge:
    """The override blocks of a module merged one after another into its other files'
    blocks, and what Terraform rejects of them. A block (or local value) with no
    original is rejected only when every other file could be read: it may be written
    in one that was not (which makes the scan incomplete already)."""

    def __init__(self, files: Files, budget: Budget):
        self.files = files
        self.budget = budget
        self.originals = self._originals()
        self.complete = all(file is not None for path, file in files if not is_override(os.path.basename(path)))
        self.merging: dict[tuple[int, int], _Merging] = {}
        self.rejected: list[Rejected] = []

    def _originals(self) -> dict[tuple, tuple[int, int]]:
        """Where each block an override may change is written, by its type and labels
        (`("resource", TYPE, NAME)`), and each local value, by `("locals", NAME)`: the
        index of the file and the block's position in it. Override files write none."""
        originals: dict[tuple, tuple[int, int]] = {}
        for index, (path, file) in enumerate(self.files):
            if file is None or is_override(os.path.basename(path)):
                continue
            for position, block in enumerate(file.body.blocks):
                if block.type == "locals":
                    for name in block.body.attributes:
                        originals.setdefault(("locals", name), (index, position))
                elif _NAMED.get(block.type) == len(block.labels):
                    originals.setdefault((block.type, *block.labels), (index, position))
        return originals

    def merge(self, block: Block, path: str) -> None:
        """Merge one block of the override file shown as `path`."""
        if block.type == "locals":
            for name, attribute in block.body.attributes.items():
                self.budget.step()
                merging = self._into(("locals", name), path, attribute, f"local value {name}")
                if merging is not None:
                    merging.attributes[name] = _attribute_of(attribute, path)
            return
        if _NAMED.get(block.type) != len(block.labels):
            return  # a block nothing here reads
        header = " ".join([block.type, *(f'"{label}"' for label in block.labels)])
        merging = self._into((block.type, *block.labels), path, block, header)
        if merging is not None:
            merging.take(_stamped(block, path, self.budget).body)
        depends_on = block.body.attributes.get("depends_on") if block.type in _WITHOUT_DEPENDS_ON else None
        if depends_on is not None:
            self._reject(path, depends_on, f"{header} sets depends_on in an override file, which Terraform rejects")

    def _into(self, key: tuple, path: str, written: Attribute | Block, what: str) -> _Merging | None:
        """What the original of `key` has become so far; None, rejected, without one."""
        slot = self.originals.get(key)
        if slot is None:
            if self.complete:
                self._reject(path, written, f"{what} is in an override file, but no other file of the module writes it: "
                             "Terraform rejects the configuration, and it is not checked")
            return None
        if slot not in self.merging:
            index, position = slot
            self.merging[slot] = _Merging(self.files[index][1].body.blocks[position], self.budget)
        return self.merging[slot]

    def _reject(self, path: str, written: Attribute | Block, message: str) -> None:
        self.rejected.append(Rejected(path, written.line, written.column, message))

    def merged_blocks(self) -> dict[int, list[Block]]:
        """The blocks of each file the merge changed, by the file's index."""
        blocks_of: dict[int, list[Block]] = {}
        for (index, position), merging in self.merging.items():
            if index not in blocks_of:
                blocks_of[index] = list(self.files[index][1].body.blocks)
                self.budget.step(len(blocks_of[index]))
            blocks_of[index][position] = merging.block()
        return blocks_of


def _type(block: Block) -> str:
    """The type of the blocks a nested block makes: a `dynamic` block's label."""
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


class _Merging:
    """An original block, with what override blocks merged into it so far."""

    def __init__(self, original: Block, budget: Budget):
        budget.step(1 + len(original.body.attributes) + len(original.body.blocks))
        self.original = original
        self.attributes = dict(original.body.attributes)
        self.blocks: dict[str, list[Block]] = {}
        for nested in original.body.blocks:
            self.blocks.setdefault(_type(nested), []).append(nested)

    def take(self, body: Body) -> None:
        self.attributes.update(body.attributes)
        replacing: dict[str, list[Block]] = {}
        for nested in body.blocks:
            replacing.setdefault(_type(nested), []).append(nested)
        self.blocks.update(replacing)

    def block(self) -> Block:
        original = self.original
        body = Body(self.attributes, [nested for of_type in self.blocks.values() for nested in of_type])
        return Block(original.type, original.labels, body, original.line, original.column, original.end_line, original.path)


def _stamped(block: Block, path: str, budget: Budget) -> Block:
    """A copy of `block` whose arguments and blocks, nested ones too, say they are
    written in the file shown as `path`."""
    budget.step(1 + len(block.body.attributes))
    attributes = {name: _attribute_of(attribute, path) for name, attribute in block.body.attributes.items()}
    body = Body(attributes, [_stamped(nested, path, budget) for nested in block.body.blocks])
    return Block(block.type, block.labels, body, block.line, block.column, block.end_line, path)


def _attribute_of(attribute: Attribute, path: str) -> Attribute:
    return Attribute(attribute.name, attribute.value, attribute.line, attribute.column, attribute.end_line, path)
