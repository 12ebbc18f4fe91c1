FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STATIC_ROOT=/app/staticfiles
WORKDIR /app
COPY pyproject.toml requirements-prod.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements-prod.lock
COPY . .
RUN pip install --no-cache-dir --no-deps . && useradd --create-home tracker && mkdir -p data && chown tracker data
# Hashed static file names for whitenoise, built into the image so that a plain `docker run` serves pages too.
RUN DEBUG=false SECRET_KEY=build-only STATIC_MANIFEST=true python manage.py collectstatic --noinput \
    && chown -R tracker data staticfiles
USER tracker
EXPOSE 8000
# Workers, threads, bind and timeouts come from gunicorn.conf.py (GUNICORN_* variables), never from flags here.
CMD ["gunicorn", "tracker.wsgi:application", "--config", "gunicorn.conf.py"]
