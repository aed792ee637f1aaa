# Writes the C++ source that names the git commit dbmig is built from ("unknown" outside git).
# Run at every build; the file is rewritten only when the commit changes, so nothing else rebuilds.
find_package(Git QUIET)
set(commit "unknown")
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SRC} rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE head RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0 AND head)
    set(commit "${head}")
    # Tracked files changed since the commit: the binary is not exactly that commit.
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SRC} status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
    if(rc EQUAL 0 AND changes)
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
file(WRITE ${OUT}.tmp "#include <dbmig/util/build_info.hpp>\n\nnamespace dbmig {\n\nconst char* build_commit() { return \"${commit}\"; }\n\n}  // namespace dbmig\n")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
