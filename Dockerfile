# One image for the server, the workers and the migration step (compose picks the command), and one with Python
# and PyTorch added for the trainer (target `trainer`).
FROM node:20-bookworm-slim AS app
ENV ONNXRUNTIME_NODE_INSTALL=skip NODE_ENV=production
WORKDIR /app
# a Chinese font for the monthly PDF report; GDAL for the registry's Shapefile/GeoPackage export
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-zenhei gdal-bin && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY server/package.json server/
COPY workers/package.json workers/
COPY web/package.json web/
COPY data/package.json data/
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build:web
EXPOSE 8080
CMD ["npx", "tsx", "server/src/main.ts"]

# The trainer: the app image (it scores models with the product's own evaluation) plus the Python worker's venv.
FROM app AS trainer
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv && rm -rf /var/lib/apt/lists/*
RUN bash models/setup-venv.sh
WORKDIR /app/models/trainer
CMD ["/app/models/.venv/bin/python", "-m", "tuban_trainer"]

# The default image: server, workers, migrations.
FROM app
