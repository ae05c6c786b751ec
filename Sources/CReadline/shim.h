#pragma once
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// Macros that Swift cannot import.
static inline int allspark_rl_is_searching(void) { return RL_ISSTATE(RL_STATE_ISEARCH) != 0; }
