#include "terminal_text.hpp"

#include <cstdio>

namespace host {

namespace {

std::string hex_escape(unsigned value, bool unicode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, unicode ? "\\u{%x}" : "\\x%02x", value);
  return buf;
}

// Length of the valid UTF-8 sequence at text[i], or 0.
size_t utf8_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return length;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\\\";
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      out += hex_escape(c, false);
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (const size_t n = utf8_length(text, i)) {
      // U+0080..U+009F (C2 80..C2 9F) are the C1 controls: CSI is U+009B.
      const unsigned second = static_cast<unsigned char>(text[i + 1]);
      if (c == 0xC2 && second <= 0x9F)
        out += hex_escape(second, true);
      else
        out.append(text.substr(i, n));
      i += n;
    } else {
      out += hex_escape(c, false);
      ++i;
    }
  }
  return out;
}

std::string csv_field(std::string_view text) {
  // A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before
  // one) as a formula: such a field is quoted and starts with ' instead, so
  // that a name a host user typed is shown, never run.
  const bool formula = !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
  if (!formula && text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = formula ? "\"'" : "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace host
