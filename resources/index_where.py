"""The user filter of a search (`where`): a small tokenizer and recursive-descent parser that
re-emits canonical SQL, so only the listed columns, comparisons and literals reach LanceDB. Beside it,
the filters the index writes itself (`sql_string`, the content-hash and owner predicates)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from resources.index_schema import CONTENT_HASH_PATTERN

MAX_WHERE_CHARS = 2_000
MAX_IN_LIST = 1_000
MAX_WHERE_DEPTH = 32
# Columns a user `where` may reference, with the literal type each compares against.
FILTER_COLUMNS: Mapping[str, str] = {
    "region": "string",
    "modality": "string",
    "consent": "string",
    "usage_rights": "string",
    "content_hash": "string",
    "has_ocr": "bool",
}


class QueryRefused(ValueError):
    """A search request was refused before it reached the index; the message says what to fix."""


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|!=|<>|=|<|>)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE"}
_SUBQUERY_WORDS = {"SELECT", "FROM", "UNION", "WITH", "EXISTS"}


@dataclass(frozen=True)
class _Token:
    kind: str  # string | number | ident | keyword | op | lparen | rparen | comma | end
    text: str
    position: int


def _tokenize(where: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(where):
        if where.startswith("--", position) or where.startswith("/*", position):
            raise QueryRefused(f"SQL comments are not allowed in where (position {position})")
        char = where[position]
        if char == ";":
            raise QueryRefused("';' is not allowed in where: give one filter expression")
        if char == "'":
            match = _TOKEN.match(where, position)
            if match is None or match.lastgroup != "string":
                raise QueryRefused(f"a string literal in where is not closed (position {position})")
        if char in '"`[':
            raise QueryRefused(
                f"quoted identifiers are not allowed in where (position {position}); "
                f"use plain column names and 'single-quoted' strings"
            )
        match = _TOKEN.match(where, position)
        if match is None:
            raise QueryRefused(f"unexpected character {char!r} in where at position {position}")
        kind = match.lastgroup or ""
        text = match.group()
        if kind == "ident" and text.upper() in _KEYWORDS:
            kind, text = "keyword", text.upper()
        if kind != "space":
            tokens.append(_Token(kind, text, position))
        position = match.end()
    tokens.append(_Token("end", "", len(where)))
    return tokens


class _WhereParser:
    """expr := and (OR and)*; and := not (AND not)*; not := NOT not | '(' expr ')' | predicate."""

    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._index = 0
        self._depth = 0

    def parse(self) -> str:
        sql = self._or()
        token = self._peek()
        if token.kind != "end":
            raise QueryRefused(f"unexpected {token.text!r} in where at position {token.position}")
        return sql

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _next(self) -> _Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def _accept_keyword(self, word: str) -> bool:
        token = self._peek()
        if token.kind == "keyword" and token.text == word:
            self._index += 1
            return True
        return False

    def _expect(self, kind: str, what: str) -> _Token:
        token = self._next()
        if token.kind != kind:
            found = token.text or "the end of the filter"
            raise QueryRefused(f"expected {what} in where at position {token.position}, got {found!r}")
        return token

    def _or(self) -> str:
        parts = [self._and()]
        while self._accept_keyword("OR"):
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._not()]
        while self._accept_keyword("AND"):
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def _not(self) -> str:
        self._depth += 1
        if self._depth > MAX_WHERE_DEPTH:
            raise QueryRefused(f"where nests deeper than {MAX_WHERE_DEPTH} levels; simplify it")
        try:
            if self._accept_keyword("NOT"):
                return f"(NOT {self._not()})"
            if self._peek().kind == "lparen":
                self._next()
                inner = self._or()
                self._expect("rparen", "')'")
                return inner
            return self._predicate()
        finally:
            self._depth -= 1

    def _predicate(self) -> str:
        token = self._next()
        if token.kind == "ident" and token.text.upper() in _SUBQUERY_WORDS:
            raise QueryRefused("subqueries are not allowed in where")
        if token.kind != "ident":
            found = token.text or "the end of the filter"
            raise QueryRefused(
                f"a condition in where must start with a column name, got {found!r} at position {token.position}"
            )
        if self._peek().kind == "lparen":
            raise QueryRefused(f"function calls are not allowed in where: {token.text}(...)")
        column = _filter_column(token.text)
        if self._accept_keyword("IS"):
            negated = self._accept_keyword("NOT")
            if not self._accept_keyword("NULL"):
                raise QueryRefused(f"expected NULL after IS in where (column {column})")
            return f"({column} IS {'NOT ' if negated else ''}NULL)"
        negated = self._accept_keyword("NOT")
        if self._accept_keyword("IN"):
            return self._in_list(column, negated)
        if negated:
            raise QueryRefused(f"expected IN after NOT in where (column {column})")
        operator = self._expect("op", f"a comparison operator after {column}").text
        operator = "!=" if operator == "<>" else operator
        return f"({column} {operator} {self._literal(column)})"

    def _in_list(self, column: str, negated: bool) -> str:
        self._expect("lparen", f"'(' after IN (column {column})")
        values = [self._literal(column)]
        while self._peek().kind == "comma":
            self._next()
            values.append(self._literal(column))
            if len(values) > MAX_IN_LIST:
                raise QueryRefused(f"an IN list in where may hold at most {MAX_IN_LIST} values")
        self._expect("rparen", f"')' closing the IN list of {column}")
        return f"({column} {'NOT IN' if negated else 'IN'} ({', '.join(values)}))"

    def _literal(self, column: str) -> str:
        token = self._next()
        expected = FILTER_COLUMNS[column]
        if token.kind == "ident" and token.text.upper() in _SUBQUERY_WORDS:
            raise QueryRefused("subqueries are not allowed in where")
        if token.kind == "string" and expected == "string":
            return sql_string(token.text[1:-1].replace("''", "'"))
        if token.kind == "keyword" and token.text in {"TRUE", "FALSE"} and expected == "bool":
            return token.text
        found = token.text or "the end of the filter"
        wanted = {"string": "a 'quoted string'", "bool": "TRUE or FALSE"}
        raise QueryRefused(f"{column} compares with {wanted[expected]} in where, got {found!r}")


def _filter_column(name: str) -> str:
    column = name.lower()
    if column == "tenant_id":
        raise QueryRefused("tenant_id cannot be used in where: the tenant comes from the tenant argument")
    if column not in FILTER_COLUMNS:
        allowed = ", ".join(sorted(FILTER_COLUMNS))
        raise QueryRefused(f"unknown column {name!r} in where; filterable columns: {allowed}")
    return column


def validate_where(where: str) -> str:
    """Check a user filter and return it as canonical SQL; raises QueryRefused naming the problem.

    Allowed: the columns in FILTER_COLUMNS, comparisons (= != <> < <= > >=), [NOT] IN lists,
    IS [NOT] NULL, AND/OR/NOT and parentheses, with string or TRUE/FALSE literals.
    """
    if len(where) > MAX_WHERE_CHARS:
        raise QueryRefused(f"where is longer than {MAX_WHERE_CHARS} characters")
    if not where.strip():
        raise QueryRefused("where is blank; pass None for no filter")
    return _WhereParser(_tokenize(where)).parse()


def sql_string(value: str) -> str:
    """A SQL string literal with quotes doubled, for values this module puts into filters."""
    return "'" + value.replace("'", "''") + "'"


def sources_predicate(content_hashes: Sequence[str]) -> str | None:
    """`content_hash IN (...)` for validated content hashes; None for an empty list."""
    for content_hash in content_hashes:
        if not isinstance(content_hash, str) or not CONTENT_HASH_PATTERN.fullmatch(content_hash):
            raise ValueError(f"not a content hash (64 lowercase hex): {content_hash!r}")
    if not content_hashes:
        return None
    keys = ", ".join(sql_string(content_hash) for content_hash in sorted(set(content_hashes)))
    return f"content_hash IN ({keys})"


def owned_predicate(content_hashes: Sequence[str], tenant: str | None) -> str | None:
    """`sources_predicate`, narrowed to one owner's rows when `tenant` is given."""
    predicate = sources_predicate(content_hashes)
    if predicate is None or tenant is None:
        return predicate
    return f"{predicate} AND tenant_id = {sql_string(tenant)}"
