#pragma once
#include <cblas.h>
// Declared by OpenBLAS but not in cblas.h on every version.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
