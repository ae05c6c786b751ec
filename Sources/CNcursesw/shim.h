#pragma once
// SwiftPM drops pkg-config's -D flags, so wide-character support is switched on here.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncurses.h>

// Globals and macros that Swift cannot import directly.
static inline WINDOW *allspark_stdscr(void) { return stdscr; }
static inline int allspark_lines(void) { return LINES; }
static inline int allspark_cols(void) { return COLS; }
static inline int allspark_key_f(int n) { return KEY_F(n); }
static inline unsigned int allspark_a_bold(void) { return A_BOLD; }
static inline unsigned int allspark_a_reverse(void) { return A_REVERSE; }
static inline unsigned int allspark_a_dim(void) { return A_DIM; }
static inline unsigned int allspark_a_underline(void) { return A_UNDERLINE; }
static inline unsigned int allspark_a_normal(void) { return A_NORMAL; }
static inline unsigned int allspark_color_pair(int n) { return COLOR_PAIR(n); }
