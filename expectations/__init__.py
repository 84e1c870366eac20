"""Great Expectations suites over the catalog tables, and the asset check that runs them.

Importing this package does not import great_expectations; running the suites does.
"""

from expectations.catalog import (
    CatalogExpectationError,
    CatalogExpectationReport,
    ExpectationOutcome,
    catalog_suites,
    run_catalog_expectations,
)
from expectations.checks import CHECK_NAME, build_catalog_expectations_check, check_result_of

__all__ = [
    "CHECK_NAME",
    "CatalogExpectationError",
    "CatalogExpectationReport",
    "ExpectationOutcome",
    "build_catalog_expectations_check",
    "catalog_suites",
    "check_result_of",
    "run_catalog_expectations",
]
