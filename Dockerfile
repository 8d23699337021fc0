# congvu production image: one image for `congvu serve`, `congvu worker` and `congvu migrate`
# (see docker-compose.yml). A real, non-editable install of the package; no uv.lock is
# committed, so dependencies resolve within the ranges pinned in pyproject.toml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

RUN pip install "uv>=0.5,<1"

WORKDIR /src

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN uv pip install --system -r pyproject.toml

# The package: the top-level folders are mapped into `congvu.*` by pyproject.toml.
COPY inspect ./inspect
COPY rules ./rules
COPY jobs ./jobs
COPY templates ./templates
RUN uv pip install --system --no-deps . \
    && cd / && rm -rf /src \
    && python -c "import inspect, congvu.inspect, congvu.rules, congvu.jobs, congvu.templates; assert inspect.getfile(inspect).startswith('/usr/local/lib/')"

# Non-root runtime user; /data/media and /data/checkpoints are the volumes' mount points
# (a named volume starts with its directory's owner, so the app can write to it).
RUN useradd --system --user-group --uid 10001 --home-dir /home/congvu --create-home \
        --shell /usr/sbin/nologin congvu \
    && mkdir -p /data/media /data/checkpoints \
    && chown -R congvu:congvu /data

USER congvu
WORKDIR /home/congvu

EXPOSE 8000
ENTRYPOINT ["congvu"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
