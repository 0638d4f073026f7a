#ifndef LGADMIN_CNCURSES_SHIM_H
#define LGADMIN_CNCURSES_SHIM_H
// The wide-character API of ncursesw. SwiftPM drops pkg-config's -D_XOPEN_SOURCE,
// so ask for it here before any system header.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Small accessors in the style of swift-nio's C shims. Swift 6 strict concurrency rejects
// mutable C globals (stdscr, LINES, COLS, stdin, stdout), and Swift imports neither
// function-like macros (COLOR_PAIR, KEY_F) nor the A_* attribute macros.

static inline WINDOW *lg_stdscr(void) { return stdscr; }
static inline int lg_lines(void) { return LINES; }
static inline int lg_cols(void) { return COLS; }
static inline FILE *lg_stdin(void) { return stdin; }
static inline FILE *lg_stdout(void) { return stdout; }

static inline attr_t lg_a_normal(void) { return A_NORMAL; }
static inline attr_t lg_a_standout(void) { return A_STANDOUT; }
static inline attr_t lg_a_underline(void) { return A_UNDERLINE; }
static inline attr_t lg_a_reverse(void) { return A_REVERSE; }
static inline attr_t lg_a_dim(void) { return A_DIM; }
static inline attr_t lg_a_bold(void) { return A_BOLD; }

static inline int lg_color_pairs(void) { return COLOR_PAIRS; }
static inline int lg_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int lg_key_f(int n) { return KEY_F(n); }

/// Whether the current terminal can move the cursor (has `cup`): 1 yes, 0 no.
static inline int lg_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/// wcwidth(3) is declared by <wchar.h> only under _XOPEN_SOURCE; declare it here.
static inline int lg_wcwidth(wchar_t c) {
    extern int wcwidth(wchar_t);
    return wcwidth(c);
}

// Bracketed paste across a suspend (Ctrl-Z). ncurses' own SIGTSTP handler restores the
// terminal (endwin) and repaints on resume, but knows nothing of the paste mode the console
// turned on. This handler wraps it: paste mode off before the stop, back on after the
// resume. Only async-signal-safe calls (write, sigaction, sigprocmask, raise).
#include <errno.h>
#include <signal.h>
#include <unistd.h>

// State lives in function-local statics: Swift's importer emits functions from a header,
// not its global variables. Each Swift object file gets its own copy, so install and remove
// are called from one Swift file only (CursesTerminal.swift).
static inline struct sigaction *lg_tstp_previous_slot(void) {
    static struct sigaction previous;
    return &previous;
}

static inline int *lg_tstp_installed_slot(void) {
    static int installed = 0;
    return &installed;
}

static void lg_tstp_write(const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w > 0) { s += w; n -= (size_t)w; }
        else if (w < 0 && errno == EINTR) { continue; }
        else { return; }
    }
}

static void lg_tstp_handler(int sig) {
    int saved = errno;
    struct sigaction previous = *lg_tstp_previous_slot();
    static const char off[] = "\033[?2004l";
    static const char on[] = "\033[?2004h";
    if (previous.sa_handler == SIG_IGN) { errno = saved; return; }
    lg_tstp_write(off, sizeof off - 1);
    if (previous.sa_flags & SA_SIGINFO) {
        previous.sa_sigaction(sig, NULL, NULL);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != NULL) {
        // ncurses' handler: endwin, stop, and on resume repaint.
        previous.sa_handler(sig);
    } else {
        // No handler before ours: stop as the default action would.
        struct sigaction dfl, mine;
        sigset_t unblock;
        sigemptyset(&dfl.sa_mask);
        dfl.sa_flags = 0;
        dfl.sa_handler = SIG_DFL;
        sigaction(SIGTSTP, &dfl, &mine);
        sigemptyset(&unblock);
        sigaddset(&unblock, SIGTSTP);
        sigprocmask(SIG_UNBLOCK, &unblock, NULL);
        raise(SIGTSTP);
        sigaction(SIGTSTP, &mine, NULL);
    }
    lg_tstp_write(on, sizeof on - 1);
    errno = saved;
}

/// Wraps the SIGTSTP handler in place (ncurses' after newterm) with one that turns bracketed
/// paste off before a suspend and on after the resume.
static inline void lg_bracketed_paste_tstp_install(void) {
    if (*lg_tstp_installed_slot()) return;
    struct sigaction act;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_RESTART;
    act.sa_handler = lg_tstp_handler;
    if (sigaction(SIGTSTP, &act, lg_tstp_previous_slot()) == 0) *lg_tstp_installed_slot() = 1;
}

/// Puts back the SIGTSTP handler that was in place before the install.
static inline void lg_bracketed_paste_tstp_remove(void) {
    if (!*lg_tstp_installed_slot()) return;
    sigaction(SIGTSTP, lg_tstp_previous_slot(), NULL);
    *lg_tstp_installed_slot() = 0;
}

#endif
