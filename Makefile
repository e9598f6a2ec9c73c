# The README's two commands: `make demo` and `make test`.
# Everything else here is a step they share.
SHELL := /bin/bash
BUILD_DIR ?= build
DATA ?= tobops-data
PORT ?= 8080
DEMO_EVENTS ?= 2000000
JOBS ?= $(shell nproc)

.PHONY: deps deps-test web build demo serve test unit-test integration-test browser-test format-check clean

deps:
	bash scripts/install-deps.sh

deps-test:
	bash scripts/install-deps.sh --with-browser --with-clickhouse

web: deps
	bash scripts/build-web.sh

build: web
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOBOPS_EMBED_WEB=ON >/dev/null
	cmake --build $(BUILD_DIR) -j$(JOBS)

# Installs what is missing, builds, generates the demo data set once, serves it.
demo: build
	@if [ ! -d "$(DATA)/projects/default/events" ]; then \
	  ./$(BUILD_DIR)/tobops demo --data $(DATA) --events $(DEMO_EVENTS); \
	fi
	./$(BUILD_DIR)/tobops serve --data $(DATA) --port $(PORT) $(if $(ADMIN_PASSWORD),--admin-password $(ADMIN_PASSWORD),)

serve: build
	./$(BUILD_DIR)/tobops serve --data $(DATA) --port $(PORT)

# Installs what is missing, builds, runs every test: unit, integration, browser.
test: deps-test build
	bash scripts/run-tests.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) web/dist
