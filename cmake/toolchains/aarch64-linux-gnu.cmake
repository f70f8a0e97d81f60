# Cross build for aarch64 Linux on a Debian x86-64 host, tests run under qemu-user.
#
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
#   cmake --build build-arm64 -j2 && (cd build-arm64 && ctest -j2)
#
# Host packages (Debian 12): gcc-aarch64-linux-gnu qemu-user, and after
# `dpkg --add-architecture arm64 && apt-get update` the multiarch libraries:
# libssl-dev:arm64 libgmp-dev:arm64 libyaml-dev:arm64 libcjson-dev:arm64
# (.ci/run's aarch64 stage installs them; docs in /work/shared/PORTING.md's notes).
#
# The emulator runs the build-time setup generator (CMake prefixes custom commands with it)
# and every test; test/CMakeLists.txt passes it on to the tests that are shell scripts and
# lowers the randomized iteration counts under it (KZGKIT_TEST_SCALE).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(KZGKIT_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${KZGKIT_CROSS_TRIPLE}-gcc)
if(EXISTS /usr/bin/${KZGKIT_CROSS_TRIPLE}-g++)  # only for a project that enables C++
  set(CMAKE_CXX_COMPILER ${KZGKIT_CROSS_TRIPLE}-g++)
endif()
set(CMAKE_LIBRARY_ARCHITECTURE ${KZGKIT_CROSS_TRIPLE})

# The cross toolchain's own sysroot (libc headers) and Debian's multiarch -dev packages.
set(CMAKE_FIND_ROOT_PATH /usr/${KZGKIT_CROSS_TRIPLE} /usr/lib/${KZGKIT_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)   # host tools (git, sh); binutils by prefix
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)    # /usr/lib/aarch64-linux-gnu via LIBRARY_ARCHITECTURE
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)    # /usr/include is shared by multiarch packages
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${KZGKIT_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)

# `-L /`: the target's loader and libc are the multiarch ones under /lib/aarch64-linux-gnu
# (from the :arm64 packages). With -L /usr/aarch64-linux-gnu the cross sysroot's loader met
# that libc, and every program that starts a thread spun forever in pthread_create.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64;-L;/)
