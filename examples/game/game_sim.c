/* game_sim.c: a small simulation on the structs generated from game.proto.
 *
 * Players and monsters move through space (Vec3 position and velocity, nested messages);
 * each tick monsters damage the player they chase, players heal, projectiles spawn and
 * expire, and dead entities despawn. Every event is recorded as a game_Event, whose oneof
 * says which kind it is. After every tick the world (entities and that tick's events) is
 * encoded, decoded into a second struct, and the two are compared member by member: every
 * entity, vector, optional field and event, and then byte for byte. The byte comparison needs
 * the decode to define every byte (P2F_DECODE_ZERO_FILL): a plain decode leaves the capacity
 * past each string and array as it was (docs/codec.md, "Defined bytes").
 *
 * Exits with 1 on the first difference, naming it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game.ffi.h"

#define TICKS 200
#define DT 0.05f

static void fail(const char *what, uint64_t tick, uint32_t index) {
  fprintf(stderr, "tick %llu: %s differs (index %u)\n", (unsigned long long)tick, what, index);
  exit(EXIT_FAILURE);
}

static uint32_t rng = 12345u;
static uint32_t next_random(void) { /* xorshift32 */
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}
static float random_unit(void) { return (float)(next_random() % 2001u) / 1000.0f - 1.0f; }

static game_Vec3 vec3(float x, float y, float z) {
  game_Vec3 v;
  game_Vec3_init(&v);
  v.x = x;
  v.y = y;
  v.z = z;
  return v;
}

/* ---- the world ---------------------------------------------------------------------------- */

static uint32_t next_id = 1;

static game_Entity *spawn(game_World *w, int32_t kind, const char *name, game_Vec3 pos, game_Vec3 vel, int32_t health) {
  if (w->entities_count == game_World_entities_MAX_COUNT) return NULL;
  game_Entity *e = &w->entities[w->entities_count++];
  game_Entity_init(e);
  e->id = next_id++;
  e->kind = kind;
  size_t n = strlen(name);
  if (n > game_Entity_name_MAX_LENGTH) n = game_Entity_name_MAX_LENGTH;
  memcpy(e->name, name, n);
  e->name_len = (uint32_t)n;
  e->has_position = 1;
  e->position = pos;
  e->has_velocity = 1;
  e->velocity = vel;
  e->health = health;
  return e;
}

static game_Entity *find(game_World *w, uint32_t id) {
  for (uint32_t i = 0; i < w->entities_count; i++) {
    if (w->entities[i].id == id) return &w->entities[i];
  }
  return NULL;
}

static game_Event *add_event(game_World *w, uint32_t which) {
  if (w->events_count == game_World_events_MAX_COUNT) return NULL;
  game_Event *ev = &w->events[w->events_count++];
  game_Event_init(ev);
  ev->tick = w->tick;
  ev->which_kind = which;
  return ev;
}

/* Removes entity i; the last one moves into its place and the freed slot is zeroed, so the
 * struct equals a decoded one byte for byte. */
static void despawn(game_World *w, uint32_t i) {
  game_Event *ev = add_event(w, game_Event_despawn_TAG);
  if (ev != NULL) ev->kind.despawn.entity_id = w->entities[i].id;
  w->entities_count--;
  if (i != w->entities_count) memcpy(&w->entities[i], &w->entities[w->entities_count], sizeof w->entities[0]);
  memset(&w->entities[w->entities_count], 0, sizeof w->entities[0]);
}

