/* Generated code for the nanopb-annotated schemas of tests/schemas/nanopb: fields left out
 * with type:FT_IGNORE. Byte sequences follow the protobuf encoding by hand. */
#include <string.h>

#include "../support/check.h"
#include "ignore.ffi.h"

/* Ignored fields have no member and no tag macro; the fields around them do. */
#if !defined(p2f_np_Ignored_kept_TAG) || !defined(p2f_np_Ignored_a_TAG) || !defined(p2f_np_Ignored_nums_TAG)
#error "a kept field lost its tag macro"
#endif
#if defined(p2f_np_Ignored_dropped_TAG) || defined(p2f_np_Ignored_dropped_by_line_TAG) || \
    defined(p2f_np_Ignored_gone_TAG) || defined(p2f_np_Ignored_b_TAG) || defined(p2f_np_Ignored_c_TAG) || \
    defined(p2f_np_Ignored_dropped_map_TAG)
#error "an ignored field is in the generated header"
#endif

static void test_ignored_fields(void) {
  /* kept=1 (08 01), dropped=2 (10 02), text="hi" (1a 02), dropped_by_line="x" (22 01),
   * gone="y" (32 01, the oneof's ignored member), b=7 (38 07), c="z" (42 01),
   * dropped_map {"k": 1} (4a 05 0a 01 6b 10 01), nums [4] (50 04). */
  static const uint8_t in[] = {0x08, 0x01, 0x10, 0x02, 0x1a, 0x02, 'h', 'i', 0x22, 0x01, 'x', 0x32, 0x01, 'y',
                               0x38, 0x07, 0x42, 0x01, 'z', 0x4a, 0x05, 0x0a, 0x01, 'k',  0x10, 0x01, 0x50, 0x04};
  p2f_np_Ignored msg;
  CHECK(p2f_np_Ignored_decode(&msg, in, sizeof in) == P2F_OK);
  CHECK(msg.has_kept && msg.kept == 1);
  CHECK(msg.has_text && msg.text_len == 2 && strcmp(msg.text, "hi") == 0);
  CHECK(msg.which_choice == 0); /* only `gone` was on the wire: skipped */
  CHECK(msg.nums_count == 1 && msg.nums[0] == 4);
  /* Encoding writes the kept fields only. */
  static const uint8_t want[] = {0x08, 0x01, 0x1a, 0x02, 'h', 'i', 0x50, 0x04};
  uint8_t out[64];
  size_t n = 0;
  CHECK(p2f_np_Ignored_encode(&msg, out, sizeof out, &n) == P2F_OK);
  CHECK(n == sizeof want && memcmp(out, want, n) == 0);
  /* The oneof's remaining member still works: a = 5 (28 05). */
  static const uint8_t with_a[] = {0x32, 0x01, 'y', 0x28, 0x05};
  CHECK(p2f_np_Ignored_decode(&msg, with_a, sizeof with_a) == P2F_OK);
  CHECK(msg.which_choice == p2f_np_Ignored_a_TAG && msg.choice.a == 5);
  /* An ignored field is still checked as protobuf: a truncated one is an error. */
  static const uint8_t bad[] = {0x22, 0x05, 'x'};
  CHECK(p2f_np_Ignored_decode(&msg, bad, sizeof bad) == P2F_ERR_LENGTH_OVERFLOW);
}

int main(void) {
  test_ignored_fields();
  return CHECK_REPORT();
}
