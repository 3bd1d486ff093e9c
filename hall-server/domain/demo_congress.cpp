#include "domain/demo_congress.hpp"

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daihoi::domain {
namespace {

// splitmix64: tiny, fast and fully specified, so a seed gives the same
// congress on every compiler (std distributions are implementation-defined).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound) without modulo bias; bound > 0.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (true) {
      const std::uint64_t r = next();
      if (r >= threshold) {
        return r % bound;
      }
    }
  }

 private:
  std::uint64_t state_;
};

struct Weighted {
  std::string_view text;
  std::uint32_t weight;
};

template <std::size_t N>
std::string_view pick(SplitMix64& random, const std::array<Weighted, N>& choices) {
  std::uint64_t total = 0;
  for (const Weighted& choice : choices) {
    total += choice.weight;
  }
  std::uint64_t r = random.below(total);
  for (const Weighted& choice : choices) {
    if (r < choice.weight) {
      return choice.text;
    }
    r -= choice.weight;
  }
  return choices.back().text;
}

template <std::size_t N>
std::string_view pick(SplitMix64& random, const std::array<std::string_view, N>& choices) {
  return choices[random.below(N)];
}

struct DelegationSpec {
  std::string_view name;
  std::string_view abbreviation;  // ASCII: badge codes are typed at sign-in
  std::uint32_t weight;           // relative size
};

constexpr std::array<DelegationSpec, kMaxDemoDelegations> kDelegations{{
    {"Đoàn Hà Nội", "HN", 60},
    {"Đoàn Thành phố Hồ Chí Minh", "HCM", 62},
    {"Đoàn Quân đội", "QD", 48},
    {"Đoàn Công an Trung ương", "CA", 30},
    {"Đoàn Khối các cơ quan Trung ương", "CQTW", 36},
    {"Đoàn Đà Nẵng", "DN", 24},
    {"Đoàn Hải Phòng", "HP", 28},
    {"Đoàn Cần Thơ", "CT", 21},
    {"Đoàn Thanh Hóa", "TH", 32},
    {"Đoàn Nghệ An", "NA", 30},
    {"Đoàn Khối Doanh nghiệp Trung ương", "DNTW", 25},
    {"Đoàn Quảng Ninh", "QN", 19},
    {"Đoàn Huế", "HUE", 16},
    {"Đoàn Đồng Nai", "DNA", 20},
    {"Đoàn Bắc Ninh", "BN", 18},
    {"Đoàn Khánh Hòa", "KH", 15},
    {"Đoàn Lâm Đồng", "LD", 17},
    {"Đoàn An Giang", "AG", 18},
    {"Đoàn Thái Nguyên", "TN", 14},
    {"Đoàn Gia Lai", "GL", 15},
    {"Đoàn Đắk Lắk", "DL", 15},
    {"Đoàn Quảng Trị", "QT", 12},
    {"Đoàn Lào Cai", "LC", 12},
    {"Đoàn Cà Mau", "CM", 13},
    {"Đoàn Vĩnh Long", "VL", 14},
    {"Đoàn Ninh Bình", "NB", 15},
}};

