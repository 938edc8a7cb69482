// The results section of docs/BENCHMARKS.md, from the JSON of one or more runs.
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

void write_markdown(const std::vector<nlohmann::ordered_json>& runs, std::ostream& out);

}  // namespace bench
