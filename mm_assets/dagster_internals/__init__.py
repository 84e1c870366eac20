"""Every use of Dagster's private API (`dagster._...` imports, private attributes of Dagster objects).

Each module is one adapter that the rest of the tree calls; tests/test_dagster_internals.py pins
the Dagster behaviour each relies on, so a Dagster upgrade that changes it fails there, not inside a
run. Nothing outside this folder imports `dagster._`.
"""
