/* social_example.c: a tour of the C that protoc-gen-c-ffi generates for social.proto.
 *
 * It fills a user profile, a post, comments, reactions, a follower list and a timeline
 * through the generated structs, prints them, and checks the invariants the generated code
 * promises: sizes and alignments agree with the generator's layout, init zeroes everything,
 * text fields keep their length and a NUL after the bytes, and the message table finds every
 * message by name. Any failed check prints its line and makes the program exit with 1.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "social.ffi.h"

/* Stops the program with a message naming the failed condition. */
#define CHECK(cond) check((cond), #cond, __LINE__)
static void check(int ok, const char *what, int line) {
  if (!ok) {
    fprintf(stderr, "social_example.c:%d: check failed: %s\n", line, what);
    exit(EXIT_FAILURE);
  }
}

/* Copies src into a string field whose storage is dst[cap + 1] and whose length is *len.
 * Text longer than cap bytes is refused and the field is left as it was. The bytes after
 * the text are zeroed, so the NUL sits at dst[*len] and equal messages compare equal. */
static int set_text(char *dst, uint32_t *len, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n > cap) {
    printf("  refused: %zu bytes of text do not fit in a field of %zu bytes\n", n, cap);
    return -1;
  }
  memcpy(dst, src, n);
  memset(dst + n, 0, cap + 1 - n);
  *len = (uint32_t)n;
  return 0;
}

/* set_text for field F of message M (a pointer) of type T, with the capacity taken from
 * the generated T_F_MAX_LENGTH macro. */
#define SET_TEXT(M, T, F, src) set_text((M)->F, &(M)->F##_len, T##_##F##_MAX_LENGTH, (src))

/* The invariants of a filled string field: length within capacity, storage of capacity + 1
 * bytes, NUL right after the text, and no NUL inside it. */
#define CHECK_TEXT(M, T, F) check_text((M)->F, (M)->F##_len, sizeof (M)->F, T##_##F##_MAX_LENGTH)
static void check_text(const char *text, uint32_t len, size_t storage, size_t cap) {
  CHECK(storage == cap + 1);
  CHECK(len <= cap);
  CHECK(text[len] == '\0');
  CHECK(strlen(text) == len);
}

/* Number of UTF-8 characters in len bytes: every byte except continuation bytes 10xxxxxx. */
static size_t utf8_chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (((unsigned char)s[i] & 0xC0u) != 0x80u) n++;
  }
  return n;
}

/* Enum names come from the generated T_name() functions, which return NULL for values the
 * enum does not declare (enum fields are plain int32_t and may hold any value). */
static const char *or_unknown(const char *name) { return name != NULL ? name : "(unknown)"; }

static int is_zero(const void *p, size_t n) {
  static const unsigned char zeros[sizeof(social_FollowerList)]; /* the largest message */
  CHECK(n <= sizeof zeros);
  return memcmp(p, zeros, n) == 0;
}

/* ---- layout, init and message table, for every message -------------------------------- */

static size_t checked_messages;

static void check_message(const char *full_name, const char *c_name, size_t size_of,
                          size_t align_of, size_t size_fn, size_t align_fn, size_t size_macro,
                          size_t align_macro, const void *initialized) {
  CHECK(size_of == size_fn && size_of == size_macro);
  CHECK(align_of == align_fn && align_of == align_macro);
  CHECK(is_zero(initialized, size_of)); /* init zeroed every byte, padding included */
  const p2f_message_info *m = p2f_file_find(social_proto_file_info(), full_name);
  CHECK(m != NULL);
  CHECK(strcmp(m->full_name, full_name) == 0 && strcmp(m->c_name, c_name) == 0);
  CHECK(m->size == size_of && m->align == align_of && m->init != NULL);
  printf("  %-24s %6zu bytes, align %zu, %2" PRIu32 " fields\n", full_name, size_of, align_of,
         m->field_count);
  checked_messages++;
}

