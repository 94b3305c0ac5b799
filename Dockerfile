# The mock server as an image, for a team that runs its tools in containers:
#   docker build -t evokit .
#   docker run --rm -p 127.0.0.1:5000:5000 evokit                 # http://127.0.0.1:5000
#   docker run --rm -p 127.0.0.1:5000:5000 evokit --latency 300   # options after the image name
# This is the one place the mock listens beyond loopback: inside the container, 0.0.0.0 is what
# makes the published port reach it; publish it on 127.0.0.1 to keep it off the network.
FROM python:3.11-slim

WORKDIR /app
# Only what the mock needs to install and start; .dockerignore keeps the rest out of the context.
COPY pyproject.toml README.md ./
COPY contract ./contract
COPY mockserver ./mockserver
COPY fixtures ./fixtures
RUN pip install --no-cache-dir . && useradd --no-create-home --shell /usr/sbin/nologin evokit

# Options as the mock's own EVOKIT_* variables, so `docker run -e EVOKIT_LATENCY=300` works too;
# mount other fixtures with `-v "$PWD/my-fixtures:/fixtures:ro" -e EVOKIT_FIXTURES=/fixtures`.
ENV EVOKIT_HOST=0.0.0.0 \
    EVOKIT_PORT=5000 \
    EVOKIT_FIXTURES=/app/fixtures \
    PYTHONDONTWRITEBYTECODE=1
USER evokit
EXPOSE 5000
# The folder the mock reads evokit.toml or pyproject.toml from: empty, or a project mounted with
# `-v "$PWD:/config:ro"` to use its [tool.evokit.mock] table.
WORKDIR /config
# evokit is PID 1 and handles SIGTERM itself, so `docker stop` ends it at once with its stop line.
ENTRYPOINT ["evokit", "mock"]
