# One build flavour for everything (static, no cgo), so build and test share one cache.
export GOTOOLCHAIN := local
export CGO_ENABLED := 0
SHELL := /bin/bash
GO ?= go
TEST_TIMEOUT ?= 30m

FUZZTIME ?= 2m

.PHONY: build test lint vet fmt-check run demo fuzz

# Static binaries of the three commands in bin/.
build:
	$(GO) build -o bin/ ./dev ./worker ./starter

# Where make run and make demo listen, e.g. `make run HTTP_ADDR=127.0.0.1:9080 UI_PORT=9233`; empty
# keeps dev's defaults (or the ASSESSBRIDGE_ variables). Each becomes the dev flag of that name.
HTTP_ADDR ?=
UI_PORT ?=
TEMPORAL_PORT ?=
SIM_LEVER_ADDR ?=
SIM_PLATFORM_ADDR ?=
DATA_DIR ?=
DEV_PORT_FLAGS = $(if $(HTTP_ADDR),--http-addr $(HTTP_ADDR)) $(if $(UI_PORT),--ui-port $(UI_PORT)) \
	$(if $(TEMPORAL_PORT),--temporal-port $(TEMPORAL_PORT)) $(if $(SIM_LEVER_ADDR),--sim-lever-addr $(SIM_LEVER_ADDR)) \
	$(if $(SIM_PLATFORM_ADDR),--sim-platform-addr $(SIM_PLATFORM_ADDR))

# The embedded default. A simulator stands in for each side that is not configured: Lever without
# ASSESSBRIDGE_LEVER_API_KEY, the platform without ASSESSBRIDGE_PLATFORM_URL (docs/self-hosting.md).
run: build
	@flags=""; \
	if [ -z "$$ASSESSBRIDGE_LEVER_API_KEY" ]; then flags="$$flags --sim-lever"; fi; \
	if [ -z "$$ASSESSBRIDGE_PLATFORM_URL" ]; then flags="$$flags --sim-platform"; fi; \
	exec ./bin/dev $$flags $(if $(DATA_DIR),--data-dir $(DATA_DIR)) $(DEV_PORT_FLAGS)

# Scripted candidates through the whole journey on the embedded stack; fails if any ends wrong.
demo: build
	./bin/dev --demo --data-dir $(or $(DATA_DIR),.data/demo) $(DEV_PORT_FLAGS)

# Longer fuzzing of the webhook and callback parsers and of the front door's handlers for them
# (make test runs their seed corpora). FUZZTIME applies to each target.
fuzz:
	$(GO) test ./lever -run '^$$' -fuzz '^FuzzParseWebhook$$' -fuzztime $(FUZZTIME)
	$(GO) test ./assessment -run '^$$' -fuzz '^FuzzParseCallback$$' -fuzztime $(FUZZTIME)
	$(GO) test ./web -run '^$$' -fuzz '^FuzzLeverWebhook$$' -fuzztime $(FUZZTIME)
	$(GO) test ./web -run '^$$' -fuzz '^FuzzAssessmentCallback$$' -fuzztime $(FUZZTIME)

lint: vet fmt-check

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l . ); if [ -n "$$out" ]; then echo "gofmt needs to rewrite:"; echo "$$out"; exit 1; fi

# go test's own output, verbose so every test that ran is listed, then a count.
test: lint build
	@set -o pipefail; $(GO) test -count=1 -timeout $(TEST_TIMEOUT) -v ./... 2>&1 | tee .test-output.log | grep -E '^(=== RUN|--- (PASS|FAIL|SKIP)|PASS|FAIL|ok |panic:|\s+\S+_test\.go:[0-9]+:)' ; status=$$?; \
	echo "tests passed: $$(grep -cE '^\s*--- PASS' .test-output.log), failed: $$(grep -cE '^\s*--- FAIL' .test-output.log), skipped: $$(grep -cE '^\s*--- SKIP' .test-output.log)"; \
	exit $$status

.PHONY: bench bench-quick
BENCH_FLAGS ?=

# Benchmarks (issue 8) on the embedded stack: one table of figures, goals and PASS/FAIL, appended
# to bench/RESULTS.md. The full run (under 15 minutes) exits non-zero when a goal is missed; the
# quick run (under 2 minutes) is a smoke run for CI that only fails when a scenario breaks.
bench: build
	$(GO) build -o bin/bench ./bench
	./bin/bench $(BENCH_FLAGS)

bench-quick: build
	$(GO) build -o bin/bench ./bench
	./bin/bench -quick $(BENCH_FLAGS)

.PHONY: chaos
CHAOS_CANDIDATES ?= 200
CHAOS_FLAGS ?=

# Candidates through the embedded stack (issue 9) while worker processes and the whole dev process
# are killed, Lever fails, stalls and drops a write, and webhooks and callbacks come twice, late
# and out of order. Prints a table; fails on anything lost, duplicated or wrong, or a secret or
# candidate's data in the logs. Under 10 minutes for the default 200 on 2 cores.
chaos: build
	$(GO) build -o bin/chaos ./chaos
	./bin/chaos -candidates $(CHAOS_CANDIDATES) -bin bin $(CHAOS_FLAGS)
