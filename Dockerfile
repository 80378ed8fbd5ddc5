FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md app.py gunicorn_conf.py ./
COPY scalemap ./scalemap
COPY components ./components
COPY assets ./assets
COPY data ./data
RUN pip install --no-cache-dir -e . && useradd --create-home --uid 10001 scalemap
USER 10001
ENV SCALEMAP_HOST=0.0.0.0 SCALEMAP_PORT=8050
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['SCALEMAP_PORT'] + '/_dash-dependencies', timeout=4)"]
CMD ["gunicorn", "-c", "gunicorn_conf.py", "app:server"]
