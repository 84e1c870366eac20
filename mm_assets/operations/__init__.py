"""What users do to the corpus: ingest through the gate, search, evaluate, lifecycle, status."""
