// Shim for ncursesw. Swift cannot import the wide-character API unless it is
// enabled before <curses.h>, cannot import expression macros (A_BOLD, KEY_F(n),
// getmaxyx…), and Swift 6 rejects mutable C globals (stdscr, LINES, COLS) as not
// concurrency-safe; each is wrapped in a static inline accessor below.
#ifndef DRAMATIS_CNCURSESW_SHIM_H
#define DRAMATIS_CNCURSESW_SHIM_H

// Without this the wide API (get_wch, wint_t, cchar_t, mvwaddnwstr, setcchar) is invisible.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <curses.h>

// glibc hides wcwidth without _XOPEN_SOURCE; declare it.
extern int wcwidth(wchar_t);

static inline WINDOW *dramatis_stdscr(void) { return stdscr; }
static inline int dramatis_lines(void) { return LINES; }
static inline int dramatis_cols(void) { return COLS; }
static inline int dramatis_colors(void) { return COLORS; }
static inline int dramatis_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t dramatis_a_normal(void) { return A_NORMAL; }
static inline attr_t dramatis_a_bold(void) { return A_BOLD; }
static inline attr_t dramatis_a_reverse(void) { return A_REVERSE; }
static inline attr_t dramatis_a_underline(void) { return A_UNDERLINE; }
static inline attr_t dramatis_a_dim(void) { return A_DIM; }
static inline attr_t dramatis_a_italic(void) { return A_ITALIC; }
static inline attr_t dramatis_color_pair(int n) { return COLOR_PAIR(n); }
static inline int dramatis_key_f(int n) { return KEY_F(n); }
static inline int dramatis_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int dramatis_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline mmask_t dramatis_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t dramatis_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t dramatis_button5_pressed(void) { return BUTTON5_PRESSED; }

// setcchar takes a variadic-free but pointer-heavy signature; this wrapper draws one
// grapheme cluster (up to CCHARW_MAX wide chars) with attributes and a colour pair.
static inline int dramatis_mvadd_cluster(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}
#endif
