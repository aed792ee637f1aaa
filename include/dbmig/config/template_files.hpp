#pragma once
// migrations-template/, compiled into the binary (see cmake/embed_template.cmake).
#include <string>
#include <vector>

namespace dbmig {

struct TemplateFile {
  std::string path;     // relative to the template root; a trailing '/' names an empty folder
  std::string content;
};

const std::vector<TemplateFile>& template_files();

}  // namespace dbmig
