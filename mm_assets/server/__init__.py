"""`mm serve`: the HTTP API (FastAPI on uvicorn) with warm models, per-tenant keys and the review page.

app.py builds the application; state.py holds what is loaded once (models, the searcher, the
Dagster definitions and instance) and the interactive upload queue; auth.py turns a Bearer key
into a tenant; one router per resource (media, search, review, keys).
"""
