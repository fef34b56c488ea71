# sessionlock: build, test, lint, benchmark.
#
#   make test    every module's tests with -race, end-to-end tests included
#                (installs redis-server, postgresql, pre-commit and chromium
#                with apt-get if missing)
#   make lint    gofmt, go vet and sessionlock itself on the project's code
#   make bench   the benchmark scripts under bench/
#   make demo    the linter on the bundled example app (findings and the fix)
#   make realworld  the analyzer on the shared real apps (../shared/realworld):
#                recall, findings by kind, time and memory against a floor

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
GO ?= go

# Every module of the project, root first. The fixture modules under
# testdata/ are inputs of the end-to-end tests, not project code.
MODULES := . runtime/redisstore runtime/pgstore runtime/sessionprom runtime/ginsession runtime/frameworktest examples/seed/browser examples/gin plugin/gcl $(patsubst %/go.mod,%,$(wildcard bench/*/go.mod))

# Root, run as root, or with sudo otherwise.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: test lint bench demo deps realworld

# deps installs, on Debian, the real programs the tests drive: redis-server
# (redisstore tests start their own instance), postgresql (pgstore tests
# initdb and start their own server), pre-commit (the hook test)
# and chromium (examples/seed/browser loads the session debug page in it).
deps:
	@missing=""; \
	for c in redis-server:redis-server pre-commit:pre-commit git:git chromium:chromium; do \
		command -v "$${c%%:*}" >/dev/null 2>&1 || missing="$$missing $${c#*:}"; \
	done; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y $$missing; \
	fi

# test runs every module even after a failure, then fails if any did.
# -count=1: the end-to-end tests run built binaries on files go test does not
# track (the runtime's source, through the fixtures), so a cached pass could
# be stale.
test: deps
	@failed=""; \
	for m in $(MODULES); do \
		echo "== $$m: go test -race ./..."; \
		(cd "$$m" && $(GO) test -race -count=1 -timeout 30m ./...) || failed="$$failed $$m"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAIL: tests failed in:$$failed" >&2; exit 1; fi

# lint: sessionlock runs over every module but plugin/gcl, whose only code is
# a ten-line main over golangci-lint (vetting it means analysing all of
# golangci-lint). examples/seed and examples/gin hold the seed bug on purpose.
lint:
	@bad=$$(find . -name '*.go' -not -path '*/testdata/*' -print0 | xargs -0 gofmt -l); \
	if [ -n "$$bad" ]; then echo "gofmt needed:"; echo "$$bad"; exit 1; fi
	@for m in $(MODULES); do echo "== $$m: go vet ./..."; (cd "$$m" && $(GO) vet ./...); done
	@$(GO) build -o bin/sessionlock ./cmd/sessionlock
	@for m in $(filter-out plugin/gcl,$(MODULES)); do \
		echo "== $$m: go vet -vettool=sessionlock"; \
		pkgs=$$(cd "$$m" && $(GO) list ./... | grep -v -E '/examples/(seed|gin)$$' || true); \
		[ -z "$$pkgs" ] || (cd "$$m" && $(GO) vet -vettool="$(CURDIR)/bin/sessionlock" $$pkgs); \
	done

bench:
	@command -v /usr/bin/time >/dev/null || $(SUDO) apt-get install -y time
	@for s in $(filter-out bench/realworld/run.sh,$(wildcard bench/*/run.sh)); do echo "== $$s"; "$$s"; done

# demo exits 0: the findings it prints are the seed bug the example keeps on
# purpose (standalone, sessionlock exits 3 when it reports findings).
demo:
	@$(GO) build -o bin/sessionlock ./cmd/sessionlock
	@echo "== bin/sessionlock ./examples/seed"
	@bin/sessionlock ./examples/seed || [ $$? -eq 3 ]
	@echo "== bin/sessionlock -fix -diff ./examples/seed   (the suggested fixes; nothing is changed)"
	@bin/sessionlock -fix -diff ./examples/seed
	@echo "== demo done: the findings above are the seed bug, kept on purpose (make demo exits 0)"

# realworld is not part of bench or test: it needs the shared real apps
# beside the checkout and their dependencies from the module proxy.
realworld:
	@command -v /usr/bin/time >/dev/null || $(SUDO) apt-get install -y time
	@bench/realworld/run.sh
