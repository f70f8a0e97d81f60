# kzgkit — the two commands a fresh machine needs:
#   make run    build, then run the main job with the embedded mainnet setup
#   make test   build, then run every test through ctest
# Both install the Debian packages they need first (scripts/install-deps.sh; needs root).

BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

PREFIX ?= /usr/local

.PHONY: all deps build run test install asan tsan clang aarch64 fuzz bench coverage pgo clean

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

# Sanitizer build: ASan + UBSan, warnings as errors (benchmarks and examples not built).
NO_EXTRAS = -DKZGKIT_BUILD_BENCH=OFF -DKZGKIT_BUILD_EXAMPLES=OFF
asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" \
	      -DKZGKIT_SANITIZE=ON -DKZGKIT_WERROR=ON $(NO_EXTRAS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

# ThreadSanitizer build of the threaded tests (every test whose name matches TSAN_TESTS):
# only those tests' targets are built (the service tests are scripts around the CLI:
# service_* builds kzgkit_cli).
TSAN_TESTS ?= pool|thread|concurr|service|numa
tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKZGKIT_TSAN=ON -DKZGKIT_WERROR=ON $(NO_EXTRAS)
	cd build-tsan && targets=$$(ctest -N -R '$(TSAN_TESTS)' | sed -n 's/^ *Test *#[0-9]*: *//p' \
	  | sed 's/^service_.*/kzgkit_cli/' | sort -u) \
	  && test -n "$$targets" && cmake --build . -j $(JOBS) --target $$targets
	cd build-tsan && TSAN_OPTIONS="halt_on_error=1 exitcode=66" ctest --output-on-failure -R '$(TSAN_TESTS)'

# Line and branch coverage of src/ from every test (scripts/coverage.sh, lcov): an HTML
# report in build-coverage/coverage/ and a summary per folder.
coverage: deps
	KZGKIT_EXTRA_PKGS=lcov scripts/install-deps.sh
	scripts/coverage.sh

# clang instead of gcc: Release, warnings as errors, every test.
clang: deps
	KZGKIT_EXTRA_PKGS=clang scripts/install-deps.sh
	CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release -DKZGKIT_WERROR=ON
	cmake --build build-clang -j $(JOBS)
	cd build-clang && ctest --output-on-failure -j $(JOBS)

# aarch64: cross build (cmake/toolchains/aarch64-linux-gnu.cmake) and every test under
# qemu-user, with the randomized tests' counts scaled down (KZGKIT_TEST_SCALE=0.1).
aarch64:
	KZGKIT_CROSS=arm64 scripts/install-deps.sh
	cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake \
	      -DCMAKE_BUILD_TYPE=Release -DKZGKIT_WERROR=ON $(NO_EXTRAS)
	cmake --build build-arm64 -j $(JOBS)
	cd build-arm64 && ctest --output-on-failure -j $(JOBS)

# Profile-guided build (GCC; scripts/pgo.sh): instrumented in build-pgo-gen, the EIP-4844 and
# EIP-7594 bench suites as the workload, then everything rebuilt with the profile in
# build-pgo. PGO_FLAGS=--lto adds link-time optimisation (build-pgo-lto). What it measured:
# docs/PERFORMANCE.md §11.
pgo: deps
	JOBS=$(JOBS) CMAKE_FLAGS="$(CMAKE_FLAGS)" scripts/pgo.sh $(PGO_FLAGS)

bench: build
	$(BUILD)/bench_arith

clean:
	rm -rf $(BUILD) build-asan build-tsan build-clang build-arm64 build-fuzz build-pgo-gen build-pgo \
	       build-pgo-lto-gen build-pgo-lto
