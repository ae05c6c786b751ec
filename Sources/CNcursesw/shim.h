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

// Mouse masks are function-like macros.
static inline mmask_t allspark_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t allspark_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t allspark_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t allspark_button5_pressed(void) { return BUTTON5_PRESSED; }

// One cell with an extended colour pair (pairs above 32767 need setcchar's opts argument).
static inline int allspark_put_cell(int y, int x, const wchar_t *text, attr_t attributes, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, 0, &pair) == ERR) return ERR;
    return mvadd_wch(y, x, &cell);
}

// A terminfo string capability, or NULL when the terminal lacks it (tigetstr returns -1 for
// "not a string capability", which Swift cannot compare against).
static inline const char *allspark_tigetstr(const char *name) {
    char *value = tigetstr(name);
    return (value == (char *)-1) ? 0 : value;
}
