#pragma once
// Hand-rolled JSON output for --json: compact, one object per line, always valid UTF-8.
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace daihoi::cli {

// `text` as a JSON string literal, quotes included. Control characters, '"' and '\\' are
// escaped; U+2028/U+2029 too (they end lines in JavaScript); invalid UTF-8 becomes \ufffd.
// Other non-ASCII characters (Vietnamese letters) are kept as UTF-8.
std::string jsonQuoted(std::string_view text);

// Builds one JSON value. Commas and colons are placed by the writer:
//   JsonWriter json; json.beginObject().key("seq").value(42).endObject();
class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  JsonWriter& value(T number) {
    beforeValue();
    out_ += std::to_string(number);
    return *this;
  }
  JsonWriter& null();
  // A floating-point number with at most `decimals` digits after the point (trailing zeros
  // dropped); NaN and infinities, which JSON cannot hold, become null.
  JsonWriter& number(double value, int decimals);

  // The finished text; throws std::logic_error while objects or arrays are still open.
  const std::string& str() const;

 private:
  void beforeValue();

  std::string out_;
  struct Level {
    bool isObject = false;
    bool empty = true;
  };
  std::vector<Level> levels_;
  bool afterKey_ = false;
};

}  // namespace daihoi::cli
