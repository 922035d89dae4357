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

# fuzz runs each fuzz target briefly; FUZZTIME sets how long. Every
# parser has one; their seed corpora run in `make test` as plain tests.
FUZZTIME ?= 20s
FUZZ_TARGETS = policy:FuzzParse policy:FuzzDecisionProperties policy:FuzzValidateText \
	arn:FuzzParse sigv4:FuzzParseAuthorization sigv4:FuzzParsePresignedQuery sts:FuzzOpen \
	awsapi:FuzzParseQuery awsapi:FuzzDecodeJSON awsapi:FuzzDecodeCBOR awsapi:FuzzDecodeQuery \
	catalog:FuzzDetails cxml:FuzzParse cxml:FuzzParseForm decimal:FuzzParse \
	server:FuzzContextEntries server:FuzzAgreementCBORInput server:FuzzWireString
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz ./$${t%%:*} $${t#*:}"; \
		$(GO) test ./$${t%%:*} -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME); \
	done
