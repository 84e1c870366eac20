"""The parts: models, stores, catalog, index. Importing the package defers the LanceDB REST client's
`__init__` (resources/import_deferral.py): a local or S3 index never uses it, and it was 0.8 of the
2.0 s of CPU `import lancedb` took."""

from resources.import_deferral import REST_CLIENT, defer_package_init

defer_package_init(REST_CLIENT)
