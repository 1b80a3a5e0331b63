# Cross-compiling coralpi for arm64 (Raspberry Pi 5, Debian 12 / Raspberry Pi OS bookworm).
#
# The compiler, libc and libstdc++ come from the host's cross toolchain (g++-aarch64-linux-gnu,
# /usr/aarch64-linux-gnu). Every other library comes from a sysroot folder made of Debian 12's
# arm64 packages unpacked with dpkg -x (scripts/cross-arm64.sh makes it; nothing arm64 is ever
# installed into the host). Host programs (flatc, dtc, qemu) come from the host.
#
#   cmake -S . -B build/arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake \
#         [-DCORALPI_ARM64_SYSROOT=/abs/path]      (default: <source>/build/arm64-sysroot)
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

if(NOT CORALPI_ARM64_SYSROOT)
  if(DEFINED ENV{CORALPI_ARM64_SYSROOT})
    set(CORALPI_ARM64_SYSROOT "$ENV{CORALPI_ARM64_SYSROOT}")
  else()
    get_filename_component(CORALPI_ARM64_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build/arm64-sysroot" ABSOLUTE)
  endif()
endif()
# try_compile projects re-read this file: hand the variable on to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES CORALPI_ARM64_SYSROOT)
if(NOT EXISTS "${CORALPI_ARM64_SYSROOT}/usr/include/xnnpack.h")
  message(FATAL_ERROR "no arm64 sysroot at ${CORALPI_ARM64_SYSROOT}: run scripts/cross-arm64.sh")
endif()

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# --sysroot=<sysroot>: the packages' headers and libraries (and the absolute /usr/... paths in
# their .pc and CMake files) resolve inside it. The cross toolchain still adds its own libc and
# libstdc++ (/usr/aarch64-linux-gnu), which it searches whatever the sysroot.
set(CMAKE_SYSROOT "${CORALPI_ARM64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${CORALPI_ARM64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)   # flatc, dtc: host programs
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Shared libraries' own dependencies (libXNNPACK -> libcpuinfo, libspng -> libz) are found at
# link time through -rpath-link, not through the host's /etc/ld.so.conf.
set(_coralpi_libdir "${CORALPI_ARM64_SYSROOT}/usr/lib/aarch64-linux-gnu")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-rpath-link,${_coralpi_libdir}:${CORALPI_ARM64_SYSROOT}/lib/aarch64-linux-gnu")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "${CMAKE_EXE_LINKER_FLAGS_INIT}")

# pkg-config: only the sysroot's .pc files, with their /usr prefixes moved into the sysroot.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${CORALPI_ARM64_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR} "${_coralpi_libdir}/pkgconfig:${CORALPI_ARM64_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Running arm64 programs (tests, gtest discovery) on the host: qemu-user, the Pi 5's CPU, and the
# sysroot as the dynamic loader's root (its libc6/libstdc++6 are Debian 12's arm64 ones).
find_program(CORALPI_QEMU_AARCH64 qemu-aarch64)
if(CORALPI_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${CORALPI_QEMU_AARCH64};-cpu;cortex-a76;-L;${CORALPI_ARM64_SYSROOT}")
endif()
