// Text from the database shown on a terminal or in a CSV file: a name must not
// carry terminal escape sequences, nor a formula into a spreadsheet.
#pragma once

#include <string>
#include <string_view>

namespace host {

// `text` with control characters (C0, DEL, C1), backslashes and bytes that are
// not UTF-8 written as escapes (\x1b, \u{9b}, \\); everything else as it is.
std::string printable(std::string_view text);

// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break,
// and led by ' when a spreadsheet would run it as a formula (= + - @ first).
std::string csv_field(std::string_view text);

}  // namespace host
