FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home --uid 1000 app && mkdir -p /app/media /app/staticfiles \
    && chown -R app /app/media /app/staticfiles
USER app

EXPOSE 8000
# gunicorn's settings (gthread workers, WEB_CONCURRENCY processes of WEB_THREADS threads, limits,
# access log) live in gunicorn.conf.py; the command line only says where to listen.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py collectstatic --noinput && exec gunicorn config.wsgi --config gunicorn.conf.py --bind 0.0.0.0:${PORT:-8000}"]
