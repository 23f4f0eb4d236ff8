# One image recipe for every DataPact Python service. Build from the repo root so the image
# can include shared/datapact_common:
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=contract-service \
#     --build-arg APP_MODULE=contract_service.main:app -t datapact/contract-service .
# Workers use the same image with another command (see docker-compose.yml).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
ENV POETRY_VERSION=2.5.1 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=true \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir "poetry==${POETRY_VERSION}"
WORKDIR /app
COPY shared/datapact_common /app/shared/datapact_common
COPY services/${SERVICE}/pyproject.toml services/${SERVICE}/poetry.lock /app/services/${SERVICE}/
WORKDIR /app/services/${SERVICE}
# Dependencies first (cached while only the service's code changes), then the service itself.
RUN poetry install --only main --no-root
COPY services/${SERVICE} /app/services/${SERVICE}
RUN poetry install --only main && rm -rf tests

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG APP_MODULE
RUN groupadd --system --gid 10001 datapact \
    && useradd --system --uid 10001 --gid datapact --home-dir /app --no-create-home datapact
COPY --from=build --chown=10001:10001 /app /app
# The example organisation's loader and what it loads (a few kilobytes): compose's one-shot
# `seed` service runs it in the contract-service image.
COPY --chown=10001:10001 scripts/seed-example-data.py /app/scripts/
COPY --chown=10001:10001 examples/acme /app/examples/acme
COPY --chown=10001:10001 services/template-data-service/contract.yaml /app/services/template-data-service/
WORKDIR /app/services/${SERVICE}
ENV PATH="/app/services/${SERVICE}/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    APP_MODULE=${APP_MODULE}
USER 10001
EXPOSE 8000
# Production server: no --reload here (docker-compose.dev.yml adds it for development).
CMD ["sh", "-c", "exec uvicorn \"$APP_MODULE\" --host 0.0.0.0 --port 8000 --proxy-headers"]
