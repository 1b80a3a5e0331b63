# What `cmake --install` puts where; scripts/package.sh turns an install into a .deb.
#   /usr/bin/coralpi, /usr/libexec/coralpi/coralpi-live (watch, serve and bench --source)
#   /etc/udev/rules.d/65-apex.rules   (a conffile in the package: the Edge TPU for the apex group)
#   /usr/share/doc/coralpi/copyright, /usr/share/man/man1/coralpi.1.gz (made by package.sh from
#   the binary's --help, so the two always match)
include(GNUInstallDirs)
install(TARGETS coralpi RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Where coralpi looks for it (cli/live_forward.h): ../libexec/coralpi/ from its own directory.
install(TARGETS coralpi-live RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/coralpi)
# An absolute path: udev reads /etc/udev/rules.d whatever the prefix. Packages install with
# DESTDIR set (scripts/package.sh), so this never writes to the building machine's /etc.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/65-apex.rules DESTINATION /etc/udev/rules.d)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# lintian: the one deliberate departure from Debian's rules (the udev rule in /etc), with why.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME coralpi)
# coralpi serve as a service: the systemd unit and its configuration (a conffile).
# Debian 13 ships units in /usr/lib/systemd/system (its lintian calls /lib an aliased location);
# Debian 12 in /lib/systemd/system (its lintian wants them there).
set(CORALPI_SYSTEMD_UNIT_DIR /lib/systemd/system)
if(EXISTS /etc/os-release)
  file(STRINGS /etc/os-release _coralpi_os_version REGEX "^VERSION_ID=")
  string(REGEX REPLACE "[^0-9]" "" _coralpi_os_version "${_coralpi_os_version}")
  if(_coralpi_os_version AND _coralpi_os_version GREATER_EQUAL 13)
    set(CORALPI_SYSTEMD_UNIT_DIR /usr/lib/systemd/system)
  endif()
endif()
install(FILES ${PROJECT_SOURCE_DIR}/packaging/coralpi.service DESTINATION ${CORALPI_SYSTEMD_UNIT_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/coralpi.yaml DESTINATION /etc/coralpi)
