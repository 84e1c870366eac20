# Python 3.11 on the debootstrapped Debian base: the stand-in for python:3.11-slim-bookworm when no
# registry answers. Debian's python3 (3.11) in a venv at /opt/python, first on PATH, so `python` and
# `pip` mean the same here as in the official image (and /opt/venv stays free for the images on top).
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv /opt/python
ENV PATH=/opt/python/bin:$PATH LANG=C.UTF-8
CMD ["python3"]
