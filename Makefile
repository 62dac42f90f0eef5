# policypack: the two commands a new machine needs are `make` (build the
# example packs into dist/) and `make test`.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/policypack/policypack/internal/cli.Version=$(VERSION)

.PHONY: all build packs test race bench fuzz vet fmt tidy lint preview clean

all: packs

## build: compile the policypack binary into ./policypack
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o policypack ./cmd/policypack

## cross: prove that every release target compiles (CI runs this)
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
cross:
	@set -e; for p in $(PLATFORMS); do \
		echo "go build $$p"; \
		CGO_ENABLED=0 GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) build -o /dev/null ./cmd/policypack; \
	done

## release: the binaries a release publishes, one per platform, into
## release/ with their SHA256SUMS (the release workflow runs this on a tag)
release:
	@rm -rf release && mkdir -p release
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; [ "$$os" = windows ] && ext=.exe; \
		out=release/policypack-$(VERSION)-$$os-$$arch$$ext; echo "$$out"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o "$$out" ./cmd/policypack; \
	done
	@cd release && sha256sum policypack-* > SHA256SUMS

## packs: build every example school's pack into dist/
packs:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/policypack build

## test: vet, formatting, go.mod tidiness, staticcheck and the whole test
## suite with the race detector at one and at four CPUs (a race between
## workers can hide on a two-core machine at its default of two)
test: vet fmt tidy lint
	$(GO) test -race -count=1 -cpu=1,4 ./...

## bench: the benchmarks whose figures the README quotes, with the peer
## (pandoc + weasyprint) measured in the same run as the example build
bench:
	@for t in pandoc weasyprint; do command -v $$t >/dev/null 2>&1 || { \
		echo "make bench: $$t not found; the benchmark against pandoc + weasyprint needs both" >&2; \
		echo "  Debian/Ubuntu: apt-get install pandoc weasyprint" >&2; \
		echo "  elsewhere: https://pandoc.org/installing.html and pip install weasyprint" >&2; exit 1; }; done
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: each fuzz target for FUZZTIME (go test -fuzz takes one package and
## one target per run); their seed corpora also run in `make test`
FUZZTIME ?= 10s
FUZZ_TARGETS := internal/config:FuzzLoad internal/roster:FuzzRead
fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "$(GO) test -run '^$$' -fuzz '^'$$fn'$$' -fuzztime $(FUZZTIME) ./$$pkg"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done

vet:
	$(GO) vet ./...

## tidy: fail when `go mod tidy` would change go.mod or go.sum
tidy:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

## lint: staticcheck, pinned (fetched through the module proxy, not added to go.mod)
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	$(GO) run $(STATICCHECK) ./...

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## preview: render every PDF page in dist/ to PNG under preview/ (needs poppler-utils)
preview: packs
	@rm -rf preview && mkdir -p preview
	@find dist -name '*.pdf' | sort | while read -r f; do \
		out=preview/$$(echo "$${f#dist/}" | sed 's#/#_#g; s#\.pdf$$##'); \
		pdftoppm -png -r 60 "$$f" "$$out"; done
	@echo "PNG pages in preview/"

clean:
	rm -rf policypack preview release
	find dist -mindepth 1 ! -name .gitkeep -delete
