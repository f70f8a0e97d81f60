# kzgkit — the two commands a fresh machine needs:
#   make run    build, then run the main job with the embedded mainnet setup
#   make test   build, then run every test through ctest
# Both install the Debian packages they need first (scripts/install-deps.sh; needs root).

BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

PREFIX ?= /usr/local

.PHONY: all deps build run test install asan tsan fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	scripts/main-job.sh $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Installs headers, libkzgkit.so.MAJOR, libkzgkit.a, libkzgkit-ckzg, kzgkit.pc, the CMake
# package and the CLI under PREFIX (DESTDIR=... stages it, as for a distribution package).
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Sanitizer build: ASan + UBSan, warnings as errors.
asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" \
	      -DKZGKIT_SANITIZE=ON -DKZGKIT_WERROR=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

# ThreadSanitizer build of the threaded tests (every test whose name matches TSAN_TESTS).
TSAN_TESTS ?= pool|thread|concurr
tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKZGKIT_TSAN=ON -DKZGKIT_WERROR=ON
	cmake --build build-tsan -j $(JOBS)
	cd build-tsan && TSAN_OPTIONS="halt_on_error=1 exitcode=66" ctest --output-on-failure -R '$(TSAN_TESTS)'

bench: build
	$(BUILD)/bench_arith

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz
