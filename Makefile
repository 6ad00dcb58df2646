# One build flavour for everything (static, no cgo), so build and test share one cache.
export GOTOOLCHAIN := local
export CGO_ENABLED := 0
SHELL := /bin/bash
GO ?= go
TEST_TIMEOUT ?= 30m

.PHONY: build test lint vet fmt-check

build:
	$(GO) build ./...

lint: vet fmt-check

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l . ); if [ -n "$$out" ]; then echo "gofmt needs to rewrite:"; echo "$$out"; exit 1; fi

# go test's own output, verbose so every test that ran is listed, then a count.
test: lint
	@set -o pipefail; $(GO) test -count=1 -timeout $(TEST_TIMEOUT) -v ./... 2>&1 | tee .test-output.log | grep -E '^(=== RUN|--- (PASS|FAIL|SKIP)|PASS|FAIL|ok |panic:|\s+\S+_test\.go:[0-9]+:)' ; status=$$?; \
	echo "tests passed: $$(grep -cE '^\s*--- PASS' .test-output.log), failed: $$(grep -cE '^\s*--- FAIL' .test-output.log), skipped: $$(grep -cE '^\s*--- SKIP' .test-output.log)"; \
	exit $$status
