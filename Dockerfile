# One image for the server, the workers and the migration step; compose picks the command.
FROM node:20-bookworm-slim
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
