# kap-fhir on Node 24. Build: docker build -t kap-fhir .
# Run: docker compose up (see docker-compose.yml), or with your own Redis and configuration:
#   docker run -e NODE_ENV=production -e REDIS_URL=redis://redis:6379 -e KAP_ENCRYPTION_KEY=... \
#     -e KAP_CONFIG=/config/kap.json -v $PWD/kap.json:/config/kap.json:ro -p 8080:8080 kap-fhir
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the image's Node 24 is used (not the `node` devDependency); the build runs below.
RUN npm ci --ignore-scripts --no-fund --no-audit
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY queues ./queues
COPY profiles/package ./profiles/package
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev --ignore-scripts --no-fund --no-audit

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/profiles/package ./profiles/package
COPY bin ./bin
COPY examples ./examples
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `start` = API + workers; `serve` = API only; `worker` = workers only.
CMD ["node", "bin/kap-fhir.js", "start"]
