"""One module per artifact kind: each builds its partitioned asset and its checks."""
