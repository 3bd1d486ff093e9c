#include <doctest/doctest.h>

#include <stdexcept>

#include "cli/json_writer.hpp"

using daihoi::cli::JsonWriter;
using daihoi::cli::jsonQuoted;

TEST_CASE("quotes, backslashes and control characters are escaped") {
  CHECK(jsonQuoted("plain") == "\"plain\"");
  CHECK(jsonQuoted("say \"xin chào\"") == "\"say \\\"xin chào\\\"\"");
  CHECK(jsonQuoted("C:\\daihoi") == "\"C:\\\\daihoi\"");
  CHECK(jsonQuoted("a\nb\rc\td") == "\"a\\nb\\rc\\td\"");
  CHECK(jsonQuoted("\b\f") == "\"\\b\\f\"");
  CHECK(jsonQuoted(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\\u007f\"");
  CHECK(jsonQuoted(std::string("nul\0byte", 8)) == "\"nul\\u0000byte\"");
  CHECK(jsonQuoted("/") == "\"/\"");  // allowed unescaped
}

TEST_CASE("Vietnamese and other non-ASCII text stays UTF-8") {
  CHECK(jsonQuoted("Nguyễn Thị Ánh Tuyết") == "\"Nguyễn Thị Ánh Tuyết\"");
  CHECK(jsonQuoted("Đoàn Thừa Thiên Huế") == "\"Đoàn Thừa Thiên Huế\"");
  CHECK(jsonQuoted("大会 🎉") == "\"大会 🎉\"");
}

TEST_CASE("line separators that break JavaScript are escaped") {
  CHECK(jsonQuoted("a\u2028b\u2029c") == "\"a\\u2028b\\u2029c\"");
}

TEST_CASE("invalid UTF-8 becomes U+FFFD so that the output is always valid") {
  CHECK(jsonQuoted("\xff") == "\"\\ufffd\"");
  CHECK(jsonQuoted("ab\xc3") == "\"ab\\ufffd\"");                  // truncated sequence
  CHECK(jsonQuoted("\xc0\xaf") == "\"\\ufffd\\ufffd\"");            // overlong '/'
  CHECK(jsonQuoted("\xed\xa0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // UTF-16 surrogate
  CHECK(jsonQuoted("\xf4\x90\x80\x80") == "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // above U+10FFFF
  CHECK(jsonQuoted("ok\xe1\xbb\x87") == "\"okệ\"");
}

TEST_CASE("the writer places commas and colons") {
  JsonWriter json;
  json.beginObject()
      .key("code").value("ERROR_PERMISSION_DENIED")
      .key("line").value(std::uint32_t{3})
      .key("seq").value(std::uint64_t{18446744073709551615ULL})
      .key("delta").value(-5)
      .key("ok").value(false)
      .key("none").null()
      .key("list").beginArray().value(1).value("hai").beginObject().endObject().beginArray().endArray().endArray()
      .endObject();
  CHECK(json.str() ==
        "{\"code\":\"ERROR_PERMISSION_DENIED\",\"line\":3,\"seq\":18446744073709551615,\"delta\":-5,"
        "\"ok\":false,\"none\":null,\"list\":[1,\"hai\",{},[]]}");
}

TEST_CASE("a string literal is written as a string, not as a bool") {
  JsonWriter json;
  json.beginArray().value("true").value(true).endArray();
  CHECK(json.str() == "[\"true\",true]");
}

TEST_CASE("keys are escaped too") {
  JsonWriter json;
  json.beginObject().key("tên \"đặc biệt\"").value("x").endObject();
  CHECK(json.str() == "{\"tên \\\"đặc biệt\\\"\":\"x\"}");
}

TEST_CASE("misuse is a programming error") {
  JsonWriter unfinished;
  unfinished.beginObject().key("a");
  CHECK_THROWS_AS(unfinished.str(), std::logic_error);

  JsonWriter valueWithoutKey;
  valueWithoutKey.beginObject();
  CHECK_THROWS_AS(valueWithoutKey.value(1), std::logic_error);

  JsonWriter mismatched;
  mismatched.beginArray();
  CHECK_THROWS_AS(mismatched.endObject(), std::logic_error);

  JsonWriter twoValues;
  twoValues.value(1);
  CHECK_THROWS_AS(twoValues.value(2), std::logic_error);
}
