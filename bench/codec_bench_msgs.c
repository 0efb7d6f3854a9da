/* The messages the codec benchmark encodes and decodes (see codec_bench.h). */
#include <string.h>

#include "codec_bench.h"

static uint64_t state = 0x2545f4914f6cdd1du;

static uint64_t next(void) { /* xorshift64*, fixed seed: the same messages every run */
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545f4914f6cdd1du;
}

static uint64_t id(void) { return next() >> 4; } /* 60-bit ids: 9-byte varints */
static uint64_t user(void) { return 1000000 + next() % 900000000; }
static uint64_t millis(void) { return 1718000000000u + next() % 100000000u; }

/* Text of exactly n bytes or one less: words, about one in twelve of them non-ASCII. */
static uint32_t text(char *out, size_t n) {
  static const char *const ascii[] = {"the", "photo", "friends", "weekend", "really", "amazing", "new", "post",
                                      "today", "with", "and", "we", "went", "to", "see", "it", "was", "great",
                                      "thanks", "everyone", "for", "coming", "link", "below", "#travel", "@anna"};
  static const char *const other[] = {"caf\xc3\xa9", "na\xc3\xafve", "\xc3\xbc" "ber", "Z\xc3\xbcrich",
                                      "\xf0\x9f\x99\x82", "\xf0\x9f\x8e\x89", "\xe6\x97\xa5\xe6\x9c\xac",
                                      "\xe2\x82\xac" "20"};
  size_t len = 0;
  while (len < n) {
    const char *w = next() % 12 == 0 ? other[next() % 8] : ascii[next() % 26];
    size_t k = strlen(w);
    if (len + k + 1 > n) {
      while (len < n) out[len++] = '.';
      break;
    }
    if (len) out[len++] = ' ';
    memcpy(out + len, w, k);
    len += k;
  }
  out[len] = 0;
  return (uint32_t)len;
}

void bench_make_reaction(social_Reaction *m) {
  social_Reaction_init(m);
  m->reaction_id = id();
  m->user_id = user();
  m->target_id = id();
  m->reaction_type = social_ReactionType_REACTION_LOVE;
  m->created_at = millis();
}

void bench_make_comment(social_Comment *m) {
  social_Comment_init(m);
  m->comment_id = id();
  m->post_id = id();
  m->author_id = user();
  m->parent_comment_id = id();
  m->text_len = text(m->text, 240);
  m->like_count = 17;
  m->reply_count = 2;
  m->created_at = millis();
}

void bench_make_post(social_Post *m) {
  social_Post_init(m);
  m->post_id = id();
  m->author_id = user();
  m->post_type = social_PostType_POST_TYPE_IMAGE;
  m->content_len = text(m->content, 1800);
  static const char url[] = "https://cdn.example.com/media/2024/06/10/IMG_20240610_181502_8c1f3a.jpg";
  memcpy(m->media_url, url, sizeof url);
  m->media_url_len = (uint32_t)(sizeof url - 1);
  m->visibility = social_PostVisibility_VISIBILITY_FRIENDS;
  m->like_count = 1234;
  m->comment_count = 56;
  m->share_count = 7;
  m->view_count = 98765;
  m->created_at = millis();
  m->updated_at = m->created_at + 60000;
}

void bench_make_post_ascii(social_Post *m) {
  bench_make_post(m);
  for (uint32_t i = 0; i < m->content_len; i++) {
    if ((unsigned char)m->content[i] >= 0x80) m->content[i] = 'x';
  }
}

void bench_make_message(social_Message *m) {
  social_Message_init(m);
  m->message_id = id();
  m->sender_id = user();
  m->receiver_id = user();
  m->text_len = text(m->text, 400);
  m->is_read = 1;
  m->created_at = millis();
}

void bench_make_notification(social_Notification *m) {
  social_Notification_init(m);
  m->notification_id = id();
  m->user_id = user();
  m->notification_type = social_NotificationType_NOTIFICATION_POST_COMMENT;
  m->actor_id = user();
  m->target_id = id();
  m->text_len = text(m->text, 90);
  m->created_at = millis();
}

void bench_make_samples(bench_Samples *m) {
  bench_Samples_init(m);
  m->series_id = id();
  m->start_time = millis();
  double v = 20.0;
  m->values_count = 100;
  m->deltas_count = 100;
  for (uint32_t i = 0; i < 100; i++) {
    v += (double)((int64_t)(next() % 2001) - 1000) / 1000.0;
    m->values[i] = v;
    m->deltas[i] = (int64_t)(next() % 4001) - 2000;
  }
  m->counts_count = 48;
  for (uint32_t i = 0; i < 48; i++) m->counts[i] = (int32_t)(next() % 10000);
  m->flags_count = 40;
  for (uint32_t i = 0; i < 40; i++) m->flags[i] = (uint32_t)next();
  m->weights_count = 32;
  for (uint32_t i = 0; i < 32; i++) m->weights[i] = (float)(next() % 1000) / 1000.0f;
}
