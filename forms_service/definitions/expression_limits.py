"""Static limits on CEL expressions, so no definition that passes the checks can crash or
stall a worker.

The CEL library evaluates by native recursion over the syntax tree: ``1+1+…+1`` with 15,000
terms overflows the native stack and kills the process (SIGSEGV), and nested comprehensions
multiply their ranges (three nested ``map`` over 100 items ran 20 s of CPU). The library
exposes no syntax tree, so this module parses the expression itself (CEL's grammar is small)
and measures, without evaluating:

- length of the source,
- depth of the syntax tree (a left-leaning ``a+b+c+…`` is as deep as it has terms),
- number of terms (literals and names),
- nesting of comprehensions (``all``, ``exists``, ``exists_one``, ``map``, ``filter``),
- elements of a list or map literal,
- an estimated cost: evaluation steps, counting a comprehension's body once per element of
  its range. A range from the answers (a repeat group, a domain function's list) counts as
  ``MAX_INPUT_ITEMS`` elements; the answers are cut to that many rows before evaluation
  (``forms_service.answers.evaluate``), which is the bound at evaluation time for what the
  static limits cannot see.

The parser recurses only for brackets, and stops at ``MAX_DEPTH`` levels, so it cannot be made
to recurse deeply itself; operator chains are parsed in loops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 2_000
MAX_DEPTH = 40
MAX_TERMS = 300
MAX_COMPREHENSION_NESTING = 2
MAX_LITERAL_ITEMS = 100
MAX_INPUT_ITEMS = 100  # rows of a repeat group (or items of any list answer) evaluated
MAX_COST = 25_000
# all expressions of a definition together, an expression evaluated per row counting
# MAX_INPUT_ITEMS times: bounds the evaluation time of one case (see benchmarks/README.md)
MAX_DEFINITION_COST = 100_000

_COMPREHENSIONS = frozenset({"all", "exists", "exists_one", "map", "filter"})

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*)
    |(?P<string>[rRbB]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"
        |'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"))
    |(?P<number>0[xX][0-9a-fA-F]+[uU]?|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?[uU]?)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<op>\|\||&&|==|!=|<=|>=|[-+*/%!<>?:.,()\[\]{}])
    """,
    re.VERBOSE | re.DOTALL,
)
_RELATIONS = frozenset({"<", "<=", ">=", ">", "==", "!=", "in"})


class ExpressionLimitError(ValueError):
    """The expression is over a limit; ``message`` is Danish, for the definition problem."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Unparsable(Exception):
    """Not CEL this parser understands; the CEL compiler then reports the syntax error."""


@dataclass(frozen=True, slots=True)
class ExpressionMeasure:
    depth: int  # of the syntax tree
    terms: int  # literals and names
    nesting: int  # of comprehensions
    cost: int  # estimated evaluation steps
    size: int  # elements, when the value is a list or map (estimated)


def _leaf(size: int = MAX_INPUT_ITEMS) -> ExpressionMeasure:
    return ExpressionMeasure(depth=1, terms=1, nesting=0, cost=1, size=size)


def _node(*children: ExpressionMeasure, size: int = MAX_INPUT_ITEMS) -> ExpressionMeasure:
    return ExpressionMeasure(
        depth=1 + max((c.depth for c in children), default=0),
        terms=sum(c.terms for c in children),
        nesting=max((c.nesting for c in children), default=0),
        cost=1 + sum(c.cost for c in children),
        size=size,
    )


def check_expression_limits(source: str) -> ExpressionMeasure | None:
    """Raise ExpressionLimitError if ``source`` is over a limit; its measure if it parsed.

    None means this parser could not read it: the CEL compiler will refuse it as a syntax
    error (``compile_expression`` refuses it if the compiler would not).
    """
    if len(source) > MAX_LENGTH:
        raise ExpressionLimitError(
            f"udtrykket er for langt ({len(source)} tegn; højst {MAX_LENGTH})"
        )
    try:
        tokens = _tokens(source)
        measure = _Parser(tokens).parse()
    except _Unparsable:
        return None
    if measure.depth > MAX_DEPTH:
        raise ExpressionLimitError(
            f"udtrykket er for dybt ({measure.depth} niveauer; højst {MAX_DEPTH}); "
            "del det op i beregnede værdier"
        )
    if measure.nesting > MAX_COMPREHENSION_NESTING:
        raise ExpressionLimitError(
            f"for mange indlejrede gennemløb (all/exists/map/filter: {measure.nesting}; "
            f"højst {MAX_COMPREHENSION_NESTING})"
        )
    if measure.cost > MAX_COST:
        raise ExpressionLimitError(
            f"udtrykket er for dyrt at beregne (anslået {measure.cost} trin; højst {MAX_COST})"
        )
    if measure.terms > MAX_TERMS:
        raise ExpressionLimitError(
            f"udtrykket har for mange led ({measure.terms}; højst {MAX_TERMS}); "
            "del det op i beregnede værdier"
        )
    return measure


def definition_cost_problem(costs: list[tuple[str, int]]) -> str | None:
    """The Danish problem when the expressions' costs (path, cost) together are too high."""
    total = sum(cost for _path, cost in costs)
    if total <= MAX_DEFINITION_COST:
        return None
    costliest = max(costs, key=lambda item: item[1])[0]
    return (
        f"udtrykkene er tilsammen for dyre at beregne (anslået {total} trin; højst "
        f"{MAX_DEFINITION_COST}); det dyreste er {costliest}"
    )


