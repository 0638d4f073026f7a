#ifndef LG_SAFEFS_H
#define LG_SAFEFS_H

// Descriptor-relative file system calls that glibc 2.36 has no Swift-visible wrapper for, so that
// paths under directories other people control are never resolved through a symbolic link.

/// openat2(2) RESOLVE flags (linux/openat2.h), for lg_openat2's `resolve`.
#define LG_RESOLVE_NO_XDEV 0x01ULL
#define LG_RESOLVE_NO_MAGICLINKS 0x02ULL
#define LG_RESOLVE_NO_SYMLINKS 0x04ULL
#define LG_RESOLVE_BENEATH 0x08ULL

/// renameat2(2) flag: fail with EEXIST rather than replace the destination.
#define LG_RENAME_NOREPLACE 1U

/// openat2(2) through syscall(SYS_openat2, ...): opens `path` relative to `dirfd` with
/// `flags` and `mode` (mode only with O_CREAT or O_TMPFILE, as the kernel requires) and the
/// RESOLVE_* bits in `resolve`. Retries on EINTR. Returns the descriptor, or -1 with errno set
/// (ENOSYS on a kernel before 5.6, ELOOP for a symbolic link under RESOLVE_NO_SYMLINKS, EXDEV
/// for a path that leaves `dirfd` under RESOLVE_BENEATH).
int lg_openat2(int dirfd, const char *path, int flags, unsigned int mode, unsigned long long resolve);

/// renameat2(2): renames `oldpath` (relative to `olddirfd`) to `newpath` (relative to
/// `newdirfd`); with LG_RENAME_NOREPLACE in `flags` an existing destination is never replaced.
/// Returns 0, or -1 with errno set.
int lg_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

#endif
