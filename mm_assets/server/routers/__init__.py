"""One router per resource of the API: media, search, review, keys."""
