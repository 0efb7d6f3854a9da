/* Runs the generated init functions of tests/schemas/alltypes/legacy.proto and checks every
 * field against the [default = ...] written in that .proto (the expected values below are
 * copied from the schema text, not from the generator). */
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "../support/check.h"

#include "legacy.ffi.h"


static int text_is(const char *data, uint32_t len, const char *want, size_t want_len) {
  return len == want_len && memcmp(data, want, want_len) == 0 && data[len] == '\0';
}

static void test_legacy_defaults(void) {
  p2f_legacy_Legacy m;
  memset(&m, 0xA5, sizeof m); /* init must overwrite every byte it owns */
  p2f_legacy_Legacy_init(&m);

  CHECK(m.id == 0);
  CHECK(m.name_len == 0 && m.name[0] == '\0');
  CHECK(m.d_int32 == -42);
  CHECK(m.d_int64 == INT64_MIN);
  CHECK(m.d_uint64 == UINT64_MAX);
  CHECK(m.d_sint32 == 7);
  CHECK(m.d_fixed32 == 4294967295u);
  CHECK(m.d_sfixed64 == -1);
  CHECK(m.d_hex == 0x7fffffff);
  CHECK(m.d_octal == 0755);
  CHECK(m.d_sint64 == -9223372036854775807LL);
  CHECK(m.d_float == 1.5f);
  CHECK(m.d_double == -2.25e10);
  /* Only an infinity lies beyond the largest finite value, and only a NaN differs from itself
   * (comparisons rather than isinf/isnan, whose MinGW-w64 macros convert double to float). */
  CHECK(m.d_float_inf > FLT_MAX);
  CHECK(m.d_double_neg_inf < -DBL_MAX);
  CHECK(m.d_float_nan != m.d_float_nan);
  CHECK(m.d_bool == 1);
  CHECK(text_is(m.d_string, m.d_string_len, "hello \"world\"\n", 14));
  CHECK(text_is(m.d_utf8, m.d_utf8_len, "h\xc3\xa9llo \xe2\x9c\x93", 10));
  CHECK(m.d_bytes_len == 6 && memcmp(m.d_bytes, "\000\001\377abc", 6) == 0);
  CHECK(m.d_empty_len == 0);
  CHECK(m.d_level == p2f_legacy_Level_LEVEL_HIGH);
  CHECK(m.level_no_default == p2f_legacy_Level_LEVEL_LOW); /* first value, not 0 */
  CHECK(m.packed_ints_count == 0 && m.unpacked_ints_count == 0 && m.packed_levels_count == 0);

  /* Defaults are values, not presence: no optional field counts as set after init. */
  CHECK(m.has_d_int32 == 0 && m.has_d_string == 0 && m.has_d_level == 0 && m.has_settings == 0);

  /* A message field reads as the default instance of its type. */
  CHECK(m.settings.level == 3);
  CHECK(text_is(m.settings.mode, m.settings.mode_len, "auto", 4));
  CHECK(m.settings.enabled == 1);

  /* The nested type's own init gives the same values. */
  p2f_legacy_Legacy_Settings s;
  memset(&s, 0x5A, sizeof s);
  p2f_legacy_Legacy_Settings_init(&s);
  CHECK(memcmp(&s, &m.settings, sizeof s) == 0);

  /* Bytes past a string's length stay zero: the struct is fully defined after init. */
  for (size_t i = m.d_string_len; i < sizeof m.d_string; i++) CHECK(m.d_string[i] == '\0');
}

static void test_enum_names(void) {
  CHECK(strcmp(p2f_legacy_Level_name(2), "LEVEL_MID") == 0);
  CHECK(p2f_legacy_Level_name(0) == NULL);
  CHECK(p2f_legacy_Level_MIN == 1 && p2f_legacy_Level_MAX == 3);
}

static void test_table(void) {
  const p2f_file_info *file = legacy_proto_file_info();
  CHECK(strcmp(file->proto_name, "legacy.proto") == 0);
  CHECK(strcmp(file->package, "p2f.legacy") == 0);
  const p2f_message_info *info = p2f_file_find(file, "p2f.legacy.Legacy");
  CHECK(info != NULL);
  if (info == NULL) return;
  CHECK(info->size == sizeof(p2f_legacy_Legacy));
  CHECK(info->align == _Alignof(p2f_legacy_Legacy));
  CHECK(strcmp(info->c_name, "p2f_legacy_Legacy") == 0);
  p2f_legacy_Legacy a, b;
  memset(&a, 0x11, sizeof a);
  info->init(&a);
  p2f_legacy_Legacy_init(&b);
  CHECK(memcmp(&a, &b, sizeof a) == 0);
  for (size_t i = 1; i < file->message_count; i++) {
    CHECK(strcmp(file->messages[i - 1].full_name, file->messages[i].full_name) < 0);
  }
  CHECK(p2f_file_find(file, "p2f.legacy.Legacy.Settings") != NULL);
}

int main(void) {
  test_legacy_defaults();
  test_enum_names();
  test_table();
  return CHECK_REPORT();
}
