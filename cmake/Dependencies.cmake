# Every dependency is a Debian 12 package (scripts/deps.sh installs them).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

# XNNPACK and pthreadpool ship no CMake or pkg-config files in Debian.
find_path(XNNPACK_INCLUDE_DIR xnnpack.h REQUIRED)
find_library(XNNPACK_LIBRARY NAMES XNNPACK REQUIRED)
find_library(PTHREADPOOL_LIBRARY NAMES pthreadpool REQUIRED)
add_library(coralpi_xnnpack INTERFACE)
target_include_directories(coralpi_xnnpack SYSTEM INTERFACE ${XNNPACK_INCLUDE_DIR})
target_link_libraries(coralpi_xnnpack INTERFACE ${XNNPACK_LIBRARY} ${PTHREADPOOL_LIBRARY} Threads::Threads)

find_package(FlatBuffers REQUIRED)
find_program(FLATC flatc REQUIRED)
# coralpi_flatc(FBS [flatc flags...]): compiles the schema FBS (beside the calling CMakeLists.txt)
# into generated/<name>_generated.h under the current binary folder and sets
# <NAME>_FBS_HEADER, e.g. TFLITE_FBS_HEADER for schema/tflite.fbs, in the caller's scope.
function(coralpi_flatc fbs)
  get_filename_component(name ${fbs} NAME_WE)
  set(header ${CMAKE_CURRENT_BINARY_DIR}/generated/${name}_generated.h)
  add_custom_command(
    OUTPUT ${header}
    COMMAND ${FLATC} --cpp --scoped-enums ${ARGN} -o ${CMAKE_CURRENT_BINARY_DIR}/generated
            ${CMAKE_CURRENT_SOURCE_DIR}/${fbs}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${fbs}
    COMMENT "flatc: generating ${name}_generated.h from ${fbs}")
  string(TOUPPER ${name} upper)
  set(${upper}_FBS_HEADER ${header} PARENT_SCOPE)
endfunction()

find_package(JPEG REQUIRED)
pkg_check_modules(SPNG REQUIRED IMPORTED_TARGET spng)
# Pictures: Cairo draws, its FreeType backend renders text with a font found through fontconfig.
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-ft fontconfig)

# libfdt-dev ships no pkg-config file.
find_path(FDT_INCLUDE_DIR libfdt.h REQUIRED)
find_library(FDT_LIBRARY NAMES fdt REQUIRED)
add_library(coralpi_fdt INTERFACE)
target_include_directories(coralpi_fdt SYSTEM INTERFACE ${FDT_INCLUDE_DIR})
target_link_libraries(coralpi_fdt INTERFACE ${FDT_LIBRARY})
find_program(DTC dtc)

# Video capture and decoding (src/video): GStreamer's core, app (appsink) and video libraries.
pkg_check_modules(GSTREAMER REQUIRED IMPORTED_TARGET gstreamer-1.0 gstreamer-app-1.0 gstreamer-video-1.0)

# coralpi serve (src/service): the YAML configuration, MQTT (libmosquitto) and HTTP (cpp-httplib,
# a compiled library in Debian; its pkg-config file adds the OpenSSL/zlib/brotli defines its
# header needs to match the library).
find_package(yaml-cpp REQUIRED)
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET libmosquitto)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# With CPPHTTPLIB_OPENSSL_SUPPORT the header itself calls OpenSSL, so whatever includes it links
# libssl and libcrypto directly: Debian 13's cpp-httplib 0.18 no longer brings libcrypto along
# (undefined reference to OPENSSL_thread_stop@@OPENSSL_3.0.0 when coralpi-live links).
pkg_check_modules(OPENSSL REQUIRED IMPORTED_TARGET openssl)
set_property(TARGET PkgConfig::HTTPLIB APPEND PROPERTY INTERFACE_LINK_LIBRARIES PkgConfig::OPENSSL)

# Ultralytics' metadata zip appended to YOLO .tflite files (src/model/appended_zip.cc): zlib's
# minizip (libminizip-dev).
pkg_check_modules(MINIZIP REQUIRED IMPORTED_TARGET minizip)
# zlib itself: the metadata tests and fuzz seeds deflate the zips they write.
find_package(ZLIB REQUIRED)

find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)

if(CORALPI_TESTS)
  find_package(GTest REQUIRED)
endif()
