#include <algorithm>
#include <string>

#include "sql_files.hpp"

namespace cpb {

const SqlFile* find_sql_file(const std::vector<SqlFile>& files, std::string_view name, std::string_view engine) {
  auto find = [&](std::string_view wanted) -> const SqlFile* {
    const auto found = std::find_if(files.begin(), files.end(), [&](const SqlFile& f) { return f.name == wanted; });
    return found == files.end() ? nullptr : &*found;
  };
  if (!engine.empty()) {
    const size_t cut = name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1;
    const std::string own = std::string(name.substr(0, cut)) + std::string(engine) + "/" + std::string(name.substr(cut));
    if (const SqlFile* file = find(own)) return file;
  }
  return find(name);
}

std::string substitute_variables(std::string text, std::vector<std::pair<std::string, std::string>> variables) {
  std::sort(variables.begin(), variables.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [name, value] : variables) {
    const std::string token = "$" + name;
    for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
      text.replace(at, token.size(), value);
  }
  return text;
}

}  // namespace cpb
