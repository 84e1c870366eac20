"""Line items from the table whose header names a description and an amount column, and its
continuation on later pages under the same header.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mm_assets.operations.invoice_label_match import _label_match_any
from mm_assets.operations.invoice_lines import SPLIT_MARK
from mm_assets.operations.invoice_values import GUESSED, Found, amounts_in, parse_amount

# Matched on the heading with its spaces removed too ("CAN TID AD" is "CANTIDAD"), in the five languages
COLUMN_HEADINGS = {
    "description": r"desc|item|product|service|article|particulars|details|beschreibung|bezeichnung|"
    r"d[ée]signation|libell[ée]|omschrijving|concepto|art[ií]culo",
    # a heading naming the count by what was done with it ("Amount Purchased", "Number ordered") is the quantity,
    # whatever its first word: it is read before the amount's words claim the column
    "quantity": r"qty|quantity|units?\b|hours|hrs|pcs|count|cantidad|menge|anzahl|quantit[ée]|qt[ée]|aantal|"
    r"purchased|ordered|shipped|delivered",
    "unit_price": r"unit|price|rate|each|cost|precio|preis|prix|prijs",
    "amount": r"amount|total|line\s*total|sum|ext|value|importe|betrag|montant|bedrag|gesamt",
    "discount": r"disc|rabatt|remise|r[ée]duction",  # a percentage or an amount off the line
}


def heading_columns(header: list[str]) -> dict[str, int]:
    """Which column holds each line-item part, by its heading's words."""
    columns: dict[str, int] = {}
    for part in ("discount", "quantity", "unit_price", "amount", "description"):  # the distinctive ones first
        for index, heading in enumerate(header):
            squeezed = re.sub(r"\s+", "", heading)
            if index not in columns.values() and (
                re.search(COLUMN_HEADINGS[part], heading, re.I) or re.search(COLUMN_HEADINGS[part], squeezed, re.I)
            ):
                columns[part] = index
                break
    return _count_left_of_its_item(header, columns)


def _count_left_of_its_item(header: list[str], columns: dict[str, int]) -> dict[str, int]:
    """Columns with an "Amount" left of the item's description read as the count it is (invoice2's English "Amount |
    Item | VAT | Unit Price | Price"): money stands right of what it pays for, so the line's amount is the rightmost
    price column the headings left unclaimed."""
    if "amount" not in columns or "description" not in columns or columns["amount"] > columns["description"]:
        return columns
    money = [
        index
        for index, heading in enumerate(header)
        if index not in columns.values()
        and index > columns["description"]
        and re.search(
            COLUMN_HEADINGS["unit_price"] + "|" + COLUMN_HEADINGS["amount"], re.sub(r"\s+", "", heading), re.I
        )
    ]
    if not money:
        return columns
    fixed = {**columns, "amount": max(money)}
    if "quantity" not in columns:
        fixed["quantity"] = columns["amount"]
    return fixed


def line_items(tables: list[dict]) -> list[dict[str, Found]]:
    """Rows under the first header row that names a description and an amount (a table may begin with
    other rows: the layout model can join a shipment block over the items into one table), and under
    such a header in the tables of later pages (the items continued overleaf, under their repeated
    header, which a page may cut into other columns)."""
    items: list[dict[str, Found]] = []
    first_page: int | None = None
    for table in tables:
        if first_page is not None and table["page"] <= first_page:
            continue
        header = _item_header(table)
        if header is None:
            continue
        found = _table_items(table, header)
        if found:
            items += found
            first_page = table["page"] if first_page is None else first_page
    return items


# A unit price with more decimals than money has ("0,0125" EUR a kWh, "4.99796"): four or more digits after
# the mark can be no thousands group, so the figure is read whole, not as 0 and 125
FINE_PRICE = re.compile(r"(?<![\d.,])(\d{1,6})[.,](\d{4,6})(?![\d.,])")


def _first_amount(cell: str) -> Decimal | None:
    """A cell's first figure: the model may join two columns into one cell ("198,00 19" of amount and
    rate, "5 2.00" of quantity and unit price), whose figures read as one would be nonsense. A mark the
    text layer set apart ("11 ,31") is joined first."""
    cell = SPLIT_MARK.sub(r"\1", cell)
    fine = FINE_PRICE.search(cell)
    amounts = amounts_in(cell)
    if fine is not None and (not amounts or cell.find(fine.group(0)) <= cell.find(str(amounts[0]).split(".")[0])):
        return Decimal(f"{fine.group(1)}.{fine.group(2)}")
    return amounts[0] if amounts else None


def _several_figures(cell: str) -> bool:
    """A cell that reads as more than one figure (two columns joined, or a figure the text layer cut
    into pieces: "24 49 22"): its first figure is a guess."""
    cell = FINE_PRICE.sub("0", SPLIT_MARK.sub(r"\1", cell))
    return len(amounts_in(cell)) > 1


def _item_header(table: dict) -> tuple[int, dict[str, int]] | None:
    """The index of a table's first row whose headings name a description and an amount, and its columns."""
    for index, row in enumerate(table["rows"]):
        columns = heading_columns(row)
        if "amount" in columns and "description" in columns:
            return index, columns
    return None


def _table_items(table: dict, header: tuple[int, dict[str, int]]) -> list[dict[str, Found]]:
    first, columns = header
    boxes = {(cell["row"], cell["col"]): cell["bbox"] for cell in table["cells"]}
    items = []
    for r, row in enumerate(table["rows"][first + 1 :], start=first + 1):
        description = row[columns["description"]].strip()
        if not description or _label_match_any(description):
            continue  # a subtotal/tax/total row inside the table is a field, not an item
        item: dict[str, Found] = {}
        for part, col in columns.items():
            text = row[col]
            if part == "description":
                value: Any = text.strip()
            else:  # a discount may be a percentage, which amounts_in leaves out as a rate
                value = parse_amount(text) if part == "discount" else _first_amount(text)
            if value not in (None, ""):
                confidence = GUESSED if part != "description" and _several_figures(text) else 0.9
                item[part] = Found(value, table["page"], list(boxes.get((r, col), table["bbox"])), confidence)
        if "amount" in item:
            items.append(item)
    return items
