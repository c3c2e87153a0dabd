FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY content ./content
RUN pip install --no-cache-dir '.[discord,slack,postgres,fast]'
ENV ROUNDS_CONTENT_DIR=/app/content
CMD ["rounds", "run"]
