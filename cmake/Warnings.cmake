# Warnings and sanitizers applied to every coralpi target through coralpi_options.
add_library(coralpi_options INTERFACE)
target_compile_options(coralpi_options INTERFACE -Wall -Wextra -Wno-missing-field-initializers)
if(CORALPI_ASAN)
  target_compile_options(coralpi_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=undefined)
  target_link_options(coralpi_options INTERFACE -fsanitize=address,undefined)
endif()
if(CORALPI_FUZZ)
  target_compile_options(coralpi_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(coralpi_options INTERFACE -fsanitize=address,undefined)
endif()
