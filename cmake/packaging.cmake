# Installing dbmig as a Debian tool: `cmake --install` and `cpack -G DEB` lay out the same files.
#   /usr/bin/dbmig
#   /usr/share/man/man1/dbmig.1.gz                       (roff from `dbmig manpage`)
#   /usr/share/bash-completion/completions/dbmig         (`dbmig completion bash`)
#   /usr/share/zsh/vendor-completions/_dbmig             (`dbmig completion zsh`)
#   /usr/share/fish/vendor_completions.d/dbmig.fish      (`dbmig completion fish`)
# The man page and the completions are printed by the freshly built binary from its own CLI11
# definition, so they cannot drift from `dbmig --help`.
include(GNUInstallDirs)

set(DBMIG_DOC_DIR ${CMAKE_BINARY_DIR}/share)
add_custom_command(
  OUTPUT ${DBMIG_DOC_DIR}/dbmig.1.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${DBMIG_DOC_DIR}
  COMMAND $<TARGET_FILE:dbmig> manpage > ${DBMIG_DOC_DIR}/dbmig.1
  # -n: no name or time stamp in the archive, so the package is reproducible.
  COMMAND gzip -9nf ${DBMIG_DOC_DIR}/dbmig.1
  DEPENDS dbmig
  COMMENT "Writing the man page dbmig.1 from the command-line definition")
set(DBMIG_COMPLETIONS)
foreach(shell bash zsh fish)
  add_custom_command(
    OUTPUT ${DBMIG_DOC_DIR}/completion.${shell}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${DBMIG_DOC_DIR}
    COMMAND $<TARGET_FILE:dbmig> completion ${shell} > ${DBMIG_DOC_DIR}/completion.${shell}
    DEPENDS dbmig
    COMMENT "Writing the ${shell} completion from the command-line definition")
  list(APPEND DBMIG_COMPLETIONS ${DBMIG_DOC_DIR}/completion.${shell})
endforeach()
add_custom_target(dbmig_docs ALL DEPENDS ${DBMIG_DOC_DIR}/dbmig.1.gz ${DBMIG_COMPLETIONS})

install(TARGETS dbmig RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${DBMIG_DOC_DIR}/dbmig.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${DBMIG_DOC_DIR}/completion.bash DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
        RENAME dbmig)
install(FILES ${DBMIG_DOC_DIR}/completion.zsh DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions
        RENAME _dbmig)
install(FILES ${DBMIG_DOC_DIR}/completion.fish DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d
        RENAME dbmig.fish)

set(CPACK_PACKAGE_NAME dbmig)
set(CPACK_PACKAGE_VENDOR "dbmig maintainers")
set(CPACK_PACKAGE_CONTACT "dbmig maintainers <maintainers@users.noreply.h-seed-37dc646b.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "schema migrations for PostgreSQL and SQLite, in the spirit of Alembic")
set(CPACK_PACKAGE_DESCRIPTION
    "dbmig declares the data model in YAML, writes versioned revision files from the difference\n\
between the model and the live database, and applies them in transactions, recording the\n\
database's revision in an Alembic-compatible alembic_version table.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends is read from the binary by dpkg-shlibdeps: with the default static build that is
# glibc alone (yaml-cpp, SQLite and libstdc++ are linked in); a -DDBMIG_STATIC_DEPS=OFF build
# gets its shared libraries listed the same way.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libpq is dlopen'ed on the first PostgreSQL URL, so SQLite-only use works without it.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS libpq5)
# `dbmig import alembic` runs python3 to read Alembic's revision scripts.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS python3)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
