# Entraide server image: `docker build -t entraide .`, or see docker-compose.yml.
# Node 24 is the LTS line supported the longest (to April 2028; Node 22 ends in April 2027).

# Build stage: every dependency, then the client (Vite, into client/dist) and the server (tsc, into dist/).
FROM node:24-bookworm-slim AS build
WORKDIR /app

# --ignore-scripts: postinstall would build before the sources are in; the build runs below.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY shared ./shared
COPY server ./server
COPY client ./client
RUN npm run build

# Runtime stage: the production dependencies and the compiled server and client, no build tools.
FROM node:24-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# --ignore-scripts: nothing is built here (the build tools are dev dependencies, left out).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# Only what the server reads at run time: the compiled server with its migrations
# (dist/server/db/migrations), the compiled shared code, and the built client that it serves at /.
COPY --from=build /app/dist/server ./dist/server
COPY --from=build /app/dist/shared ./dist/shared
COPY --from=build /app/client/dist ./client/dist

# DATA_DIR for the embedded database when the image runs without DATABASE_URL.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

EXPOSE 3000

# Node has fetch; curl is not in the slim image.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The command of `npm start`, without npm and sh in between: they do not pass SIGTERM on, so
# `docker stop` would kill the server instead of letting it finish the requests under way.
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
