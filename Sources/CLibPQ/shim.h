#ifndef LGADMIN_CLIBPQ_SHIM_H
#define LGADMIN_CLIBPQ_SHIM_H
// libpq, PostgreSQL's own C client (Debian's libpq-dev): the PostgreSQL store backend talks to
// the server through it. Synchronous, like the service's store protocol.
#include <postgresql/libpq-fe.h>
#endif
