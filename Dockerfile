# The Afterguard worker image (used by docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY detectors detectors
COPY policies policies
COPY sampling sampling
COPY streams streams
RUN pip install --no-cache-dir . && useradd --create-home afterguard \
    && mkdir /keys && chown afterguard /keys   # the signing keys volume (docker-compose.yml)
USER afterguard
ENV AFTERGUARD_HOME=/home/afterguard/.afterguard
ENTRYPOINT ["afterguard"]
CMD ["worker"]
