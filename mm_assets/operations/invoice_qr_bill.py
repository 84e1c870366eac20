"""The Swiss QR-bill's amount box: "Currency Amount" over "CHF 1 337.42" (German, French, Italian alike), the
total and currency of a bill whose labels gave none.
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_values import Found, _lines_below, _same_row, parse_amount
from mm_assets.page_layout import Line

# The QR-bill's amount box: "Currency Amount" over "CHF 1 337.42" (German, French, Italian alike)
QR_AMOUNT_HEADING = re.compile(r"\s*(currency|w[äa]hrung|monnaie|valuta)\s+(amount|betrag|montant|importo)\s*", re.I)


QR_AMOUNT = re.compile(r"\s*([A-Z]{3})\s+(\d[\d' ]*[.,]\d{2})\s*$")


def _qr_bill_amount(lines: list[Line]) -> tuple[Found, str] | None:
    """A QR-bill's amount and currency: the "CHF 1 337.42" line under its "Currency Amount" heading
    (the payment part and its receipt print the same)."""
    for line in lines:
        if not QR_AMOUNT_HEADING.fullmatch(line.text):
            continue
        under = [o for o in _lines_below(line, lines, 2) if line.bbox[0] - 2 <= o.bbox[0] <= line.bbox[2]]
        for below in sorted(under, key=lambda o: o.bbox[1]):
            # the code and the figure may be set as two runs on the row ("CHF" | "22.45")
            row = sorted((o for o in under if _same_row(list(o.bbox), list(below.bbox))), key=lambda o: o.bbox[0])
            amount = QR_AMOUNT.match(" ".join(o.text for o in row))
            value = parse_amount(amount.group(2).replace("'", "").replace(" ", "")) if amount else None
            if value is not None:
                return Found(value, below.page, list(row[-1].bbox), 0.7), amount.group(1)
    return None
