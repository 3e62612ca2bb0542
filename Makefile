# dwctl — build, test and try it.
GO        ?= go
FUZZTIME  ?= 30s
# Bounds the minimisation of each new input; large seeds otherwise stall the fuzzer.
FUZZMINIMIZE ?= 5s
BENCHTIME ?= 1s
PKGS      := ./...

# Stamped into the binary; `dwctl version` shows them.
VERSION  ?= 0.1.0-dev
REVISION ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
LDFLAGS  := -X main.version=$(VERSION) -X main.revision=$(REVISION)

.PHONY: all build test bench fuzz lint demo clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/dwctl ./cmd/dwctl

# The whole suite. It installs or starts anything the suite needs.
test:
	$(GO) mod download
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 9m $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

# Runs every fuzz target of every package for FUZZTIME each.
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg; \
	  done; \
	done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod or go.sum is not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }
	$(GO) vet $(PKGS)
	$(GO) test -count=1 ./internal/layering

# Builds dwctl, checks the examples' formatting, validates them and runs a
# copy of the quickstart (in bin/demo, so the examples stay clean) against
# its embedded emulator, seeded with demo data: plan, apply, and a second
# plan that must report no changes (-detailed-exitcode fails otherwise).
demo: build
	./bin/dwctl version
	./bin/dwctl fmt -check -recursive examples
	./bin/dwctl -chdir=examples/quickstart validate
	./bin/dwctl -chdir=examples/contoso validate -var-file=prod.dwvars
	rm -rf bin/demo && mkdir -p bin/demo && cp examples/quickstart/*.dw.hcl bin/demo/
	./bin/dwctl -chdir=bin/demo plan
	./bin/dwctl -chdir=bin/demo apply -auto-approve
	./bin/dwctl -chdir=bin/demo plan -detailed-exitcode

clean:
	rm -rf bin