// Weights roughly follow the share of each family name in Viet Nam (per mille).
constexpr std::array<Weighted, 26> kFamilyNames{{
    {"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95}, {"Phạm", 70},   {"Hoàng", 30}, {"Huỳnh", 21}, {"Phan", 45},
    {"Vũ", 20},      {"Võ", 19},    {"Đặng", 21}, {"Bùi", 20},  {"Đỗ", 14},    {"Hồ", 13},    {"Ngô", 13},
    {"Dương", 10},   {"Lý", 5},     {"Đinh", 8},  {"Trương", 7}, {"Lâm", 5},   {"Mai", 5},    {"Đoàn", 5},
    {"Trịnh", 5},    {"Cao", 4},    {"Hà", 4},    {"Lương", 3}, {"Tạ", 2},
}};

constexpr std::array<Weighted, 14> kMaleMiddleNames{{
    {"Văn", 30}, {"Đức", 10}, {"Minh", 10}, {"Hữu", 8}, {"Quốc", 8}, {"Thanh", 6}, {"Ngọc", 4},
    {"Công", 6}, {"Xuân", 5}, {"Quang", 6}, {"Đình", 6}, {"Trọng", 5}, {"Mạnh", 3}, {"Tiến", 4},
}};

constexpr std::array<Weighted, 9> kFemaleMiddleNames{{
    {"Thị", 55}, {"Ngọc", 10}, {"Thu", 8}, {"Thanh", 7}, {"Minh", 5}, {"Kim", 5}, {"Hồng", 5},
    {"Thúy", 3}, {"Bích", 2},
}};

constexpr std::array<std::string_view, 32> kMaleGivenNames{
    "Hùng", "Dũng", "Tuấn", "Hải",  "Nam",  "Long", "Sơn",  "Thắng", "Cường", "Quân", "Hoàng",
    "Phong", "Trung", "Khánh", "Bình", "Thành", "Hiếu", "Đức", "Tùng", "Vinh", "Huy",  "Kiên",
    "Lâm",  "Thịnh", "Toàn", "Việt", "Anh",  "Phúc", "Tâm",  "Hưng",  "Nghĩa", "Chiến"};

constexpr std::array<std::string_view, 28> kFemaleGivenNames{
    "Lan",   "Hương", "Hoa",  "Mai",  "Hằng", "Linh", "Trang", "Thủy", "Nga", "Hạnh",
    "Thảo",  "Yến",   "Phương", "Dung", "Huyền", "Nhung", "Loan", "Oanh", "Vân", "Hà",
    "Ngân",  "Quyên", "Hiền", "Thư",  "Anh",  "Trinh", "Giang", "Liên"};

constexpr std::uint32_t kWomenPercent = 30;
constexpr std::uint32_t kGuestPercent = 3;
constexpr std::uint32_t kSeatsPerRow = 20;

std::string makeFullName(SplitMix64& random) {
  const bool woman = random.below(100) < kWomenPercent;
  const std::string_view family = pick(random, kFamilyNames);
  const std::string_view middle = woman ? pick(random, kFemaleMiddleNames) : pick(random, kMaleMiddleNames);
  std::string_view given;
  do {
    given = woman ? pick(random, kFemaleGivenNames) : pick(random, kMaleGivenNames);
  } while (given == middle);  // "Minh Minh" is not a name
  std::string name;
  name.append(family).append(" ").append(middle).append(" ").append(given);
  return name;
}

// Splits `total` by the weights (largest remainder), at least one each when there are enough.
std::vector<std::uint32_t> apportion(std::uint32_t total, const std::vector<std::uint64_t>& weights) {
  const std::uint32_t count = static_cast<std::uint32_t>(weights.size());
  const std::uint32_t base = total >= count ? 1 : 0;
  std::vector<std::uint32_t> sizes(count, base);
  const std::uint64_t rest = total - std::uint64_t{base} * count;
  std::uint64_t weightSum = 0;
  for (std::uint64_t w : weights) {
    weightSum += w;
  }
  std::uint64_t given = 0;
  std::vector<std::uint64_t> remainders(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    sizes[i] += static_cast<std::uint32_t>(rest * weights[i] / weightSum);
    given += rest * weights[i] / weightSum;
    remainders[i] = rest * weights[i] % weightSum;
  }
  for (std::uint64_t left = rest - given; left > 0; --left) {
    std::uint32_t best = 0;
    for (std::uint32_t i = 1; i < count; ++i) {
      if (remainders[i] > remainders[best]) {
        best = i;
      }
    }
    ++sizes[best];
    remainders[best] = 0;
  }
  return sizes;
}

std::string zeroPadded(std::uint32_t number, std::size_t width) {
  std::string digits = std::to_string(number);
  if (digits.size() < width) {
    digits.insert(0, width - digits.size(), '0');
  }
  return digits;
}

}  // namespace

DemoCongress makeDemoCongress(std::uint32_t delegates, std::uint32_t delegations, std::uint64_t seed) {
  if (delegations == 0 || delegations > kMaxDemoDelegations) {
    throw std::invalid_argument("a demo congress has 1 to " + std::to_string(kMaxDemoDelegations) +
                                " delegations, not " + std::to_string(delegations));
  }
  SplitMix64 random(seed);

  Congress congress;
  congress.name = "Đại hội đại biểu lần thứ XV";
  congress.term = "2026–2031";
  congress.venue = "Trung tâm Hội nghị Quốc gia, Hà Nội";
  congress.startsOn = "2026-01-19";
  congress.endsOn = "2026-01-23";
  congress.quorum = Fraction{2, 3};

  // Sizes follow the table's proportions, varied by the seed by up to ±15%.
  std::vector<std::uint64_t> weights;
  for (std::uint32_t i = 0; i < delegations; ++i) {
    weights.push_back(std::uint64_t{kDelegations[i].weight} * (85 + random.below(31)));
  }
  const std::vector<std::uint32_t> sizes = apportion(delegates, weights);

  std::vector<Delegation> delegationList;
  std::vector<Delegate> delegateList;
  delegateList.reserve(delegates);
  std::uint32_t nextRow = 1;
  for (std::uint32_t d = 0; d < delegations; ++d) {
    const DelegationSpec& spec = kDelegations[d];
    const std::uint32_t delegationId = d + 1;
    delegationList.push_back({delegationId, std::string(spec.name)});
    const char block = static_cast<char>('A' + d);
    for (std::uint32_t n = 1; n <= sizes[d]; ++n) {
      Delegate delegate;
      delegate.id = static_cast<std::uint32_t>(delegateList.size() + 1);
      delegate.code = std::string(spec.abbreviation) + "-" + zeroPadded(n, 3);
      delegate.fullName = makeFullName(random);
      delegate.delegationId = delegationId;
      delegate.seat.label = std::string(1, block) + "-" + zeroPadded(n, 2);
      delegate.seat.row = nextRow + (n - 1) / kSeatsPerRow;
      delegate.seat.column = (n - 1) % kSeatsPerRow + 1;
      delegateList.push_back(std::move(delegate));
    }
    // Each delegation's block starts on a fresh row.
    nextRow += (sizes[d] + kSeatsPerRow - 1) / kSeatsPerRow;
  }

  // Invited guests: a seeded choice of distinct delegates (partial Fisher-Yates).
  const std::uint32_t guests = (delegates * std::uint64_t{kGuestPercent} + 50) / 100;
  std::vector<std::uint32_t> order(delegateList.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  for (std::uint32_t i = 0; i < guests; ++i) {
    const std::uint32_t j = i + static_cast<std::uint32_t>(random.below(order.size() - i));
    std::swap(order[i], order[j]);
    delegateList[order[i]].voting = false;
  }

  return DemoCongress{std::move(congress), Roster(std::move(delegationList), std::move(delegateList))};
}

}  // namespace daihoi::domain
