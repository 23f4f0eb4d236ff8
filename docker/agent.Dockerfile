# The data agent (docs/agent.md): `datapact-agent serve` for a database it did not create.
# Build from the repo root (it installs shared/datapact_common too):
#   docker build -f docker/agent.Dockerfile -t datapact/data-agent .
#   docker run -p 8003:8000 -e AGENT_DATABASE_URL=postgresql://reader@db/shop \
#     -v "$PWD/contracts:/contracts:ro" -e AGENT_CONTRACTS=/contracts datapact/data-agent
# Every setting is an AGENT_* variable (a flag after `serve` wins). The example contracts
# (examples/acme and the shop's contract.yaml) are included: compose's data-agent serves
# the example database under them.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV POETRY_VERSION=2.5.1 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=true \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir "poetry==${POETRY_VERSION}"
WORKDIR /app
COPY shared/datapact_common /app/shared/datapact_common
COPY services/data-agent/pyproject.toml services/data-agent/poetry.lock /app/services/data-agent/
WORKDIR /app/services/data-agent
# Dependencies first (cached while only the agent's code changes), then the agent itself.
RUN poetry install --only main --no-root
COPY services/data-agent /app/services/data-agent
RUN poetry install --only main && rm -rf tests

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 datapact \
    && useradd --system --uid 10001 --gid datapact --home-dir /app --no-create-home datapact
COPY --from=build --chown=10001:10001 /app /app
COPY --chown=10001:10001 examples/acme /app/examples/acme
COPY --chown=10001:10001 services/template-data-service/contract.yaml /app/services/template-data-service/
WORKDIR /app/services/data-agent
ENV PATH="/app/services/data-agent/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    AGENT_HOST=0.0.0.0 \
    AGENT_PORT=8000
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=3).status != 200)"]
ENTRYPOINT ["datapact-agent"]
CMD ["serve"]
