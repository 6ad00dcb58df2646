# syntax=docker/dockerfile:1
# Images of the worker and the starter: `docker build --target worker .` (or starter).
# Static binaries (CGO_ENABLED=0: the store's SQLite driver and PostgreSQL driver are pure Go)
# on distroless/static, which holds only CA certificates, time zones and a non-root user.

ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -ldflags='-s -w' -o /out/ ./worker ./starter

FROM gcr.io/distroless/static-debian12:nonroot AS worker
COPY --from=build /out/worker /usr/local/bin/worker
USER nonroot:nonroot
# /metrics and /healthz, which the health check asks.
ENV ASSESSBRIDGE_METRICS_ADDR=0.0.0.0:9090
EXPOSE 9090
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/worker", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/worker"]

FROM gcr.io/distroless/static-debian12:nonroot AS starter
COPY --from=build /out/starter /usr/local/bin/starter
USER nonroot:nonroot
# The front door, which the health check asks, and metrics.
ENV ASSESSBRIDGE_HTTP_ADDR=0.0.0.0:8080 ASSESSBRIDGE_METRICS_ADDR=0.0.0.0:9090
EXPOSE 8080 9090
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/starter", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/starter"]
