# syntax=docker/dockerfile:1
#
# Loom in two stages: `build` has the compilers (better-sqlite3 and argon2 are native addons
# that node-gyp may have to build when no prebuilt binary matches) and produces dist/ plus
# production-only node_modules; `runtime` has neither the compilers nor the dev dependencies.
# Both stages use the same base image, Node 24 (the LTS; package.json "engines" also admits
# Node 20), so the native addons are built against the same Node ABI and glibc they run on.
# The tests in test/deploy/ check this file against the code.

FROM node:24-bookworm-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
# node-gyp compiles against the headers the image already has (/usr/local/include/node)
# instead of downloading them, so the build works behind a closed network (issue 10).
# better-sqlite3 is always built here rather than fetched from GitHub by prebuild-install: the
# same binary with or without a network, and one built against the headers edited below.
ENV npm_config_nodedir=/usr/local \
    npm_config_build_from_source=better-sqlite3
# Node 24.19 and later compile a cleanup hook into every node::ObjectWrap, whose destructor
# aborts the process ("Assertion failed: (env) != nullptr") when V8 frees a better-sqlite3 12
# statement outside JavaScript, in an idle-time GC (nodejs/node#65446). better-sqlite3 13 does
# without ObjectWrap but needs N-API 10, which Node 20 lacks. Until Node 20 goes, the addon is
# built against this stage's headers with the two calls taken out, as every Node before 24.19
# shipped them; scripts/check-install.mjs refuses an addon that still has the hook.
RUN sed -i -E '/^\s*(Add|Remove)CleanupHook\(\);\s*$/d' /usr/local/include/node/node_object_wrap.h
WORKDIR /app
# Dependencies first, so that editing the source does not reinstall them.
COPY package.json package-lock.json ./
COPY scripts/check-install.mjs ./scripts/
# npm can print "Exit handler never called!" and exit 0 with nothing installed (issue 10); the
# check fails the build right here, saying what is missing, rather than at `tsc: not found`.
RUN npm ci --no-audit --no-fund \
    && node scripts/check-install.mjs build
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY protocols ./protocols
COPY bench ./bench
COPY web ./web
# `npm run build`: tsc -> dist/src/main.js (and the rest of dist/), esbuild -> dist/web/.
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund \
    && node scripts/check-install.mjs runtime

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LOOM_DATA_DIR=/data
WORKDIR /app
# The application files stay owned by root: the server, running as `node`, can read them but
# not rewrite them. Only /data is writable. package.json is needed at run time: it is what
# makes Node treat dist/**/*.js as ES modules, and how the config loader finds /app.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
# The operator's command line (package.json "bin"): `npx loom --help` in /app, or just `loom`
# on PATH, e.g. `docker compose run --rm loom loom role alice admin` with the server stopped.
COPY bin ./bin
RUN mkdir -p /data && chown node:node /data \
    && chmod 0755 /app/bin/loom.mjs \
    && ln -s /app/bin/loom.mjs /usr/local/bin/loom
USER node
VOLUME /data
# telnet, raw line, HTTP + WebSocket (config/default.yaml).
EXPOSE 4000 4001 8080
# No curl in the slim image: Node's own fetch asks /healthz. It follows LOOM_HTTP_PORT when set.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.LOOM_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# SIGTERM drains (players told, state saved, listeners closed); see shutdown.graceSeconds.
STOPSIGNAL SIGTERM
# What `npm start` runs after building: `loom start`, the server in this very process.
CMD ["node", "bin/loom.mjs", "start"]
