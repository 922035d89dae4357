# Gatehouse: `make test` runs every test; CI calls it through .ci/run.

GO ?= go

.PHONY: test test-deps vet fuzz

# test runs the whole suite: static checks, the main module's tests, and
# the benchmark module's equivalence tests. -count=1: the end-to-end tests
# build and run the gatehouse binary themselves, which go test's result
# cache cannot see, so a cached pass could hide a changed server.
test: test-deps vet
	$(GO) test -count=1 ./...
	cd bench && $(GO) test ./...

# test-deps installs what the tests need that a fresh machine lacks.
test-deps:
	@sh .ci/deps

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	cd bench && $(GO) vet ./...

# fuzz runs each fuzz target briefly; FUZZTIME sets how long.
FUZZTIME ?= 20s
fuzz:
	$(GO) test ./policy -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./policy -run '^$$' -fuzz '^FuzzDecisionProperties$$' -fuzztime $(FUZZTIME)
