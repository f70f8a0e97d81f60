# cmake/profiles.cmake — the build profiles beyond the default Release (-O2): link-time
# optimisation (KZGKIT_LTO) and profile-guided optimisation (KZGKIT_PGO). The optimisation
# level (KZGKIT_OPT_LEVEL) and -march=native (KZGKIT_NATIVE) are set in the top-level file.
# What each profile measured on the reference machine, and why none of them is the default:
# docs/PERFORMANCE.md §11. Included by CMakeLists.txt after the other compile options, so that
# the harness's record of the flags (bench JSON, `kzgkit bench` header) shows these too.

# ---- LTO -------------------------------------------------------------------------------
# CMake's INTERPROCEDURAL_OPTIMIZATION gives GCC -flto=auto -fno-fat-lto-objects: the layer
# archives and kzgkit_internal hold GIMPLE only, which is fine because they are never
# installed. The installed libkzgkit.a is the partially linked object made in CMakeLists.txt;
# under LTO that partial link runs the link-time optimiser itself and writes machine code
# (-flinker-output=nolto-rel, KZGKIT_LTO_PARTIAL_LINK_FLAGS below), so a user's toolchain
# needs no LTO plugin and no matching GCC version to link it.
set(KZGKIT_LTO_PARTIAL_LINK_FLAGS "")
if(KZGKIT_LTO)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "KZGKIT_LTO is implemented and measured for GCC only (compiler here: "
                        "${CMAKE_C_COMPILER_ID}); configure with CC=gcc or without KZGKIT_LTO")
  endif()
  include(CheckIPOSupported)
  check_ipo_supported(RESULT kzg_ipo_ok OUTPUT kzg_ipo_why LANGUAGES C)
  if(NOT kzg_ipo_ok)
    message(FATAL_ERROR "KZGKIT_LTO=ON but this toolchain cannot do link-time optimisation "
                        "(CheckIPOSupported): ${kzg_ipo_why}")
  endif()
  if(KZGKIT_COVERAGE OR KZGKIT_FUZZ)
    message(FATAL_ERROR "KZGKIT_LTO does not combine with KZGKIT_COVERAGE or KZGKIT_FUZZ")
  endif()
  set(CMAKE_INTERPROCEDURAL_OPTIMIZATION ON)
  # The partial link of libkzgkit.a: optimise at that link (the level of the compile) and emit
  # ordinary code. The jobserver-less -flto=auto uses as many jobs as the machine has CPUs.
  set(KZGKIT_LTO_PARTIAL_LINK_FLAGS -flto=auto -flinker-output=nolto-rel -O${KZGKIT_OPT_LEVEL})
  message(STATUS "kzgkit: link-time optimisation on (libkzgkit.a is installed as machine code)")
endif()

# ---- PGO -------------------------------------------------------------------------------
# GENERATE instruments every object (-fprofile-generate); running the programs writes .gcda
# files under KZGKIT_PGO_DIR. USE compiles with them (-fprofile-use). The profile's file
# names are the object paths relative to the build directory (-fprofile-prefix-path), so the
# instrumented build (make pgo: build-pgo-gen) and the optimised one (build-pgo) may live in
# different directories; both must be configured with the same options otherwise.
string(TOUPPER "${KZGKIT_PGO}" KZGKIT_PGO)
if(NOT KZGKIT_PGO MATCHES "^(OFF|GENERATE|USE)$")
  message(FATAL_ERROR "KZGKIT_PGO='${KZGKIT_PGO}': expected OFF, GENERATE or USE")
endif()
if(NOT KZGKIT_PGO STREQUAL "OFF")
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
    # clang's -fprofile-instr-generate / llvm-profdata / -fprofile-instr-use is another
    # pipeline; it is not wired here rather than wired unmeasured.
    message(FATAL_ERROR "KZGKIT_PGO is implemented and measured for GCC only (compiler here: "
                        "${CMAKE_C_COMPILER_ID}); configure with CC=gcc or KZGKIT_PGO=OFF")
  endif()
  if(KZGKIT_COVERAGE OR KZGKIT_FUZZ OR KZGKIT_SANITIZE OR KZGKIT_TSAN)
    message(FATAL_ERROR "KZGKIT_PGO does not combine with coverage, fuzzing or sanitizer builds")
  endif()
  get_filename_component(KZGKIT_PGO_DIR "${KZGKIT_PGO_DIR}" ABSOLUTE)
  set(kzg_pgo_common -fprofile-prefix-path=${PROJECT_BINARY_DIR})
  if(KZGKIT_PGO STREQUAL "GENERATE")
    # atomic counters: the workload runs the pool on two threads.
    add_compile_options(-fprofile-generate=${KZGKIT_PGO_DIR} -fprofile-update=prefer-atomic
                        ${kzg_pgo_common})
    add_link_options(-fprofile-generate=${KZGKIT_PGO_DIR})
    message(STATUS "kzgkit: PGO instrumented build; profile goes to ${KZGKIT_PGO_DIR}")
  else()
    file(GLOB_RECURSE kzg_pgo_files "${KZGKIT_PGO_DIR}/*.gcda")
    if(NOT kzg_pgo_files)
      message(FATAL_ERROR "KZGKIT_PGO=USE: no profile (*.gcda) under KZGKIT_PGO_DIR=${KZGKIT_PGO_DIR}; "
                          "run an instrumented build (KZGKIT_PGO=GENERATE) first, or make pgo")
    endif()
    # Objects the workload never ran (tests, the generator, tools) have no profile: not a
    # problem (-Wno-missing-profile). A profile from a source that changed since is stale
    # for that function only; GCC ignores it there (-Wcoverage-mismatch, made a warning so
    # that KZGKIT_WERROR builds still pass). -fprofile-correction: the two-thread counters.
    add_compile_options(-fprofile-use=${KZGKIT_PGO_DIR} -fprofile-correction ${kzg_pgo_common}
                        -Wno-missing-profile -Wno-error=coverage-mismatch)
    list(LENGTH kzg_pgo_files kzg_pgo_n)
    message(STATUS "kzgkit: PGO optimised build from ${kzg_pgo_n} profile files in ${KZGKIT_PGO_DIR}")
  endif()
endif()
