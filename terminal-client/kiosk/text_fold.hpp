#pragma once
// OpenCV's putText draws ASCII only (its Hershey fonts have no Vietnamese letters), so the
// kiosk window shows text folded to ASCII: "Xin chào, Nguyễn Văn Đức — ghế A-12" becomes
// "Xin chao, Nguyen Van Duc - ghe A-12". The real UTF-8 text goes to stdout.
#include <string>
#include <string_view>

namespace daihoi::kiosk {

// Vietnamese (and other Latin) letters lose their diacritics (đ → d, Ư → U), combining marks
// are dropped, typographic dashes, quotes and ellipses become their ASCII forms, and any other
// non-ASCII character or invalid byte becomes '?'. Control characters become spaces.
std::string asciiFold(std::string_view utf8);

}  // namespace daihoi::kiosk
