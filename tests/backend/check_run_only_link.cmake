# The structure test: a program that only runs models must not link board (doctor, setup,
# device trees) or libfdt. Checks, with -DEXE= -DNM= -DREADELF= -DCLOSURE=:
#   CLOSURE  coralpi_backend's link dependencies, walked at configure time: no coralpi_board
#            and no coralpi_fdt;
#   EXE      backend_run_only's symbols (nm -C): the backend and the host layer are in, and no
#            board doctor/setup symbol or fdt_ function; its NEEDED libraries (readelf -d): no
#            libfdt.
set(failures "")

file(READ "${CLOSURE}" closure)
string(STRIP "${closure}" closure)
foreach(banned coralpi_board coralpi_fdt)
  if(closure MATCHES "(^|;)${banned}(;|$)")
    string(APPEND failures "coralpi_backend links ${banned} (dependencies: ${closure})\n")
  endif()
endforeach()

execute_process(COMMAND "${NM}" -C "${EXE}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -C ${EXE} failed (${rc})")
endif()
# Present: otherwise the program would not be using what it is meant to check.
foreach(wanted "coralpi::CreateBackend(" "coralpi::board::ScanEdgeTpus(")
  string(FIND "${symbols}" "${wanted}" at)
  if(at EQUAL -1)
    string(APPEND failures "${EXE} lacks ${wanted}: the check would prove nothing\n")
  endif()
endforeach()
foreach(banned "coralpi::board::RunDoctor(" "coralpi::board::PlanSetup("
               "coralpi::board::ApplySetup(" "coralpi::board::ReadDtbMsiState("
               "coralpi::board::ReadBoardIdentity(")
  string(FIND "${symbols}" "${banned}" at)
  if(NOT at EQUAL -1)
    string(APPEND failures "${EXE} contains ${banned}\n")
  endif()
endforeach()
string(REGEX MATCH "[ \t]fdt_[A-Za-z0-9_]+" fdt "${symbols}")
if(fdt)
  string(APPEND failures "${EXE} contains the libfdt symbol${fdt}\n")
endif()

if(READELF)
  execute_process(COMMAND "${READELF}" -d "${EXE}" OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
  if(rc EQUAL 0 AND dynamic MATCHES "NEEDED[^\n]*libfdt")
    string(APPEND failures "${EXE} needs libfdt at run time\n")
  endif()
endif()

if(failures)
  message(FATAL_ERROR "a model-running program links board or libfdt:\n${failures}")
endif()
message(STATUS "backend_run_only: host layer in; no board doctor/setup, device tree or libfdt")
