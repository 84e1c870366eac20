"""How runs happen: the Dagster instance, its event log, batched runs, sensors and alerts."""
