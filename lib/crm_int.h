/* SPDX-License-Identifier: MIT */
/* Declarations shared between library files but not part of the API. */
#ifndef CRM_INT_H
#define CRM_INT_H

/*
 * Allow (nonzero, the default) or forbid (0) the CPU's SHA instructions
 * in crm_sha256, so the tests can check the portable code on any host.
 */
void crm_sha256_set_accel(int on);

#endif /* CRM_INT_H */
