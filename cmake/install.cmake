# kzgkit's install rules (included from the top-level CMakeLists.txt when KZGKIT_INSTALL).
#   headers      include/kzgkit.h, include/kzgkit/*.h (+ the generated version.h)
#   libraries    lib/libkzgkit.so.MAJOR (SONAME) + .so link, lib/libkzgkit.a (kzg_ names only)
#   pkg-config   lib/pkgconfig/kzgkit.pc (Libs.private/Requires.private for --static)
#   CMake        lib/cmake/kzgkit/: find_package(kzgkit CONFIG) → kzgkit::kzgkit (shared),
#                kzgkit::kzgkit_static
# The CLI installs itself from the top-level file (it exists only with KZGKIT_BUILD_TOOLS).
include(CMakePackageConfigHelpers)

install(FILES ${PROJECT_SOURCE_DIR}/include/kzgkit.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/kzgkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/kzgkit/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kzgkit)

install(TARGETS kzgkit kzgkit_static EXPORT kzgkitTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# pkg-config: the static archive needs libcrypto and pthreads, the shared object does not
# show them to its users (it carries its own DT_NEEDED entries). The file is relocatable:
# its prefix is found from its own location (${pcfiledir}), so `cmake --install --prefix P`
# and DESTDIR staging give a correct file whatever CMAKE_INSTALL_PREFIX was at configure time.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(KZGKIT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(KZGKIT_PC_LIBDIR_EXPR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(KZGKIT_PC_INCLUDEDIR_EXPR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH pc_to_prefix "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
  string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
  set(KZGKIT_PC_PREFIX "\${pcfiledir}/${pc_to_prefix}")
  set(KZGKIT_PC_LIBDIR_EXPR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(KZGKIT_PC_INCLUDEDIR_EXPR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/kzgkit.pc.in ${PROJECT_BINARY_DIR}/kzgkit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/kzgkit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake package.
set(KZGKIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/kzgkit)
install(EXPORT kzgkitTargets NAMESPACE kzgkit:: DESTINATION ${KZGKIT_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/kzgkitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/kzgkitConfig.cmake
                              INSTALL_DESTINATION ${KZGKIT_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kzgkitConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kzgkitConfig.cmake ${PROJECT_BINARY_DIR}/kzgkitConfigVersion.cmake
        DESTINATION ${KZGKIT_CMAKE_DIR})
