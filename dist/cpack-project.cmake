# SPDX-License-Identifier: GPL-2.0-or-later
# Read by cpack (CPACK_PROJECT_CONFIG_FILE), when the staging folder is known:
# dpkg-shlibdeps finds the programs' private libmotesok there.
if(CPACK_GENERATOR STREQUAL "DEB")
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
      "${CPACK_TEMPORARY_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}/@MOTESOK_INSTALL_PKGLIBDIR@")
endif()
