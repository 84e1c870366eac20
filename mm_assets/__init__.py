"""mm-assets: multimodal assets on Dagster. Importing the package keeps every write under MM_HOME."""

import os

# ONNX Runtime (OCR, ASR) otherwise writes a telemetry database and a device id under ~/.cache/Microsoft
# when its first session starts: outside MM_HOME, and personal to the machine. It reads this variable
# when a session is created, so setting it here, before any model loads, is enough.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
