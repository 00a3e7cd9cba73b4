"""The interlock condition language: a small declarative expression grammar, parsed and
type-checked here and compiled by ``interlock.policy.evaluate``; nothing is ever handed to
Python's eval.

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | "true" | "false" | NAME | FUNC "(" expr ("," expr)* ")" | "(" expr ")"
    FUNC    := "abs" | "min" | "max"

A NAME is a tag (its current value in engineering units), or `value` / `current`: the value
being written to the guarded tag and the value it has now. Values are numbers or booleans;
the types are checked when the policy loads. Evaluation uses three-valued logic: a tag not
yet observed is unknown, and unknown propagates (`false and unknown` is false, `true or
unknown` is true) so that the policy decides what unknown means. Expressions are bounded in
length and depth, so evaluating one is bounded work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

MAX_LENGTH: Final = 1000
MAX_NODES: Final = 200
MAX_DEPTH: Final = 24
KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false"})
FUNCTIONS: Final[dict[str, int]] = {"abs": 1, "min": 2, "max": 2}
SPECIAL_NAMES: Final = frozenset({"value", "current"})
COMPARISONS: Final = frozenset({"<", "<=", ">", ">=", "==", "!="})
_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><=|>=|==|!=|[<>()+\-*/,]))"
)

Value = float | bool | None
"""A number, a boolean, or None for unknown."""
Getter = Callable[[Any], Value]


class ExprError(Exception):
    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Const:
    value: float | bool
    column: int


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    column: int


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: Node
    column: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node
    column: int


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    args: tuple[Node, ...]
    column: int


Node = Const | Name | Unary | Binary | Call


@dataclass(frozen=True, slots=True)
class Expr:
    """A parsed expression with the text it was written as."""

    text: str
    root: Node

    def names(self) -> tuple[str, ...]:
        """The names it reads, once each, in the order written."""
        found: dict[str, None] = {}
        _collect(self.root, found)
        return tuple(found)


def parse(text: str) -> Expr:
    """The expression's tree; ExprError (with a 1-based column) when it is not one."""
    if len(text) > MAX_LENGTH:
        raise ExprError(f"longer than {MAX_LENGTH} characters", 1)
    parser = _Parser(_tokens(text))
    root = parser.expression(0)
    extra = parser.peek()
    if extra is not None:
        raise ExprError(f"unexpected `{extra[1]}`", extra[2])
    if parser.nodes > MAX_NODES:
        raise ExprError(f"more than {MAX_NODES} terms: split it into several interlocks", 1)
    return Expr(text, root)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            column = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
            raise ExprError(f"unexpected `{text[column - 1]}`", column)
        tokens.append(
            (match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup) + 1)
        )
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.nodes = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, *words: str) -> tuple[str, str, int] | None:
        token = self.peek()
        if token is not None and token[1] in words and token[0] != "number":
            self.pos += 1
            return token
        return None

    def end_column(self) -> int:
        if not self.tokens:
            return 1
        _, text, column = self.tokens[-1]
        return column + len(text)

    def count(self, depth: int) -> None:
        self.nodes += 1
        if depth > MAX_DEPTH:
            raise ExprError(f"nested deeper than {MAX_DEPTH} levels", self.end_column())

    def expression(self, depth: int) -> Node:
        return self.either(depth)

    def either(self, depth: int) -> Node:
        left = self.both(depth)
        while (token := self.take("or")) is not None:
            self.count(depth)
            left = Binary("or", left, self.both(depth), token[2])
        return left

    def both(self, depth: int) -> Node:
        left = self.negation(depth)
        while (token := self.take("and")) is not None:
            self.count(depth)
            left = Binary("and", left, self.negation(depth), token[2])
        return left

    def negation(self, depth: int) -> Node:
        token = self.take("not")
        if token is not None:
            self.count(depth)
            return Unary("not", self.negation(depth + 1), token[2])
        return self.comparison(depth)

    def comparison(self, depth: int) -> Node:
        left = self.sum(depth)
        token = self.take(*COMPARISONS)
        if token is None:
            return left
        self.count(depth)
        right = self.sum(depth)
        follow = self.take(*COMPARISONS)
        if follow is not None:
            raise ExprError(f"chained comparison `{follow[1]}`: join them with `and`", follow[2])
        return Binary(token[1], left, right, token[2])

    def sum(self, depth: int) -> Node:
        left = self.product(depth)
        while (token := self.take("+", "-")) is not None:
            self.count(depth)
            left = Binary(token[1], left, self.product(depth), token[2])
        return left

    def product(self, depth: int) -> Node:
        left = self.unary(depth)
        while (token := self.take("*", "/")) is not None:
            self.count(depth)
            left = Binary(token[1], left, self.unary(depth), token[2])
        return left

    def unary(self, depth: int) -> Node:
        token = self.take("-")
        if token is not None:
            self.count(depth)
            return Unary("-", self.unary(depth + 1), token[2])
        return self.atom(depth)

    def atom(self, depth: int) -> Node:
        token = self.peek()
        if token is None:
            raise ExprError("the expression ends too early", self.end_column())
        kind, text, column = token
        self.pos += 1
        self.count(depth)
        if kind == "number":
            return Const(float(text), column)
        if text in ("true", "false"):
            return Const(text == "true", column)
        if kind == "name" and text in FUNCTIONS:
            return self.call(text, column, depth)
        if kind == "name" and text not in KEYWORDS:
            return Name(text, column)
        if text == "(":
            inner = self.expression(depth + 1)
            if self.take(")") is None:
                raise ExprError("`(` is never closed", column)
            return inner
        raise ExprError(f"unexpected `{text}`", column)

    def call(self, function: str, column: int, depth: int) -> Node:
        if self.take("(") is None:
            raise ExprError(f"`{function}` needs its arguments in parentheses", column)
        args = [self.expression(depth + 1)]
        while self.take(",") is not None:
            args.append(self.expression(depth + 1))
        if self.take(")") is None:
            raise ExprError(f"`{function}(` is never closed", column)
        if len(args) != FUNCTIONS[function]:
            wanted = FUNCTIONS[function]
            raise ExprError(f"`{function}` takes {wanted} argument{'s' * (wanted > 1)}", column)
        return Call(function, tuple(args), column)


