# Peer Support: one image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --create-home --uid 10001 peersupport

COPY pyproject.toml README.md ./
COPY peersupport ./peersupport
COPY groups ./groups
COPY stories ./stories
COPY moderation ./moderation
COPY resources ./resources
COPY templates ./templates
COPY static ./static
COPY manage.py ./
RUN pip install --upgrade pip && pip install .

# collectstatic needs settings but no database or secrets of the deployment.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --noinput

# Data exports: built by the worker, served by web, so both mount one volume here.
RUN mkdir -p /data/exports && chown peersupport /data/exports

USER peersupport
EXPOSE 8000
CMD ["uvicorn", "peersupport.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--proxy-headers", "--ws", "websockets-sansio"]
