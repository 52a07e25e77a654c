#ifndef CSECCOMP_SHIM_H
#define CSECCOMP_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <unistd.h>

// The page worker's sandbox, in C because libseccomp's rule arguments are variadic macros
// (SCMP_A0, SCMP_CMP_MASKED_EQ) Swift cannot call. Prefixed CSeccomp_, never seccomp_.
//
// The policy is a deny-list on a default of "allow": an allow-list has to name every call tesseract,
// leptonica, OpenMP, glib, poppler, cairo, fontconfig and the Swift runtime make, and a missed one
// kills good faxes in production after a library update. What a file-reading process must never do
// is refused with EPERM/EACCES (a library that tries gets an error it already handles, instead of
// dying): network and sockets, starting programs or processes (threads still start), tracing or
// reading other processes, signalling anyone but itself, changing ids, namespaces, mounts, kernel
// modules, BPF, keyrings, and every way of writing to the file system (opening for write or create,
// unlink, rename, mkdir, link, chmod, chown, truncate, mknod). Calls from another architecture's
// table (i386, x32) kill the process (libseccomp's default bad-arch action).

#define CSECCOMP_DENY(ctx, name) \
    do { if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(name), 0) < 0) goto fail; } while (0)

/// Installs the page worker's seccomp filter on the calling process (all its threads). 0, or -errno.
static inline int CSeccomp_installPageWorkerPolicy(void) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL) return -ENOMEM;
    int rc = 0;
    // Apply to every thread, also ones libgomp or glib started before the filter.
    if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) < 0) goto fail;

    // Network and sockets.
    CSECCOMP_DENY(ctx, socket); CSECCOMP_DENY(ctx, socketpair); CSECCOMP_DENY(ctx, connect);
    CSECCOMP_DENY(ctx, bind); CSECCOMP_DENY(ctx, listen); CSECCOMP_DENY(ctx, accept);
    CSECCOMP_DENY(ctx, accept4);
    // Programs and processes. Threads are clone(CLONE_THREAD); clone3 answers ENOSYS so glibc falls
    // back to clone, whose flags a filter can read (clone3's are behind a pointer).
    CSECCOMP_DENY(ctx, execve); CSECCOMP_DENY(ctx, execveat); CSECCOMP_DENY(ctx, fork); CSECCOMP_DENY(ctx, vfork);
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0) goto fail;
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)) < 0) goto fail;
    CSECCOMP_DENY(ctx, ptrace); CSECCOMP_DENY(ctx, process_vm_readv); CSECCOMP_DENY(ctx, process_vm_writev);
    CSECCOMP_DENY(ctx, pidfd_open); CSECCOMP_DENY(ctx, pidfd_getfd);
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kill), 1,
                         SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)getpid())) < 0) goto fail;
    // Privileges, namespaces, the kernel.
    CSECCOMP_DENY(ctx, setuid); CSECCOMP_DENY(ctx, setgid); CSECCOMP_DENY(ctx, setreuid);
    CSECCOMP_DENY(ctx, setregid); CSECCOMP_DENY(ctx, setresuid); CSECCOMP_DENY(ctx, setresgid);
    CSECCOMP_DENY(ctx, setgroups); CSECCOMP_DENY(ctx, unshare); CSECCOMP_DENY(ctx, setns);
    CSECCOMP_DENY(ctx, mount); CSECCOMP_DENY(ctx, umount2); CSECCOMP_DENY(ctx, pivot_root);
    CSECCOMP_DENY(ctx, chroot); CSECCOMP_DENY(ctx, bpf); CSECCOMP_DENY(ctx, perf_event_open);
    CSECCOMP_DENY(ctx, init_module); CSECCOMP_DENY(ctx, finit_module); CSECCOMP_DENY(ctx, delete_module);
    CSECCOMP_DENY(ctx, kexec_load); CSECCOMP_DENY(ctx, reboot); CSECCOMP_DENY(ctx, swapon);
    CSECCOMP_DENY(ctx, swapoff); CSECCOMP_DENY(ctx, keyctl); CSECCOMP_DENY(ctx, add_key);
    CSECCOMP_DENY(ctx, request_key); CSECCOMP_DENY(ctx, userfaultfd); CSECCOMP_DENY(ctx, personality);
    // Writing to the file system: the worker writes only to the pipes it was given.
    CSECCOMP_DENY(ctx, creat); CSECCOMP_DENY(ctx, unlink); CSECCOMP_DENY(ctx, unlinkat);
    CSECCOMP_DENY(ctx, rename); CSECCOMP_DENY(ctx, renameat); CSECCOMP_DENY(ctx, renameat2);
    CSECCOMP_DENY(ctx, mkdir); CSECCOMP_DENY(ctx, mkdirat); CSECCOMP_DENY(ctx, rmdir);
    CSECCOMP_DENY(ctx, link); CSECCOMP_DENY(ctx, linkat); CSECCOMP_DENY(ctx, symlink);
    CSECCOMP_DENY(ctx, symlinkat); CSECCOMP_DENY(ctx, truncate); CSECCOMP_DENY(ctx, mknod);
    CSECCOMP_DENY(ctx, mknodat); CSECCOMP_DENY(ctx, chmod); CSECCOMP_DENY(ctx, fchmod);
    CSECCOMP_DENY(ctx, fchmodat); CSECCOMP_DENY(ctx, chown); CSECCOMP_DENY(ctx, fchown);
    CSECCOMP_DENY(ctx, lchown); CSECCOMP_DENY(ctx, fchownat); CSECCOMP_DENY(ctx, utimensat);
    // openat2 hides its flags behind a pointer: ENOSYS, and callers use openat.
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0) < 0) goto fail;
    {
        const scmp_datum_t writeFlags[] = { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND };
        for (unsigned i = 0; i < sizeof writeFlags / sizeof writeFlags[0]; i++) {
            scmp_datum_t flag = writeFlags[i];
            if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 1,
                                 SCMP_A1(SCMP_CMP_MASKED_EQ, flag, flag)) < 0) goto fail;
            if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
                                 SCMP_A2(SCMP_CMP_MASKED_EQ, flag, flag)) < 0) goto fail;
        }
    }
    rc = seccomp_load(ctx);
    seccomp_release(ctx);
    return rc;
