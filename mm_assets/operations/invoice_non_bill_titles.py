"""The titles of documents that print a bill's figures but bill nothing, per kind, in many languages (kept apart from
the invoice lexicon, operations.invoice_lexicon, whose phrases name a bill's own fields)."""

from __future__ import annotations

# The titles of documents that print a bill's figures but bill nothing, per kind, in many languages: an order (its
# lines and totals are the invoice's to come), a statement of account (it lists invoices and payments), a
# delivery note, a quotation, a pro forma. Read as a title only (operations.invoice_doctype): a line that is the word
# alone, or a heading in capitals beside the seller's name ("Acme Corporation STATEMENT").
NOT_A_BILL_TITLES: dict[str, tuple[str, ...]] = {
    "order": (
        "order",
        "purchase order",
        "sales order",
        "order confirmation",
        "commande",
        "bon de commande",
        "confirmation de commande",
        "bestellung",
        "auftragsbestätigung",
        "pedido",
        "orden de compra",
        "ordine",
        "conferma d'ordine",
        "bestelling",
        "zamówienie",
        "objednávka",
        "beställning",
        "ordrebekræftelse",
        "tilaus",
    ),
    "statement": (
        "statement",
        "statement of account",
        "account statement",
        "relevé de compte",
        "kontoauszug",
        "estado de cuenta",
        "estratto conto",
        "rekeningoverzicht",
        "extrato de conta",
        "wyciąg",
    ),
    "delivery_note": (
        "delivery note",
        "packing slip",
        "packing list",
        "bon de livraison",
        "lieferschein",
        "albarán",
        "nota de entrega",
        "documento di trasporto",
        "pakbon",
        "dodací list",
        "följesedel",
    ),
    # a pro forma invoice announces the bill to come (for customs, for an advance): it bills nothing ("This pro
    # forma is not a VAT invoice and not a demand for payment"); a line that is its title alone
    "pro_forma": (
        "pro forma",
        "pro-forma",
        "pro forma invoice",
        "pro-forma invoice",
        "facture pro forma",
        "facture pro-forma",
        "proforma-rechnung",
        "factura pro forma",
        "fattura pro forma",
        "pro forma factuur",
        "faktura pro forma",
    ),
    "quotation": (
        "quote",
        "quotation",
        "estimate",
        "devis",
        "angebot",
        "kostenvoranschlag",
        "presupuesto",
        "cotización",
        "offerte",
        "offerta",
        "preventivo",
        "orçamento",
    ),
}
