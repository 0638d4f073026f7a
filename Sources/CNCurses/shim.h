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

#endif
