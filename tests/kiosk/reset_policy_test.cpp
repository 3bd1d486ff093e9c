#include <doctest/doctest.h>

#include "kiosk/reset_policy.hpp"

using daihoi::kiosk::ResetPolicy;
namespace v1 = daihoi::v1;

TEST_CASE("off by default: the hall's own rule") {
  ResetPolicy policy(0);
  CHECK_FALSE(policy.enabled());
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_CHECKED_IN, true, 0));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_NO_FACE, false, 100000));
}

TEST_CASE("a final status, then no face for the given time: reset once") {
  ResetPolicy policy(1500);
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_NO_FACE, false, 0));  // nothing final yet
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_NO_FACE, false, 5000));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_COLLECTING, true, 5100));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_CHECKED_IN, true, 5200));
  CHECK(policy.finalSeen());
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_CHECKED_IN, true, 6000));  // still standing there
  // The hall repeats the final answer to frames without a face (its hold time).
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_CHECKED_IN, false, 6100));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_CHECKED_IN, false, 7000));
  CHECK(policy.observe(v1::FACE_STATUS_NO_FACE, false, 7600));
  CHECK_FALSE(policy.finalSeen());
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_NO_FACE, false, 9000));  // once
}

TEST_CASE("a face in between restarts the count") {
  ResetPolicy policy(1000);
  policy.observe(v1::FACE_STATUS_UNKNOWN, true, 0);
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_UNKNOWN, false, 100));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_UNKNOWN, true, 900));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_UNKNOWN, false, 1000));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_UNKNOWN, false, 1900));
  CHECK(policy.observe(v1::FACE_STATUS_UNKNOWN, false, 2000));
}

TEST_CASE("a new attempt at the hall means nothing to reset") {
  ResetPolicy policy(1000);
  policy.observe(v1::FACE_STATUS_NOT_LIVE, true, 0);
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_NO_FACE, false, 100));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_COLLECTING, true, 200));  // the hall started over itself
  CHECK_FALSE(policy.finalSeen());
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_NO_FACE, false, 5000));
}

TEST_CASE("the usher's reset clears the final status") {
  ResetPolicy policy(500);
  policy.observe(v1::FACE_STATUS_MISMATCH, true, 0);
  policy.resetSent();
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_NO_FACE, false, 10));
  CHECK_FALSE(policy.observe(v1::FACE_STATUS_NO_FACE, false, 1000));
}