static void step(game_World *w) {
  w->tick++;
  memset(w->events, 0, sizeof w->events);
  w->events_count = 0;
  for (uint32_t i = 0; i < w->entities_count; i++) {
    game_Entity *e = &w->entities[i];
    e->position.x += e->velocity.x * DT;
    e->position.y += e->velocity.y * DT;
    e->position.z += e->velocity.z * DT;
    if (e->kind == game_EntityKind_ENTITY_KIND_PROJECTILE) e->health -= 10; /* projectiles fade */
  }
  for (uint32_t i = 0; i < w->entities_count; i++) {
    game_Entity *e = &w->entities[i];
    if (e->kind == game_EntityKind_ENTITY_KIND_MONSTER && e->has_target_id && next_random() % 4 == 0) {
      game_Entity *t = find(w, e->target_id);
      game_Event *ev = add_event(w, game_Event_damage_TAG);
      if (t != NULL && ev != NULL) {
        ev->kind.damage.source_id = e->id;
        ev->kind.damage.target_id = t->id;
        ev->kind.damage.amount = 5 + (int32_t)(next_random() % 20);
        t->health -= ev->kind.damage.amount;
      }
    } else if (e->kind == game_EntityKind_ENTITY_KIND_PLAYER && e->health < 60 && next_random() % 3 == 0) {
      game_Event *ev = add_event(w, game_Event_heal_TAG);
      if (ev != NULL) {
        ev->kind.heal.target_id = e->id;
        ev->kind.heal.amount = 15;
        e->health += 15;
      }
    }
  }
  if (w->tick % 3 == 0) { /* a player fires */
    game_Entity *shooter = &w->entities[next_random() % w->entities_count];
    game_Entity *p = spawn(w, game_EntityKind_ENTITY_KIND_PROJECTILE, "bolt", shooter->position,
                           vec3(random_unit() * 40.0f, random_unit() * 40.0f, 0.5f), 30);
    game_Event *ev = p != NULL ? add_event(w, game_Event_spawn_TAG) : NULL;
    if (ev != NULL) {
      ev->kind.spawn.has_entity = 1;
      memcpy(&ev->kind.spawn.entity, p, sizeof *p); /* memcpy keeps the zeroed padding */
    }
  }
  for (uint32_t i = 0; i < w->entities_count;) {
    if (w->entities[i].health <= 0 && w->entities[i].kind != game_EntityKind_ENTITY_KIND_PLAYER) {
      despawn(w, i);
    } else {
      i++;
    }
  }
}

/* ---- comparison --------------------------------------------------------------------------- */

static int vec_eq(const game_Vec3 *a, const game_Vec3 *b) { return a->x == b->x && a->y == b->y && a->z == b->z; }

static int entity_eq(const game_Entity *a, const game_Entity *b) {
  return a->id == b->id && a->kind == b->kind && a->name_len == b->name_len &&
         memcmp(a->name, b->name, a->name_len) == 0 && a->has_position == b->has_position &&
         vec_eq(&a->position, &b->position) && a->has_velocity == b->has_velocity &&
         vec_eq(&a->velocity, &b->velocity) && a->health == b->health &&
         a->has_target_id == b->has_target_id && (!a->has_target_id || a->target_id == b->target_id);
}

static void compare(const game_World *a, const game_World *b) {
  if (a->tick != b->tick) fail("tick", a->tick, 0);
  if (a->entities_count != b->entities_count) fail("entity count", a->tick, 0);
  for (uint32_t i = 0; i < a->entities_count; i++) {
    if (!entity_eq(&a->entities[i], &b->entities[i])) fail("entity", a->tick, i);
  }
  if (a->events_count != b->events_count) fail("event count", a->tick, 0);
  for (uint32_t i = 0; i < a->events_count; i++) {
    const game_Event *x = &a->events[i], *y = &b->events[i];
    if (x->tick != y->tick || x->which_kind != y->which_kind) fail("event kind", a->tick, i);
    int same = 0;
    switch (x->which_kind) {
      case game_Event_damage_TAG:
        same = x->kind.damage.source_id == y->kind.damage.source_id &&
               x->kind.damage.target_id == y->kind.damage.target_id && x->kind.damage.amount == y->kind.damage.amount;
        break;
      case game_Event_heal_TAG:
        same = x->kind.heal.target_id == y->kind.heal.target_id && x->kind.heal.amount == y->kind.heal.amount;
        break;
      case game_Event_spawn_TAG:
        same = x->kind.spawn.has_entity == y->kind.spawn.has_entity && entity_eq(&x->kind.spawn.entity, &y->kind.spawn.entity);
        break;
      case game_Event_despawn_TAG:
        same = x->kind.despawn.entity_id == y->kind.despawn.entity_id;
        break;
      default:
        break;
    }
    if (!same) fail("event", a->tick, i);
  }
  if (memcmp(a, b, sizeof *a) != 0) fail("world bytes", a->tick, 0);
}

