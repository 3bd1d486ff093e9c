#include "cli/json_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "cli/utf8.hpp"

namespace daihoi::cli {
namespace {

void appendUnicodeEscape(std::string& out, char32_t codePoint) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) {
    out += kHex[(codePoint >> shift) & 0xF];
  }
}

}  // namespace

std::string jsonQuoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const DecodedCodePoint decoded = decodeUtf8(text, i);
    const char32_t c = decoded.codePoint;
    if (!decoded.valid) {
      appendUnicodeEscape(out, kReplacementCharacter);
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\b') {
      out += "\\b";
    } else if (c == '\f') {
      out += "\\f";
    } else if (c < 0x20 || c == 0x7F || c == 0x2028 || c == 0x2029) {
      appendUnicodeEscape(out, c);
    } else {
      out.append(text.substr(i, decoded.length));
    }
    i += decoded.length;
  }
  out += '"';
  return out;
}

void JsonWriter::beforeValue() {
  if (afterKey_) {
    afterKey_ = false;
    return;
  }
  if (levels_.empty()) {
    if (!out_.empty()) {
      throw std::logic_error("JsonWriter: a second top-level value");
    }
    return;
  }
  Level& level = levels_.back();
  if (level.isObject) {
    throw std::logic_error("JsonWriter: a value inside an object needs a key");
  }
  if (!level.empty) {
    out_ += ',';
  }
  level.empty = false;
}

JsonWriter& JsonWriter::beginObject() {
  beforeValue();
  out_ += '{';
  levels_.push_back({true, true});
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  if (levels_.empty() || !levels_.back().isObject || afterKey_) {
    throw std::logic_error("JsonWriter: endObject() without a matching beginObject()");
  }
  levels_.pop_back();
  out_ += '}';
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  beforeValue();
  out_ += '[';
  levels_.push_back({false, true});
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  if (levels_.empty() || levels_.back().isObject) {
    throw std::logic_error("JsonWriter: endArray() without a matching beginArray()");
  }
  levels_.pop_back();
  out_ += ']';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (levels_.empty() || !levels_.back().isObject || afterKey_) {
    throw std::logic_error("JsonWriter: key() outside an object");
  }
  Level& level = levels_.back();
  if (!level.empty) {
    out_ += ',';
  }
  level.empty = false;
  out_ += jsonQuoted(name);
  out_ += ':';
  afterKey_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  beforeValue();
  out_ += jsonQuoted(text);
  return *this;
}

JsonWriter& JsonWriter::number(double value, int decimals) {
  if (!std::isfinite(value)) {
    return null();
  }
  beforeValue();
  char buffer[64];
  const int length = std::snprintf(buffer, sizeof buffer, "%.*f", std::clamp(decimals, 0, 17), value);
  std::string text(buffer, static_cast<std::size_t>(std::max(length, 0)));
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') {
      text.pop_back();
    }
    if (text.back() == '.') {
      text.pop_back();
    }
  }
  if (text == "-0") {
    text = "0";
  }
  out_ += text;
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  beforeValue();
  out_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  beforeValue();
  out_ += "null";
  return *this;
}

const std::string& JsonWriter::str() const {
  if (!levels_.empty() || afterKey_) {
    throw std::logic_error("JsonWriter: the value is not finished");
  }
  return out_;
}

}  // namespace daihoi::cli
