# Warnings and sanitizers applied to every coralpi target through coralpi_options.
add_library(coralpi_options INTERFACE)
target_compile_options(coralpi_options INTERFACE -Wall -Wextra -Wno-missing-field-initializers)
# GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string at -O2
# (GCC bug 105329); they point into <bits/char_traits.h>, not at our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(coralpi_options INTERFACE -Wno-restrict)
endif()
if(CORALPI_ASAN)
  # Sanitizer instrumentation makes GCC 12's flow analysis report std::variant moves as
  # "maybe uninitialized" (false positives); the release build keeps the warning.
  target_compile_options(coralpi_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=undefined -Wno-maybe-uninitialized)
  target_link_options(coralpi_options INTERFACE -fsanitize=address,undefined)
endif()
if(CORALPI_FUZZ)
  # -g: findings' stack traces name files and lines; undefined behaviour is a finding too.
  target_compile_options(coralpi_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined -g
                                                   -fno-sanitize-recover=undefined)
  target_link_options(coralpi_options INTERFACE -fsanitize=address,undefined)
endif()
