# Entraide server image: `docker build -t entraide .`, or see docker-compose.yml.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# tsx runs the TypeScript sources at run time, so only the production dependencies are needed.
# --ignore-scripts: the client is built below, once its sources are in.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# Only what the server needs at run time (no node_modules, data or .env from the build context).
COPY tsconfig.json ./
COPY shared ./shared
COPY server ./server
COPY client ./client
RUN npm run build

# DATA_DIR for the embedded database when the image runs without DATABASE_URL.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

EXPOSE 3000

# Node 20 has fetch; curl is not in the slim image.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The command of `npm start`, without npm and sh in between: they do not pass SIGTERM on, so
# `docker stop` would kill the server instead of letting it finish the requests under way.
CMD ["node", "--import", "tsx", "server/main.ts"]
