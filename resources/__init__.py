"""The parts: models, stores, catalog, index. Importing the package defers the LanceDB REST client's
`__init__` (resources/import_deferral.py): a local or S3 index never uses it, and it was 0.8 of the
2.0 s of CPU `import lancedb` took; and it gives LanceDB the `override` marker it uses on Python 3.12
instead of the `overrides` package's definition-time checks (resources/lancedb_imports.py, ~0.1 s)."""

from resources.import_deferral import REST_CLIENT, defer_package_init
from resources.lancedb_imports import use_override_marker

defer_package_init(REST_CLIENT)
use_override_marker()
