# The Afterguard worker image (used by docker-compose.yml).
# Two stages: the first builds the wheel, with the hot path compiled by Cython (setup.py; it
# needs a C compiler, and AFTERGUARD_COMPILE=required fails the build rather than ship an
# uncompiled one); the image installs that wheel without the compiler.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY detectors detectors
COPY policies policies
COPY sampling sampling
COPY streams streams
RUN AFTERGUARD_COMPILE=required pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels && useradd --create-home afterguard \
    && mkdir /keys && chown afterguard /keys   # the signing keys volume (docker-compose.yml)
USER afterguard
ENV AFTERGUARD_HOME=/home/afterguard/.afterguard
ENTRYPOINT ["afterguard"]
CMD ["worker"]
