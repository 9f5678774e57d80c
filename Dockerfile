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

# collectstatic needs settings but no database or secrets of the deployment: these values
# exist only during the build (the image without compose serves /static/ itself from here).
RUN SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    SITE_URL=https://build.invalid CSRF_TRUSTED_ORIGINS=https://build.invalid \
    SAFETY_PLAN_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXNlY3JldCE= \
    EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend DEBUG=false \
    python manage.py collectstatic --noinput \
 && mkdir -p /srv/static && chown peersupport /srv/static

# Data exports: built by the worker, served by web, so both mount one volume here.
RUN mkdir -p /data/exports && chown peersupport /data/exports

USER peersupport
EXPOSE 8000
# peersupport/serve.py starts uvicorn with forwarded headers trusted only from
# FORWARDED_ALLOW_IPS (default 127.0.0.1; docker-compose.yml sets its proxy's address).
# Health check for an orchestrator: python -m peersupport.serve --check (compose uses it).
CMD ["python", "-m", "peersupport.serve"]
