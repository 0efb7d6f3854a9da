/* The codec benchmark's messages (codec_bench_msgs.c) and their cases (codec_bench.c). */
#ifndef P2F_CODEC_BENCH_H_
#define P2F_CODEC_BENCH_H_

#include "numeric.ffi.h"
#include "social.ffi.h"

/* Realistic messages, the same on every run: ids of production-like magnitude, millisecond
 * timestamps, mostly-ASCII text with some 2- to 4-byte UTF-8, repeated fields partly full. */
void bench_make_reaction(social_Reaction *m);
void bench_make_comment(social_Comment *m);
void bench_make_post(social_Post *m);
/* The same Post with every byte of its content that is not ASCII replaced by 'x'. */
void bench_make_post_ascii(social_Post *m);
void bench_make_message(social_Message *m);
void bench_make_notification(social_Notification *m);
void bench_make_samples(bench_Samples *m);

#endif
