/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4), for the import log's checksums and keyed hashes. */
#ifndef CRM_SHA256_H
#define CRM_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct crm_sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char block[64];
	size_t used;		/* bytes waiting in block */
};

void crm_sha256_init(struct crm_sha256 *c);
void crm_sha256_update(struct crm_sha256 *c, const void *p, size_t n);
/* Finish a copy of c (c stays usable) and write the 32-byte digest. */
void crm_sha256_digest(const struct crm_sha256 *c, unsigned char out[32]);
/* Finish a copy of c (c stays usable) and write 64 hex digits and a NUL. */
void crm_sha256_hex(const struct crm_sha256 *c, char hex[65]);

#endif /* CRM_SHA256_H */