fail:
    seccomp_release(ctx);
    return rc < 0 ? rc : -EINVAL;
}

#undef CSECCOMP_DENY

/// No set-uid gain through exec, required before an unprivileged process may install a filter. 0 or -1.
static inline int CSeccomp_setNoNewPrivileges(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }

/// The kernel sends SIGKILL to this process when its parent thread exits: a daemon killed with -9 takes
/// its workers along. 0 or -1.
static inline int CSeccomp_dieWithParent(void) { return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); }

// Declared by glibc only under _GNU_SOURCE.
extern int prlimit(int pid, int resource, const struct rlimit *newLimit, struct rlimit *oldLimit);

/// Sets a resource limit (soft and hard) through prlimit64, which systemd's @system-service filter allows
/// even where the unit denies @resources (and with it the setrlimit system call). 0 or -1.
static inline int CSeccomp_setLimit(int resource, unsigned long long soft, unsigned long long hard) {
    struct rlimit limit = { (rlim_t)soft, (rlim_t)hard };
    return prlimit(0, resource, &limit, NULL);
}

// glibc declares pipe2 only under _GNU_SOURCE, which a module header cannot set for the system headers.
extern int pipe2(int pipefd[2], int flags);

/// A pipe whose ends are closed on exec, made in one step so no other thread's child inherits them. 0 or -1.
static inline int CSeccomp_pipeCloseOnExec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

/// For `page-worker --check-sandbox`: tries PTRACE_TRACEME (variadic in glibc); 0 or the errno.
static inline int CSeccomp_tryTraceMe(void) { return ptrace(PTRACE_TRACEME, 0, 0, 0) == 0 ? 0 : errno; }

/// Child processes' file actions close every descriptor from `lowest` up (glibc 2.34+), so a worker holds
/// nothing of the daemon's (database, spool, lock) but its three pipes.
static inline int CSeccomp_spawnCloseFrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

#endif
