# The signals service image: `signals serve` on Node 20, the store given by SIGNALS_DB (docker-compose.yml runs two
# replicas of it on PostgreSQL; docs/deployment.md).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts
COPY --from=build /app/dist ./dist
# Read at run time: the migrations (applied at start), the bundled sample, the config schema.
COPY migrations ./migrations
COPY migrations-pg ./migrations-pg
COPY corpus ./corpus
COPY schema ./schema
USER node
EXPOSE 8787
CMD ["node", "dist/node/cli.js", "serve", "--host", "0.0.0.0", "--port", "8787"]