def _collect(node: Node, found: dict[str, None]) -> None:
    if isinstance(node, Name):
        found[node.name] = None
    elif isinstance(node, Unary):
        _collect(node.operand, found)
    elif isinstance(node, Binary):
        _collect(node.left, found)
        _collect(node.right, found)
    elif isinstance(node, Call):
        for arg in node.args:
            _collect(arg, found)


def check_types(node: Node, types: Mapping[str, str]) -> str:
    """The type (`bool` or `number`) of node; ExprError when operands do not fit."""
    if isinstance(node, Const):
        return "bool" if isinstance(node.value, bool) else "number"
    if isinstance(node, Name):
        if node.name not in types:
            raise ExprError(f"unknown name `{node.name}`", node.column)
        return types[node.name]
    if isinstance(node, Call):
        for arg in node.args:
            _expect(arg, "number", types, f"`{node.function}`")
        return "number"
    if isinstance(node, Unary):
        wanted = "bool" if node.op == "not" else "number"
        _expect(node.operand, wanted, types, f"`{node.op}`")
        return wanted
    if node.op in ("and", "or"):
        _expect(node.left, "bool", types, f"`{node.op}`")
        _expect(node.right, "bool", types, f"`{node.op}`")
        return "bool"
    if node.op in ("==", "!="):
        left, right = check_types(node.left, types), check_types(node.right, types)
        if left != right:
            raise ExprError(f"`{node.op}` compares a {left} with a {right}", node.column)
        return "bool"
    _expect(node.left, "number", types, f"`{node.op}`")
    _expect(node.right, "number", types, f"`{node.op}`")
    return "bool" if node.op in COMPARISONS else "number"


def _expect(node: Node, wanted: str, types: Mapping[str, str], user: str) -> None:
    found = check_types(node, types)
    if found != wanted:
        what = "true/false" if wanted == "bool" else "a number"
        shown = f"`{node.name}` is a {found}" if isinstance(node, Name) else f"it is a {found}"
        raise ExprError(f"{user} needs {what} ({shown})", node.column)