int main(void) {
  game_World *world = malloc(sizeof *world), *copy = malloc(sizeof *copy);
  uint8_t *buf = malloc(game_World_MAX_ENCODED_SIZE);
  if (world == NULL || copy == NULL || buf == NULL) return 1;
  game_World_init(world);

  const char *players[] = {"ada", "brian", "chen"};
  uint32_t player_ids[3];
  for (uint32_t i = 0; i < 3; i++) {
    player_ids[i] = spawn(world, game_EntityKind_ENTITY_KIND_PLAYER, players[i], vec3((float)i * 10.0f, 0.0f, 0.0f),
                          vec3(1.0f, 0.5f * (float)i, 0.0f), 100)->id;
  }
  for (uint32_t i = 0; i < 8; i++) {
    game_Entity *m = spawn(world, game_EntityKind_ENTITY_KIND_MONSTER, "grue", vec3(random_unit() * 50.0f, random_unit() * 50.0f, 0.0f),
                           vec3(random_unit(), random_unit(), 0.0f), 1000);
    m->has_target_id = 1;
    m->target_id = player_ids[i % 3];
  }

  size_t total = 0, largest = 0;
  uint32_t counts[6] = {0};
  for (uint32_t t = 0; t < TICKS; t++) {
    step(world);
    size_t n = 0;
    p2f_status st = game_World_encode(world, buf, game_World_MAX_ENCODED_SIZE, &n);
    if (st != P2F_OK) {
      fprintf(stderr, "tick %u: encode: %s\n", t, p2f_status_str(st));
      return 1;
    }
    if (n != game_World_encoded_size(world)) fail("encoded size", world->tick, 0);
    const p2f_decode_options zero_fill = {NULL, P2F_DECODE_ZERO_FILL, 0};
    st = p2f_decode_ex(&game_World_desc, copy, buf, n, &zero_fill);
    if (st != P2F_OK) {
      fprintf(stderr, "tick %u: decode: %s\n", t, p2f_status_str(st));
      return 1;
    }
    compare(world, copy);
    total += n;
    if (n > largest) largest = n;
    for (uint32_t i = 0; i < world->events_count; i++) counts[world->events[i].which_kind]++;
  }
  /* A world too big for its buffer is refused, not truncated silently. */
  size_t n = 0;
  if (game_World_encode(world, buf, game_World_encoded_size(world) - 1, &n) != P2F_ERR_BUFFER_TOO_SMALL) {
    fail("short-buffer encode", world->tick, 0);
  }
  if (counts[game_Event_damage_TAG] == 0 || counts[game_Event_heal_TAG] == 0 || counts[game_Event_spawn_TAG] == 0 ||
      counts[game_Event_despawn_TAG] == 0) {
    fprintf(stderr, "the simulation did not produce every kind of event\n");
    return 1;
  }
  printf("%d ticks, %u entities at the end; events: %u damage, %u heal, %u spawn, %u despawn\n", TICKS,
         world->entities_count, counts[game_Event_damage_TAG], counts[game_Event_heal_TAG], counts[game_Event_spawn_TAG],
         counts[game_Event_despawn_TAG]);
  printf("encoded %zu bytes in all, %zu at most per tick (struct: %zu bytes)\n", total, largest, sizeof *world);
  printf("game: every tick's world survived encode and decode unchanged\n");
  free(buf);
  free(copy);
  free(world);
  return 0;
}
