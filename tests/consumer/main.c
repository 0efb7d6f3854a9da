/* Fills an address book, encodes it to protobuf bytes, decodes them into a second struct and
 * checks that every value came back. Exits with 1 on any difference. */
#include <stdio.h>
#include <string.h>

#include "contacts.ffi.h"

static void set_text(char *dst, uint32_t *len, const char *src) {
  *len = (uint32_t)strlen(src);
  memcpy(dst, src, *len);
}

int main(void) {
  static contacts_AddressBook book, copy;
  static uint8_t buf[contacts_AddressBook_MAX_ENCODED_SIZE];
  const char *names[] = {"Ada", "Grace", "Linus"};

  contacts_AddressBook_init(&book);
  for (uint32_t i = 0; i < 3; i++) {
    contacts_Person *p = &book.people[book.people_count++];
    set_text(p->name, &p->name_len, names[i]);
    p->id = (int32_t)(100 + i);
    set_text(p->emails[0], &p->emails_len[0], "someone@example.org");
    p->emails_count = 1;
    for (uint32_t k = 0; k <= i; k++) p->scores[p->scores_count++] = (int32_t)(k * 10) - 5;
  }

  size_t n = 0;
  p2f_status st = contacts_AddressBook_encode(&book, buf, sizeof buf, &n);
  if (st != P2F_OK) {
    fprintf(stderr, "encode: %s\n", p2f_status_str(st));
    return 1;
  }
  st = contacts_AddressBook_decode(&copy, buf, n);
  if (st != P2F_OK) {
    fprintf(stderr, "decode: %s\n", p2f_status_str(st));
    return 1;
  }
  if (copy.people_count != 3 || strcmp(copy.people[1].name, "Grace") != 0 ||
      copy.people[2].id != 102 || copy.people[2].scores_count != 3 ||
      copy.people[2].scores[2] != 15 || strcmp(copy.people[0].emails[0], "someone@example.org") != 0 ||
      memcmp(&book, &copy, sizeof book) != 0) {
    fprintf(stderr, "round trip changed the address book\n");
    return 1;
  }
  printf("%u people, %zu bytes, round trip ok (emails: up to %d of %d bytes)\n",
         (unsigned)copy.people_count, n, contacts_Person_emails_MAX_COUNT,
         contacts_Person_emails_MAX_LENGTH);
  return 0;
}