def _tokens(source: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise _Unparsable
        position = match.end()
        kind = match.lastgroup
        if kind == "space":
            continue
        text = match.group()
        # literals are one kind of term each; keep a marker, not the text
        tokens.append("#lit" if kind in ("string", "number") else text)
    return tokens


class _Parser:
    """Recursive descent over CEL's grammar, returning measures instead of a tree."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.level = 0

    def parse(self) -> ExpressionMeasure:
        measure = self.expr()
        if self.position != len(self.tokens):
            raise _Unparsable
        return measure

    # --- tokens ---

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise _Unparsable
        self.position += 1
        return token

    def accept(self, token: str) -> bool:
        if self.peek() == token:
            self.position += 1
            return True
        return False

    # --- grammar ---

    def expr(self) -> ExpressionMeasure:
        self.level += 1
        if self.level > MAX_DEPTH:
            raise ExpressionLimitError(
                f"udtrykket er for dybt (mere end {MAX_DEPTH} niveauer af parenteser og kald)"
            )
        condition = self.binary(0)
        if self.accept("?"):
            then = self.binary(0)
            self.take(":")
            otherwise = self.expr()
            condition = _node(condition, then, otherwise, size=max(then.size, otherwise.size))
        self.level -= 1
        return condition

    _LEVELS: tuple[frozenset[str], ...] = (
        frozenset({"||"}),
        frozenset({"&&"}),
        _RELATIONS,
        frozenset({"+", "-"}),
        frozenset({"*", "/", "%"}),
    )

    def binary(self, level: int) -> ExpressionMeasure:
        if level == len(self._LEVELS):
            return self.unary()
        operators = self._LEVELS[level]
        left = self.binary(level + 1)
        while self.peek() in operators:
            operator = self.take()
            right = self.binary(level + 1)
            size = left.size + right.size if operator == "+" else MAX_INPUT_ITEMS
            combined = _node(left, right, size=size)
            if operator == "in":  # a search through the right-hand list
                combined = _with_cost(combined, combined.cost + right.size)
            left = combined
        return left

    def unary(self) -> ExpressionMeasure:
        operators = 0
        while self.peek() in ("!", "-"):
            self.take()
            operators += 1
        measure = self.member()
        for _ in range(operators):
            measure = _node(measure)
        return measure

    def member(self) -> ExpressionMeasure:
        measure = self.primary()
        while True:
            if self.accept("."):
                self.accept("?")  # optional field selection
                name = self.take()
                if not _is_name(name):
                    raise _Unparsable
                if self.accept("("):
                    args = self.arguments(")")
                    measure = self.call(name, measure, args)
                else:
                    measure = _node(measure)
            elif self.accept("["):
                self.accept("?")
                index = self.expr()
                self.take("]")
                measure = _node(measure, index)
            else:
                return measure

    def call(
        self, name: str, target: ExpressionMeasure, args: list[ExpressionMeasure]
    ) -> ExpressionMeasure:
        if name not in _COMPREHENSIONS or len(args) not in (2, 3):
            return _node(target, *args)
        body = args[1:]  # the loop variable is args[0]
        per_item = sum(b.cost for b in body) + 1
        return ExpressionMeasure(
            depth=1 + max(target.depth, *(b.depth for b in body)),
            terms=target.terms + sum(a.terms for a in args),
            nesting=max(target.nesting, 1 + max(b.nesting for b in body)),
            cost=target.cost + target.size * per_item,
            size=target.size,
        )

    def arguments(self, closing: str) -> list[ExpressionMeasure]:
        items: list[ExpressionMeasure] = []
        while not self.accept(closing):
            items.append(self.expr())
            if not self.accept(","):
                self.take(closing)
                break
        return items

    def primary(self) -> ExpressionMeasure:
        lexeme = self.take()
        if lexeme == "#lit":
            return _leaf(size=0)
        if lexeme == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if lexeme == "[":
            items = self.arguments("]")
            _check_literal_size(len(items))
            return _node(*items, size=len(items)) if items else _leaf(size=0)
        if lexeme == "{":
            return self.map_literal()
        if lexeme == ".":
            lexeme = self.take()
        if not _is_name(lexeme):
            raise _Unparsable
        if self.accept("("):
            return _node(*self.arguments(")"))
        if self.peek() == "{" and lexeme[:1].isupper():  # message construction Type{...}
            self.take("{")
            return self.map_literal()
        return _leaf()

    def map_literal(self) -> ExpressionMeasure:
        entries: list[ExpressionMeasure] = []
        while not self.accept("}"):
            self.accept("?")
            entries.append(self.expr())
            self.take(":")
            entries.append(self.expr())
            if not self.accept(","):
                self.take("}")
                break
        _check_literal_size(len(entries) // 2)
        return _node(*entries, size=len(entries) // 2) if entries else _leaf(size=0)


def _with_cost(measure: ExpressionMeasure, cost: int) -> ExpressionMeasure:
    return ExpressionMeasure(measure.depth, measure.terms, measure.nesting, cost, measure.size)


def _is_name(token: str) -> bool:
    return token[:1].isalpha() or token[:1] == "_"


def _check_literal_size(items: int) -> None:
    if items > MAX_LITERAL_ITEMS:
        raise ExpressionLimitError(
            f"en liste eller tabel i udtrykket har for mange elementer ({items}; "
            f"højst {MAX_LITERAL_ITEMS})"
        )