/* Fills a message with 0xA5 garbage, runs its init, then checks it with check_message. */
#define CHECK_MESSAGE(T)                                                                      \
  do {                                                                                        \
    static social_##T msg;                                                                    \
    memset(&msg, 0xA5, sizeof msg);                                                           \
    social_##T##_init(&msg);                                                                  \
    check_message("social." #T, "social_" #T, sizeof msg, _Alignof(social_##T),              \
                  social_##T##_size(), social_##T##_align(), social_##T##_SIZE,               \
                  social_##T##_ALIGN, &msg);                                                  \
  } while (0)

static void check_all_messages(void) {
  printf("messages (sizeof == T_size() == T_SIZE, init zeroes, found in the table):\n");
  CHECK_MESSAGE(UserProfile);
  CHECK_MESSAGE(Post);
  CHECK_MESSAGE(Comment);
  CHECK_MESSAGE(Reaction);
  CHECK_MESSAGE(FriendConnection);
  CHECK_MESSAGE(Message);
  CHECK_MESSAGE(Notification);
  CHECK_MESSAGE(NewsFeedItem);
  CHECK_MESSAGE(FollowerList);
  CHECK_MESSAGE(TimelineCache);
  CHECK_MESSAGE(EngagementStats);
  CHECK_MESSAGE(HashtagData);
  CHECK_MESSAGE(SearchIndex);

  /* The table lists exactly these 13, sorted by full name so lookup is a binary search. */
  const p2f_file_info *info = social_proto_file_info();
  CHECK(strcmp(info->proto_name, "social.proto") == 0 && strcmp(info->package, "social") == 0);
  CHECK(info->message_count == 13 && checked_messages == 13);
  for (size_t i = 1; i < info->message_count; i++) {
    CHECK(strcmp(info->messages[i - 1].full_name, info->messages[i].full_name) < 0);
  }
  CHECK(p2f_file_find(info, "social.Nope") == NULL);
  CHECK(p2f_file_find(info, "Post") == NULL);            /* the package is part of the name */
  CHECK(p2f_file_find(info, ".social.Post") != NULL);    /* a leading '.' is accepted */
}

/* ---- printing ---------------------------------------------------------------------------- */

static void print_profile(const social_UserProfile *u) {
  printf("user %" PRIu64 ": @%s \"%s\"%s\n  bio: %s\n  avatar: %s\n", u->user_id, u->username,
         u->display_name, u->is_verified ? " (verified)" : "", u->bio, u->avatar_url);
  printf("  %" PRIu64 " followers, following %" PRIu64 ", %" PRIu64 " posts\n",
         u->follower_count, u->following_count, u->post_count);
}

static void print_post(const social_Post *p) {
  printf("post %" PRIu64 " by user %" PRIu64 ": %s, %s\n", p->post_id, p->author_id,
         or_unknown(social_PostType_name(p->post_type)),
         or_unknown(social_PostVisibility_name(p->visibility)));
  printf("  content: \"%s\" (%" PRIu32 " bytes, %zu characters)\n", p->content, p->content_len,
         utf8_chars(p->content, p->content_len));
  printf("  media: %s\n  %" PRIu64 " likes, %" PRIu64 " comments, %" PRIu64 " views\n",
         p->media_url, p->like_count, p->comment_count, p->view_count);
}

static void print_comment(const social_Comment *c) {
  printf("comment %" PRIu64 " on post %" PRIu64 " by user %" PRIu64, c->comment_id, c->post_id,
         c->author_id);
  if (c->parent_comment_id != 0) printf(", reply to comment %" PRIu64, c->parent_comment_id);
  printf(": \"%s\"\n", c->text);
}

static void print_reaction(const social_Reaction *r) {
  printf("reaction %" PRIu64 ": user %" PRIu64 " -> target %" PRIu64 ": %s\n", r->reaction_id,
         r->user_id, r->target_id, or_unknown(social_ReactionType_name(r->reaction_type)));
}

/* ---- the program ------------------------------------------------------------------------- */

int main(void) {
  check_all_messages();

  /* The big messages (TimelineCache is 56 KB, FollowerList 80 KB) live in static storage
   * rather than on the stack. */
  static social_UserProfile user;
  static social_Post post;
  static social_Comment comments[2];
  static social_Reaction reactions[2];
  static social_FollowerList followers;
  static social_TimelineCache timeline;

  printf("\nfilling messages:\n");
  social_UserProfile_init(&user);
  user.user_id = 1001;
  CHECK(SET_TEXT(&user, social_UserProfile, username, "alice") == 0);
  CHECK(SET_TEXT(&user, social_UserProfile, display_name, "Alice Example") == 0);
  CHECK(SET_TEXT(&user, social_UserProfile, bio, "Writes about fixed-layout structs.") == 0);
  CHECK(SET_TEXT(&user, social_UserProfile, avatar_url, "https://example.com/a.png") == 0);
  user.follower_count = 3;
  user.following_count = 2;
  user.post_count = 1;
  user.created_at = 1700000000;
  user.is_verified = 1;

  /* A username longer than social_UserProfile_username_MAX_LENGTH (32) is refused and the
   * field keeps "alice". */
  CHECK(SET_TEXT(&user, social_UserProfile, username,
                 "alice_with_a_name_much_longer_than_thirty_two_bytes") == -1);
  CHECK(user.username_len == 5 && strcmp(user.username, "alice") == 0);

  social_Post_init(&post);
  post.post_id = 42;
  post.author_id = user.user_id;
  post.post_type = social_PostType_POST_TYPE_IMAGE;
  post.visibility = social_PostVisibility_VISIBILITY_FRIENDS;
  /* "héllo ✓ first post": é takes 2 bytes and ✓ 3 in UTF-8, so 21 bytes, 18 characters.
   * Capacities (MAX_LENGTH) count bytes, not characters. */
  CHECK(SET_TEXT(&post, social_Post, content, "h\xC3\xA9llo \xE2\x9C\x93 first post") == 0);
  CHECK(post.content_len == 21 && utf8_chars(post.content, post.content_len) == 18);
  CHECK(SET_TEXT(&post, social_Post, media_url, "https://example.com/p/42.jpg") == 0);
  post.like_count = 2;
  post.comment_count = 2;
  post.view_count = 117;
  post.created_at = post.updated_at = 1700000100;

  for (size_t i = 0; i < 2; i++) social_Comment_init(&comments[i]);
  comments[0].comment_id = 1;
  comments[0].author_id = 1002;
  CHECK(SET_TEXT(&comments[0], social_Comment, text, "Nice picture!") == 0);
  comments[1].comment_id = 2;
  comments[1].author_id = user.user_id;
  comments[1].parent_comment_id = comments[0].comment_id; /* a reply to the first comment */
  CHECK(SET_TEXT(&comments[1], social_Comment, text, "Thanks \xF0\x9F\x99\x82") == 0); /* 🙂 */
  for (size_t i = 0; i < 2; i++) {
    comments[i].post_id = post.post_id;
    comments[i].created_at = 1700000200 + i;
  }

  for (size_t i = 0; i < 2; i++) {
    social_Reaction_init(&reactions[i]);
    reactions[i].reaction_id = 500 + i;
    reactions[i].user_id = 1002 + i;
    reactions[i].target_id = post.post_id;
    reactions[i].created_at = 1700000300 + i;
  }
  reactions[0].reaction_type = social_ReactionType_REACTION_LOVE;
  reactions[1].reaction_type = social_ReactionType_REACTION_WOW;

  /* Repeated fields: a count next to fixed storage of MAX_COUNT elements. */
  social_FollowerList_init(&followers);
  followers.user_id = user.user_id;
  const uint64_t follower_ids[] = {1002, 1003, 1004};
  for (size_t i = 0; i < sizeof follower_ids / sizeof follower_ids[0]; i++) {
    CHECK(followers.follower_ids_count < social_FollowerList_follower_ids_MAX_COUNT);
    followers.follower_ids[followers.follower_ids_count++] = follower_ids[i];
  }

  social_TimelineCache_init(&timeline);
  timeline.user_id = 1002;
  timeline.last_updated = 1700000400;
  for (uint32_t i = 0; i < 3; i++) {
    CHECK(timeline.items_count < social_TimelineCache_items_MAX_COUNT);
    social_NewsFeedItem *item = &timeline.items[timeline.items_count++];
    item->post_id = post.post_id + i;
    item->author_id = user.user_id;
    item->relevance_score = 0.9 - 0.2 * i;
    item->engagement_score = 0.5 + 0.1 * i;
    item->recency_score = 1.0 - 0.3 * i;
    item->final_score = (item->relevance_score + item->engagement_score + item->recency_score) / 3;
    item->shown_at = 1700000400 + i;
  }

  /* ---- print what was built ---- */
  printf("\n");
  print_profile(&user);
  print_post(&post);
  for (size_t i = 0; i < 2; i++) print_comment(&comments[i]);
  for (size_t i = 0; i < 2; i++) print_reaction(&reactions[i]);
  printf("user %" PRIu64 " has %" PRIu32 " followers:", followers.user_id,
         followers.follower_ids_count);
  for (uint32_t i = 0; i < followers.follower_ids_count; i++) {
    printf(" %" PRIu64, followers.follower_ids[i]);
  }
  printf("\ntimeline of user %" PRIu64 " (%" PRIu32 " items):\n", timeline.user_id,
         timeline.items_count);
  for (uint32_t i = 0; i < timeline.items_count; i++) {
    const social_NewsFeedItem *item = &timeline.items[i];
    printf("  post %" PRIu64 ": relevance %.2f, engagement %.2f, recency %.2f -> %.2f\n",
           item->post_id, item->relevance_score, item->engagement_score, item->recency_score,
           item->final_score);
  }

  /* ---- invariants of what was built ---- */
  CHECK_TEXT(&user, social_UserProfile, username);
  CHECK_TEXT(&user, social_UserProfile, display_name);
  CHECK_TEXT(&user, social_UserProfile, bio);
  CHECK_TEXT(&user, social_UserProfile, avatar_url);
  CHECK_TEXT(&post, social_Post, content);
  CHECK_TEXT(&post, social_Post, media_url);
  for (size_t i = 0; i < 2; i++) CHECK_TEXT(&comments[i], social_Comment, text);

  /* A text of exactly MAX_LENGTH bytes fits: its NUL lands in the last byte of storage. */
  static social_HashtagData hashtag;
  char longest[social_HashtagData_tag_MAX_LENGTH + 1];
  memset(longest, 'x', social_HashtagData_tag_MAX_LENGTH);
  longest[social_HashtagData_tag_MAX_LENGTH] = '\0';
  social_HashtagData_init(&hashtag);
  CHECK(SET_TEXT(&hashtag, social_HashtagData, tag, longest) == 0);
  CHECK(hashtag.tag_len == social_HashtagData_tag_MAX_LENGTH);
  CHECK_TEXT(&hashtag, social_HashtagData, tag);

  /* Enum names, and NULL for a value the enum does not declare. */
  CHECK(strcmp(or_unknown(social_ReactionType_name(reactions[0].reaction_type)),
               "REACTION_LOVE") == 0);
  CHECK(social_ReactionType_name(42) == NULL);
  CHECK(social_PostType_name(social_PostType_MAX) != NULL);
  CHECK(social_PostType_name(social_PostType_MAX + 1) == NULL);

  /* Repeated slots past the count are still zero from init. */
  size_t unused_items = social_TimelineCache_items_MAX_COUNT - timeline.items_count;
  CHECK(is_zero(&timeline.items[timeline.items_count], unused_items * sizeof timeline.items[0]));
  CHECK(followers.follower_ids[followers.follower_ids_count] == 0);

  /* ---- a message found by name only, as a foreign runtime would ---- */
  /* malloc returns memory aligned for any standard type, enough for every message here
   * (alignment 8); a message of stricter alignment would need aligned_alloc. */
  const p2f_message_info *m = p2f_file_find(social_proto_file_info(), "social.TimelineCache");
  CHECK(m != NULL && m->align <= _Alignof(max_align_t));
  void *buf = malloc(m->size);
  CHECK(buf != NULL);
  memset(buf, 0xFF, m->size);
  m->init(buf);
  CHECK(is_zero(buf, m->size));
  CHECK(((const social_TimelineCache *)buf)->items_count == 0);
  printf("\n%s via the table: %zu bytes malloc'ed and initialized through init\n", m->c_name,
         m->size);
  free(buf);

  printf("social example: all checks passed\n");
  return EXIT_SUCCESS;
}
